package dev.memsnap.acceptance;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.InvalidSnapshotIdException;
import dev.memsnap.api.Memory;
import dev.memsnap.api.Turn;
import dev.memsnap.api.memory.LongTermMemory;
import dev.memsnap.api.memory.ShortTermMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code applySnapshot} replaces short- and long-term memory, all or nothing; {@code false} for an unknown id. */
class ApplySnapshotAcceptanceTest {

    @TempDir
    Path tmp;

    @Test
    void applyReplacesBothMemoriesWithTheSnapshots() {
        EnhancedMemoryManager m = Acceptance.manager(tmp);
        m.addTurn("user", "a1");
        m.addTurn("assistant", "a2");
        String memA = m.addMemory("alpha", "fact", 0.6, List.of("greek"));
        List<Turn> turnsA = m.turns();
        Map<String, Memory> memoriesA = m.memories();
        String a = m.createSnapshot();

        m.addTurn("user", "b1");
        m.addMemory("beta", "preference", 0.1, List.of("other"));
        String b = m.createSnapshot();
        List<Turn> turnsB = m.turns();
        Map<String, Memory> memoriesB = m.memories();

        assertTrue(m.applySnapshot(a));
        assertEquals(turnsA, m.turns());
        assertEquals(memoriesA, m.memories());
        assertEquals(List.of(memA), new ArrayList<>(m.memories().keySet()), "memory ids kept");

        assertTrue(m.applySnapshot(b));
        assertEquals(turnsB, m.turns());
        assertEquals(memoriesB, m.memories());
    }

    @Test
    void applyReplacesRatherThanMerges() {
        EnhancedMemoryManager m = Acceptance.manager(tmp);
        String empty = m.createSnapshot();
        m.addTurn("user", "x");
        m.addMemory("y", "fact", 0.5, List.of("t"));
        assertTrue(m.applySnapshot(empty));
        assertEquals(List.of(), m.turns());
        assertEquals(Map.of(), m.memories());
    }

    @Test
    void memoriesAddedAfterAnApplyDoNotOverwriteRestoredOnes() {
        EnhancedMemoryManager m = Acceptance.manager(tmp);
        m.addMemory("one", "fact", 0.5, List.of());
        m.addMemory("two", "fact", 0.5, List.of());
        String id = m.createSnapshot();
        m.addMemory("three", "fact", 0.5, List.of());
        assertTrue(m.applySnapshot(id));
        Map<String, Memory> restored = m.memories();
        String added = m.addMemory("four", "fact", 0.5, List.of());
        assertFalse(restored.containsKey(added), "new memory id " + added + " clashes with a restored one");
        assertEquals(3, m.memories().size());
        restored.forEach((k, v) -> assertEquals(v, m.memories().get(k)));
    }

    @Test
    void memoriesAddedAfterApplyingTheSeedDoNotOverwriteItsMemories() {
        EnhancedMemoryManager m = Acceptance.manager(tmp.resolve("snapshots"));
        Path file = Acceptance.write(tmp.resolve("in").resolve("seed.json"), Acceptance.seedText());
        assertTrue(m.applySnapshot(m.loadSnapshot(file)));
        for (int i = 0; i < 3; i++) {
            m.addMemory("new " + i, "fact", 0.5, List.of());
        }
        assertEquals(5, m.memories().size(), "ids: " + m.memories().keySet());
        assertEquals("The user's name is Alice.", m.memories().get("memory_1").content());
        assertEquals("The user prefers brief responses.", m.memories().get("memory_2").content());
    }

    @Test
    void applyingASavedSnapshotFromTheStoreWorksInAnotherManager() {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager first = Acceptance.manager(dir);
        first.addTurn("user", "persisted");
        first.addMemory("kept", "fact", 0.7, List.of("k"));
        String id = first.createSnapshot();
        first.saveSnapshot(id);

        EnhancedMemoryManager second = Acceptance.manager(dir);
        assertTrue(second.applySnapshot(id), "a snapshot in the store can be applied without loading it first");
        assertEquals(first.turns(), second.turns());
        assertEquals(first.memories(), second.memories());
    }

    @Test
    void aDamagedStoredSnapshotFailsToApplyNamingTheFileAndChangesNothing() {
        Path dir = tmp.resolve("snapshots");
        String id = "snapshot_20240101_000000_0000beef";
        Path file = Acceptance.write(dir.resolve(id + ".json"),
                Acceptance.seedWith(id, "2024-01-01T00:00:00.000000").substring(0, 300));
        EnhancedMemoryManager m = Acceptance.manager(dir);
        m.addTurn("user", "stay");
        List<Turn> turns = m.turns();
        dev.memsnap.api.SnapshotException e =
                assertThrows(dev.memsnap.api.SnapshotException.class, () -> m.applySnapshot(id));
        assertTrue(e.getMessage().contains(file.getFileName().toString()), "names the file: " + e.getMessage());
        assertEquals(turns, m.turns());
        assertEquals(Map.of(), m.memories());
    }

