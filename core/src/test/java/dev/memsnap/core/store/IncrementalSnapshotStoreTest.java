package dev.memsnap.core.store;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.ConfigException;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.LongTermState;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.format.Snapshots;
import dev.memsnap.core.testing.SnapshotStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IncrementalSnapshotStoreTest extends SnapshotStoreContract {
    @TempDir
    Path dir;

    @Override
    protected SnapshotStore createStore() {
        return started(dir, SnapshotCodec.plain());
    }

    @Override
    protected SnapshotStore reopenStore() {
        return started(dir, SnapshotCodec.plain());
    }

    private static IncrementalSnapshotStore started(Path dir, SnapshotCodec codec) {
        IncrementalSnapshotStore store = new IncrementalSnapshotStore(dir, codec);
        store.start();
        return store;
    }

    /** A state of n memories of a few hundred bytes each, as an assistant builds it. */
    private static LongTermState memories(int n, int salt) {
        LongTermState.Builder builder = LongTermState.builder();
        for (int i = 1; i <= n; i++) {
            builder.add("memory_" + i, Memory.of("memory " + i + " " + "about something ".repeat(15 + i % 10)
                    + (i % 1000 == salt ? "changed" : ""), T0.plusSeconds(i), (i % 10) / 10.0,
                    i % 2 == 0 ? "fact" : "preference", List.of("topic" + i % 40, "user")));
        }
        return builder.build();
    }

    private static MemorySnapshot snapshot(int n, LongTermState memories, int second) {
        return Snapshots.of(String.format("snapshot_20250426_1234%02d_%08x", second, n + second),
                T0.plusSeconds(second), List.of(new Turn("user", "hello")), T0, memories, null);
    }

    @Test
    void savingAfterAHundredNewMemoriesWritesAFractionOfTheWhole() {
        IncrementalSnapshotStore store = started(dir.resolve("inc"), SnapshotCodec.plain());
        LongTermState base = memories(10_000, -1);
        store.save(snapshot(1, base, 1));
        long firstSave = store.bytesWritten();
        long fullJson = new SnapshotJson().toBytes(snapshot(1, base, 1)).length;

        LongTermState.Builder grown = LongTermState.builder();
        base.forEach(grown::add);
        for (int i = 10_001; i <= 10_100; i++) {
            grown.add("memory_" + i, Memory.of("new memory " + i, T0, 0.5, "fact", List.of("new")));
        }
        MemorySnapshot next = snapshot(2, grown.build(), 2);
        store.save(next);
        long increment = store.bytesWritten() - firstSave;
        assertTrue(increment * 100 < 2 * fullJson, increment + " bytes for 100 new memories of a " + fullJson
                + "-byte snapshot");
        assertEquals(next, store.read(next.snapshotId()).orElseThrow());

        long beforeSame = store.bytesWritten();
        store.save(snapshot(3, grown.build(), 3));
        assertTrue(store.bytesWritten() - beforeSame < 20_000, "an unchanged state writes only a manifest");
    }

    @Test
    void aChangedMemoryRewritesOnlyItsOwnChunk() {
        IncrementalSnapshotStore store = started(dir.resolve("inc"), SnapshotCodec.plain());
        store.save(snapshot(1, memories(5_000, -1), 1));
        long before = store.bytesWritten();
        store.save(snapshot(2, memories(5_000, 500), 2)); // memories 500, 1500, ... changed: 5 of 5000
        long full = new SnapshotJson().toBytes(snapshot(2, memories(5_000, 500), 2)).length;
        assertTrue((store.bytesWritten() - before) * 10 < full, (store.bytesWritten() - before) + " of " + full);
    }

    @Test
    void aChunkWhoseFirstMemoryIsTheSameObjectButAnotherChangedIsStoredAnew() {
        IncrementalSnapshotStore store = started(dir.resolve("inc"), SnapshotCodec.plain());
        LongTermState base = memories(2_000, -1);
        store.save(snapshot(1, base, 1));
        LongTermState.Builder changed = LongTermState.builder();
        base.forEach((key, memory) -> changed.add(key, key.equals("memory_3") || key.equals("memory_1999")
                ? Memory.of("replaced", T0, 0.9, "fact", List.of("new")) : memory)); // every other object shared
        MemorySnapshot next = snapshot(2, changed.build(), 2);
        store.save(next);
        IncrementalSnapshotStore reopened = started(dir.resolve("inc"), SnapshotCodec.plain());
        assertEquals(next, reopened.read(next.snapshotId()).orElseThrow());
        assertEquals(snapshot(1, base, 1), reopened.read(snapshot(1, base, 1).snapshotId()).orElseThrow());
    }

    @Test
    void aChunkCollectedSinceTheLastSaveIsWrittenAgainWhenASaveNamesIt() throws IOException {
        Path storeDir = dir.resolve("inc");
        IncrementalSnapshotStore store = started(storeDir, SnapshotCodec.plain());
        LongTermState state = memories(1_000, -1);
        MemorySnapshot first = snapshot(1, state, 1);
        store.save(first);
        assertTrue(store.delete(first.snapshotId()));
        try (Stream<Path> files = Files.walk(storeDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            }
        }
        assertTrue(store.collectGarbage(Duration.ofHours(1), false).pieces() > 0, "the chunks went"); // here

        MemorySnapshot again = snapshot(2, state, 2); // the very same memory objects, a moment later
        store.save(again);
        IncrementalSnapshotStore reopened = started(storeDir, SnapshotCodec.plain());
        assertEquals(again, reopened.read(again.snapshotId()).orElseThrow());
        assertTrue(reopened.verify(again.snapshotId()).intact());
    }

    @Test
    void exportingReadsBackTheSeedJsonExactly() throws IOException {
        SnapshotStore incremental = started(dir.resolve("inc"), SnapshotCodec.plain());
        MemorySnapshot snapshot = snapshot(7, memories(1_000, -1), 7);
        incremental.save(snapshot);
        SnapshotStore plain = FileStores.open(dir.resolve("plain"), SnapshotCodec.plain());
        plain.save(incremental.read(snapshot.snapshotId()).orElseThrow());
        assertArrayEquals(new SnapshotJson().toBytes(snapshot),
                Files.readAllBytes(dir.resolve("plain").resolve(snapshot.snapshotId() + ".json")));
    }

    @Test
    void encryptedChunksAndManifestsRevealNothing() throws IOException {
        KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
        SnapshotCodec codec = new SnapshotCodec(new SnapshotJson(), Compression.ZSTD, 6, () -> keys);
        SnapshotStore store = started(dir.resolve("enc"), codec);
        MemorySnapshot snapshot = snapshot(8, memories(500, -1), 8);
        store.save(snapshot);
        assertEquals(snapshot, started(dir.resolve("enc"), codec).read(snapshot.snapshotId()).orElseThrow());
        try (Stream<Path> files = Files.walk(dir.resolve("enc"))) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.endsWith("index.jsonl")).toList()) {
                assertFalse(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains("about something"), file.toString());
            }
        }
    }

    @Test
    void aDamagedChunkIsFoundByItsName() throws IOException {
        SnapshotStore store = started(dir.resolve("inc"), SnapshotCodec.plain());
        MemorySnapshot snapshot = snapshot(9, memories(300, -1), 9);
        store.save(snapshot);
        Path pack;
        try (Stream<Path> files = Files.list(dir.resolve("inc/packs"))) {
            pack = files.filter(f -> f.toString().endsWith(".pack")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(pack);
        bytes[bytes.length / 2] ^= 0x40; // inside some chunk's stored bytes
        Files.write(pack, bytes);
        SnapshotStore reopened = started(dir.resolve("inc"), SnapshotCodec.plain());
        for (SnapshotStore s : List.of(store, reopened)) {
            assertThrows(dev.memsnap.api.SnapshotException.class, () -> s.read(snapshot.snapshotId()));
            assertFalse(s.verify(snapshot.snapshotId()).intact());
            assertEquals(1, s.list().size(), "a damaged pack never breaks a listing");
        }
    }

    @Test
    void aManifestTheIndexMissedIsIndexedOnStartAndItsDeletedPackIsCollected() throws IOException {
        Path storeDir = dir.resolve("inc");
        IncrementalSnapshotStore store = started(storeDir, SnapshotCodec.plain());
        MemorySnapshot kept = snapshot(10, memories(200, -1), 10);
        MemorySnapshot dropped = snapshot(11, memories(100, -1).append("memory_x",
                Memory.of("only here", T0, 1, "fact", List.of()), new java.util.HashSet<>()), 11);
        store.save(kept);
        store.save(dropped);
        Files.delete(storeDir.resolve("index.jsonl")); // as if the index lines were lost in a crash
        IncrementalSnapshotStore reopened = started(storeDir, SnapshotCodec.plain());
        assertEquals(List.of(dropped.snapshotId(), kept.snapshotId()),
                reopened.list().stream().map(m -> m.snapshotId()).toList());

        assertTrue(reopened.delete(dropped.snapshotId()));
        long chunksBefore;
        try (Stream<Path> files = Files.walk(storeDir.resolve("packs"))) {
            chunksBefore = files.filter(Files::isRegularFile).count();
        }
        var wouldFree = reopened.collectGarbage(Duration.ofHours(1), true);
        assertTrue(wouldFree.pieces() >= 1 && wouldFree.bytes() > 0 && wouldFree.dryRun(), wouldFree.toString());
        try (Stream<Path> files = Files.walk(storeDir.resolve("packs"))) {
            assertEquals(chunksBefore, files.filter(Files::isRegularFile).count(), "a dry run removes nothing");
        }
        var freed = reopened.collectGarbage(Duration.ofHours(1), false);
        assertEquals(wouldFree.pieces(), freed.pieces());
        assertEquals(wouldFree.bytes(), freed.bytes());
        try (Stream<Path> files = Files.walk(storeDir.resolve("packs"))) {
            assertEquals(chunksBefore - 1, files.filter(Files::isRegularFile).count(), "the dropped save's pack");
        }
        assertEquals(0, reopened.collectGarbage(Duration.ofHours(1), false).pieces(), "nothing left to collect");
        assertEquals(kept, reopened.read(kept.snapshotId()).orElseThrow(), "what a manifest names stays");
    }

    @Test
    void configChoosesTheStoreAndAnUnknownNameListsTheKnownOnes() {
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: " + dir + "\n  store: incremental\n");
        try (Memsnap memsnap = Memsnap.start(config)) {
            var manager = memsnap.manager();
            manager.addMemory("x", "fact", 0.5, List.of("a"));
            String id = manager.createSnapshot();
            manager.saveSnapshot(id);
            assertTrue(Files.exists(dir.resolve("manifests").resolve(id + ".json")));
            assertEquals(1, manager.listSnapshots().size());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> Memsnap.start(ConfigFile.parse("c",
                "memory:\n  snapshot_dir: " + dir + "\n  store: cloud\n")));
        assertTrue(e.getMessage().contains("no store named \"cloud\"; known stores: file, incremental"),
                e.getMessage());
    }

}
