package dev.memsnap.reliability;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.codec.EncryptionConfig;
import dev.memsnap.core.codec.KeySource;
import dev.memsnap.core.format.Snapshots;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Disabled;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Save, load, apply is the identity: for generated memories (see {@link GeneratedMemories}), in every encoding and in
 * both stores, what a fresh manager holds after loading and applying a saved snapshot equals what was saved, turn for
 * turn and memory for memory, in order; and the loaded snapshot equals the saved one whole.
 */
class RoundTripPropertyTest {
    private static Path keyFile;
    private static final AtomicLong tries = new AtomicLong();

    @BeforeContainer
    static void makeKey() throws IOException {
        keyFile = Files.createTempFile("memsnap-roundtrip", ".key");
        Files.write(keyFile, dev.memsnap.core.codec.KeyRing.generateKey());
    }

    @AfterContainer
    static void recordFigures() throws IOException {
        Files.deleteIfExists(keyFile);
        ReliabilityRun.figure(RoundTripPropertyTest.class, "tries", tries.get() + " generated round trips");
    }

    @Provide
    Arbitrary<MemorySnapshot> snapshots() {
        return GeneratedMemories.snapshot();
    }

    @Provide
    Arbitrary<GeneratedMemories.Conversation> conversations() {
        return GeneratedMemories.conversation();
    }

    @Provide
    Arbitrary<Stores.Kind> stores() {
        return Arbitraries.of(Stores.Kind.class);
    }

    @Property
    void savedSnapshotLoadsAndAppliesExactly(@ForAll("snapshots") MemorySnapshot snapshot, @ForAll Layers layers,
                                             @ForAll("stores") Stores.Kind store) throws IOException {
        tries.incrementAndGet();
        Path dir = Files.createTempDirectory("memsnap-roundtrip");
        try {
            MemoryConfig config = config(dir, layers, store);
            try (RunningManager writer = RunningManager.start(config)) {
                writer.store().save(snapshot);
            }
            try (RunningManager reader = RunningManager.start(config)) {
                EnhancedMemoryManager fresh = reader.manager();
                assertSameSnapshot(snapshot, fresh.getSnapshot(snapshot.snapshotId()).orElseThrow());
                assertTrue(fresh.applySnapshot(snapshot.snapshotId()));
                assertEquals(snapshot.shortTerm().turns(), fresh.turns());
                assertSameMemories(snapshot.longTerm().memories(), fresh.memories());
            }
        } finally {
            TempFiles.deleteTree(dir);
        }
    }

    @Property
    void liveMemorySurvivesSaveLoadApply(@ForAll("conversations") GeneratedMemories.Conversation conversation,
                                         @ForAll Layers layers) throws IOException {
        tries.incrementAndGet();
        Path dir = Files.createTempDirectory("memsnap-roundtrip");
        try {
            // The file store only: a location the incremental store returns does not load yet (a bug, pinned below).
            MemoryConfig config = config(dir, layers, Stores.Kind.FILE);
            List<Turn> turns;
            Map<String, Memory> memories;
            String id;
            URI location;
            try (RunningManager writer = RunningManager.start(config)) {
                EnhancedMemoryManager host = writer.manager();
                conversation.turns().forEach(host::addTurn);
                for (Memory m : conversation.memories()) {
                    host.addMemory(m.content(), m.sourceType(), m.importance(), m.topics());
                }
                turns = host.turns();
                memories = host.memories();
                id = host.createSnapshot();
                location = host.saveSnapshot(id);
            }
            try (RunningManager reader = RunningManager.start(config)) {
                EnhancedMemoryManager fresh = reader.manager();
                assertEquals(id, fresh.loadSnapshot(location));
                assertTrue(fresh.applySnapshot(id));
                assertEquals(turns, fresh.turns());
                assertSameMemories(memories, fresh.memories());
            }
        } finally {
            TempFiles.deleteTree(dir);
        }
    }

    @Example
    void hugeStringsRoundTripInEveryEncoding() throws IOException {
        String huge = "\uD83D\uDE00 ".repeat(1 << 20) + "end"; // 3 MiB of surrogate pairs
        Map<String, Memory> memories = new LinkedHashMap<>();
        memories.put("memory_1", Memory.of(huge, LocalDateTime.of(2025, 4, 26, 12, 0), 0.5, "fact",
                List.of(huge.substring(0, 1000))));
        LocalDateTime at = LocalDateTime.of(2025, 4, 26, 12, 0);
        MemorySnapshot snapshot = Snapshots.of("snapshot_20250426_120000_0badf00d", at,
                List.of(new Turn("user", huge)), at.minusHours(1), memories, null);
        for (Layers layers : Layers.values()) {
            for (Stores.Kind store : Stores.Kind.values()) {
                savedSnapshotLoadsAndAppliesExactly(snapshot, layers, store);
            }
        }
    }

    @Example
    void negativeZeroKeepsItsSign() throws IOException {
        Memory memory = new Memory("m", LocalDateTime.of(2025, 4, 26, 12, 0), -0.0, Map.of("v", -0.0));
        savedSnapshotLoadsAndAppliesExactly(withMemories(Map.of("memory_1", memory)), Layers.PLAIN,
                Stores.Kind.FILE);
    }