    @Test
    void unknownIdReturnsFalseAndChangesNothing() {
        EnhancedMemoryManager m = Acceptance.manager(tmp);
        m.addTurn("user", "stay");
        m.addMemory("stay too", "fact", 0.5, List.of());
        List<Turn> turns = m.turns();
        Map<String, Memory> memories = m.memories();
        assertFalse(m.applySnapshot("snapshot_20240101_000000_deadbeef"));
        assertEquals(turns, m.turns());
        assertEquals(memories, m.memories());
        assertThrows(InvalidSnapshotIdException.class, () -> m.applySnapshot("not-an-id"));
    }

    /** Long-term memory whose restore always fails (without changing anything, as the SPI requires). */
    static final class FailingLongTermMemory implements LongTermMemory {
        private final Map<String, Memory> memories = new LinkedHashMap<>();
        private final AtomicInteger next = new AtomicInteger();
        final AtomicInteger restoreCalls = new AtomicInteger();

        @Override
        public synchronized String add(Memory memory) {
            String id = "m" + next.incrementAndGet();
            memories.put(id, memory);
            return id;
        }

        @Override
        public synchronized Map<String, Memory> memories() {
            return Collections.unmodifiableMap(new LinkedHashMap<>(memories));
        }

        @Override
        public void restore(Map<String, Memory> memories) {
            restoreCalls.incrementAndGet();
            throw new IllegalStateException("vector database unavailable");
        }
    }

    /** Short-term memory whose restore always fails (without changing anything). */
    static final class FailingShortTermMemory implements ShortTermMemory {
        private final List<Turn> turns = new ArrayList<>();
        private final LocalDateTime start = LocalDateTime.of(2025, 1, 1, 0, 0);
        final AtomicInteger restoreCalls = new AtomicInteger();

        @Override
        public synchronized void add(Turn turn) {
            turns.add(turn);
        }

        @Override
        public synchronized List<Turn> turns() {
            return List.copyOf(turns);
        }

        @Override
        public LocalDateTime sessionStart() {
            return start;
        }

        @Override
        public void restore(List<Turn> turns, LocalDateTime sessionStart) {
            restoreCalls.incrementAndGet();
            throw new IllegalStateException("conversation store unavailable");
        }
    }

    @Test
    void failingLongTermRestoreLeavesShortTermMemoryUnchanged() {
        FailingLongTermMemory failing = new FailingLongTermMemory();
        EnhancedMemoryManager m = Acceptance.manager(Acceptance.config(tmp), new AbstractModule() {
            @Override
            protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), LongTermMemory.class).setBinding().toInstance(failing);
            }
        });
        m.addTurn("user", "t1");
        m.addMemory("mem1", "fact", 0.5, List.of("a"));
        String id = m.createSnapshot();
        m.addTurn("user", "t2");
        m.addMemory("mem2", "fact", 0.5, List.of("b"));
        List<Turn> turns = m.turns();
        Map<String, Memory> memories = m.memories();

        assertThrows(RuntimeException.class, () -> m.applySnapshot(id), "a failed apply must say so");
        assertTrue(failing.restoreCalls.get() > 0, "the bound LongTermMemory was used");
        assertEquals(turns, m.turns(), "short-term memory changed by a failed apply");
        assertEquals(memories, m.memories(), "long-term memory changed by a failed apply");
    }

    @Test
    void failingShortTermRestoreLeavesLongTermMemoryUnchanged() {
        FailingShortTermMemory failing = new FailingShortTermMemory();
        EnhancedMemoryManager m = Acceptance.manager(Acceptance.config(tmp), new AbstractModule() {
            @Override
            protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), ShortTermMemory.class).setBinding().toInstance(failing);
            }
        });
        m.addTurn("user", "t1");
        m.addMemory("mem1", "fact", 0.5, List.of("a"));
        String id = m.createSnapshot();
        m.addTurn("user", "t2");
        m.addMemory("mem2", "fact", 0.5, List.of("b"));
        List<Turn> turns = m.turns();
        Map<String, Memory> memories = m.memories();

        assertThrows(RuntimeException.class, () -> m.applySnapshot(id), "a failed apply must say so");
        assertTrue(failing.restoreCalls.get() > 0, "the bound ShortTermMemory was used");
        assertEquals(turns, m.turns(), "short-term memory changed by a failed apply");
        assertEquals(memories, m.memories(), "long-term memory changed by a failed apply");
    }
}
