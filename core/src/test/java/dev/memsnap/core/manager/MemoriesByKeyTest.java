package dev.memsnap.core.manager;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.memory.LongTermMemory;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Long-term memories stored and removed under keys the host chooses: {@code putMemories} and {@code removeMemories}. */
class MemoriesByKeyTest {
    private static final LocalDateTime T = LocalDateTime.of(2026, 1, 2, 3, 4, 5);

    @TempDir
    Path dir;

    private static Memory memory(String content, String... topics) {
        return Memory.of(content, T, 0.5, "fact", List.of(topics));
    }

    private Memsnap start(String memoryYaml) {
        return Memsnap.start(ConfigFile.parse("test", "memory:\n  snapshot_dir: " + dir + "\n" + memoryYaml));
    }

    @Test
    void aNewKeyIsAddedAfterTheOthersAndAHeldKeyIsReplacedWhereItStands() {
        try (Memsnap memsnap = start("")) {
            EnhancedMemoryManager memory = memsnap.memories().get("alice");
            String generated = memory.addMemory("likes jazz", "preference", 0.7, List.of("music"));
            Map<String, Memory> batch = new LinkedHashMap<>();
            batch.put("seg-b", memory("lives in Paris", "home"));
            batch.put("seg-a", memory("works at ACME", "work"));
            memory.putMemories(batch);
            memory.putMemory(generated, memory("likes blues", "music"));

            assertEquals(List.of(generated, "seg-b", "seg-a"), List.copyOf(memory.memories().keySet()));
            assertEquals("likes blues", memory.memories().get(generated).content());

            assertEquals(2, memory.removeMemories(List.of("seg-b", "no-such-key", generated)));
            assertEquals(List.of("seg-a"), List.copyOf(memory.memories().keySet()));
            assertEquals(0, memory.removeMemories(List.of("seg-b")));
        }
    }

    @Test
    void generatedIdsStayAboveAKeyOfTheirFormSoNoneIsReused() {
        try (Memsnap memsnap = start("")) {
            EnhancedMemoryManager memory = memsnap.manager();
            memory.putMemory("memory_7", memory("seven"));
            assertEquals("memory_8", memory.addMemory("eight", "fact", 0.5, List.of()));
            memory.removeMemories(List.of("memory_7", "memory_8"));
            assertEquals("memory_9", memory.addMemory("nine", "fact", 0.5, List.of()));
        }
    }

    @Test
    void anEmptyOrNullKeyIsRefusedAndNothingOfTheBatchIsStored() {
        try (Memsnap memsnap = start("")) {
            EnhancedMemoryManager memory = memsnap.manager();
            Map<String, Memory> batch = new LinkedHashMap<>();
            batch.put("good", memory("kept?"));
            batch.put("", memory("empty key"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> memory.putMemories(batch));
            assertTrue(e.getMessage().contains("key"), e.getMessage());
            Map<String, Memory> nullKey = new LinkedHashMap<>();
            nullKey.put(null, memory("null key"));
            assertThrows(IllegalArgumentException.class, () -> memory.putMemories(nullKey));
            assertThrows(NullPointerException.class, () -> memory.putMemory("k", null));
            assertEquals(Map.of(), memory.memories());
        }
    }

    @Test
    void snapshotsCaptureThemAndApplyAndUndoRestoreThem() {
        try (Memsnap memsnap = start("")) {
            EnhancedMemoryManager memory = memsnap.memories().get("alice");
            memory.putMemory("paris", memory("lives in Paris", "home"));
            String before = memory.createSnapshot();
            memory.removeMemories(List.of("paris"));
            memory.putMemory("rome", memory("lives in Rome", "home"));

            assertTrue(memory.applySnapshot(before));
            assertEquals(List.of("paris"), List.copyOf(memory.memories().keySet()));
            assertTrue(memory.undoApply());
            assertEquals(List.of("rome"), List.copyOf(memory.memories().keySet()));
        }
    }

    @Test
    void theyChangeTheMemoryLikeAddMemoryButAreNoTurnsForAutomaticSnapshots() {
        try (Memsnap memsnap = start("  auto_snapshot: true\n  snapshot_interval: 1\n  resume: latest\n")) {
            EnhancedMemoryManager memory = memsnap.memories().get("alice");
            memory.putMemory("paris", memory("lives in Paris", "home"));
            memory.putMemory("acme", memory("works at ACME", "work"));
            memory.removeMemories(List.of("acme"));
            assertEquals(0, memory.stats().automaticSnapshots());
        }
        try (Memsnap resumed = start("  resume: latest\n")) {
            EnhancedMemoryManager memory = resumed.memories().get("alice");
            assertEquals(List.of("paris"), List.copyOf(memory.memories().keySet()), "kept at shutdown, resumed");
            assertEquals("lives in Paris", memory.memories().get("paris").content());
        }
    }

    @Test
    void removingNothingLeavesTheMemoryUnchanged() {
        try (Memsnap memsnap = start("")) {
            EnhancedMemoryManager memory = memsnap.manager();
            memory.putMemory("paris", memory("lives in Paris"));
            String snapshot = memory.createSnapshot();
            assertEquals(0, memory.removeMemories(List.of("rome")));
            assertTrue(memory.applySnapshot(snapshot));
            MemorySnapshot head = memory.getSnapshot(snapshot).orElseThrow();
            assertEquals(1, memory.listSnapshots().size(), "no undo point: the state was the snapshot's");
            assertEquals(head.longTerm().memories(), memory.memories());
        }
    }

    /** A host's own long-term memory that overrides nothing new: the SPI's defaults rebuild it through restore. */
    @Test
    void theSpiDefaultsWorkOverRestoreAlone() {
        LongTermMemory own = new LongTermMemory() {
            private Map<String, Memory> held = Map.of();

            @Override
            public String add(Memory memory) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Map<String, Memory> memories() {
                return held;
            }

            @Override
            public void restore(Map<String, Memory> memories) {
                held = Map.copyOf(memories);
            }
        };
        own.put(Map.of("a", memory("A")));
        own.put(Map.of("b", memory("B"), "a", memory("A2")));
        assertEquals("A2", own.memories().get("a").content());
        assertEquals(1, own.remove(List.of("a", "zz")));
        assertEquals(List.of("b"), List.copyOf(own.memories().keySet()));
    }
}