    @Example
    void anythingThatSavesAlsoLoads() throws IOException {
        Memory memory = new Memory("m", LocalDateTime.of(2025, 4, 26, 12, 0), 0.5,
                Map.of("big", BigInteger.TEN.pow(1200)));
        savedSnapshotLoadsAndAppliesExactly(withMemories(Map.of("memory_1", memory)), Layers.PLAIN,
                Stores.Kind.FILE);
    }

    @Example
    void longNamesThatSaveAlsoLoad() throws IOException {
        String longName = "k".repeat(60_000);
        Memory memory = new Memory("m", LocalDateTime.of(2025, 4, 26, 12, 0), 0.5, Map.of(longName, 1));
        savedSnapshotLoadsAndAppliesExactly(withMemories(Map.of(longName, memory)), Layers.PLAIN, Stores.Kind.FILE);
    }

    @Example
    void aLocationTheIncrementalStoreReturnsLoads() throws IOException {
        Path dir = Files.createTempDirectory("memsnap-roundtrip");
        try {
            MemoryConfig config = config(dir, Layers.PLAIN, Stores.Kind.INCREMENTAL);
            String id;
            URI location;
            try (RunningManager writer = RunningManager.start(config)) {
                writer.manager().addTurn("user", "hello");
                id = writer.manager().createSnapshot();
                location = writer.manager().saveSnapshot(id);
            }
            try (RunningManager reader = RunningManager.start(config)) {
                assertEquals(id, reader.manager().loadSnapshot(location));
            }
        } finally {
            TempFiles.deleteTree(dir);
        }
    }

    @Example
    void timestampsOfAnyYearRoundTrip() throws IOException {
        Memory memory = Memory.of("m", LocalDateTime.of(0, 1, 1, 0, 0), 0.5, "fact", List.of());
        savedSnapshotLoadsAndAppliesExactly(withMemories(Map.of("memory_1", memory)), Layers.PLAIN,
                Stores.Kind.FILE);
    }

    private static MemorySnapshot withMemories(Map<String, Memory> memories) {
        LocalDateTime at = LocalDateTime.of(2025, 4, 26, 12, 0);
        return Snapshots.of("snapshot_20250426_120000_00c0ffee", at, List.of(), at, memories, null);
    }

    private static MemoryConfig config(Path dir, Layers layers, Stores.Kind store) {
        return new MemoryConfig(dir, false, 10).withStore(store.configName)
                .withCompression(layers.compression(), 6)
                .withEncryption(layers.encrypted()
                        ? new EncryptionConfig(new KeySource.KeyFile(keyFile), List.of()) : null);
    }

    /** Part by part, so that a failure names the part that changed rather than printing two whole snapshots. */
    private static void assertSameSnapshot(MemorySnapshot expected, MemorySnapshot actual) {
        assertEquals(expected.snapshotId(), actual.snapshotId(), "snapshot_id");
        assertEquals(expected.timestamp(), actual.timestamp(), "timestamp");
        assertEquals(expected.shortTerm().sessionStart(), actual.shortTerm().sessionStart(), "session_start");
        List<Turn> turns = expected.shortTerm().turns();
        assertEquals(turns.size(), actual.shortTerm().turns().size(), "number of turns");
        for (int i = 0; i < turns.size(); i++) {
            assertEquals(turns.get(i), actual.shortTerm().turns().get(i), "turn " + i);
        }
        assertEquals(new ArrayList<>(expected.longTerm().memories().keySet()),
                new ArrayList<>(actual.longTerm().memories().keySet()), "memory ids");
        for (Map.Entry<String, Memory> e : expected.longTerm().memories().entrySet()) {
            Memory want = e.getValue();
            Memory got = actual.longTerm().memories().get(e.getKey());
            String where = "memory " + e.getKey().length() + " chars long";
            assertEquals(want.content(), got.content(), where + ": content");
            assertEquals(want.timestamp(), got.timestamp(), where + ": timestamp");
            assertEquals(want.importance(), got.importance(), where + ": importance");
            assertEquals(want.metadata(), got.metadata(), where + ": metadata");
        }
        assertEquals(expected.longTerm().topics(), actual.longTerm().topics(), "topics");
        assertEquals(expected.memoryStats().shortTerm(), actual.memoryStats().shortTerm(), "memory_stats.short_term");
        assertEquals(expected.memoryStats().longTerm(), actual.memoryStats().longTerm(), "memory_stats.long_term");
        assertEquals(expected.memoryStats().recentTopics(), actual.memoryStats().recentTopics(), "recent_topics");
        assertEquals(expected.memoryStats().lastToolUsed(), actual.memoryStats().lastToolUsed(), "last_tool_used");
        assertEquals(expected, actual, "the loaded snapshot differs from the saved one");
    }

    private static void assertSameMemories(Map<String, Memory> expected, Map<String, Memory> actual) {
        assertEquals(expected, actual);
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), "memory order changed");
    }
}
