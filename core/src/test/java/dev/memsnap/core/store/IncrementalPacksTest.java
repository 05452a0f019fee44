package dev.memsnap.core.store;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.GarbageCollection;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.LongTermState;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.format.Snapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The incremental store's packs: what a save writes, what old stores still give, what garbage collection frees. */
class IncrementalPacksTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 4, 26, 12, 34, 56, 789_012_000);

    @TempDir
    Path dir;

    private static IncrementalSnapshotStore started(Path dir) {
        IncrementalSnapshotStore store = new IncrementalSnapshotStore(dir, SnapshotCodec.plain());
        store.start();
        return store;
    }

    private static Memory memory(int i, String extra) {
        return Memory.of("memory " + i + " " + "about something the user said ".repeat(12 + i % 10) + extra,
                T0.plusSeconds(i), (i % 10) / 10.0, i % 2 == 0 ? "fact" : "preference",
                List.of("topic" + i % 40, "user"));
    }

    private static LongTermState memories(int n) {
        LongTermState.Builder builder = LongTermState.builder();
        for (int i = 1; i <= n; i++) {
            builder.add("memory_" + i, memory(i, ""));
        }
        return builder.build();
    }

    /** The same memory objects, but {@code changes} of them, spread evenly, replaced by changed ones. */
    private static LongTermState changed(LongTermState base, int changes, String mark) {
        LongTermState.Builder builder = LongTermState.builder();
        int every = base.size() / changes;
        int i = 0;
        for (Map.Entry<String, Memory> e : base.entrySet()) {
            builder.add(e.getKey(), i++ % every == every / 2 ? memory(i, mark) : e.getValue());
        }
        return builder.build();
    }

    private static MemorySnapshot snapshot(int second, LongTermState memories) {
        return Snapshots.of(String.format("snapshot_20250426_1234%02d_%08x", second, second),
                T0.plusSeconds(second), List.of(new Turn("user", "hello"), new Turn("assistant", "hi")), T0,
                memories, null);
    }

    private List<Path> packs(Path store) throws IOException {
        try (Stream<Path> files = Files.list(store.resolve("packs"))) {
            return files.filter(f -> f.toString().endsWith(".pack")).sorted().toList();
        }
    }

    @Test
    void aHundredScatteredChangesToAHundredThousandMemoriesWriteUnderOnePercentInOnePack() throws IOException {
        IncrementalSnapshotStore store = started(dir);
        LongTermState base = memories(100_000);
        MemorySnapshot first = snapshot(1, base);
        store.save(first);
        long fullJson = new SnapshotJson().toBytes(first).length;
        assertEquals(1, packs(dir).size(), "a save's chunks go into one pack");

        long before = store.bytesWritten();
        MemorySnapshot next = snapshot(2, changed(base, 100, "changed"));
        store.save(next);
        long written = store.bytesWritten() - before;
        assertTrue(written * 100 <= fullJson, written + " bytes written for 100 changes of a " + fullJson
                + "-byte snapshot: more than 1%");
        assertEquals(2, packs(dir).size(), "one more pack for the second save");
        assertEquals(next, started(dir).read(next.snapshotId()).orElseThrow());
        assertEquals(first, store.read(first.snapshotId()).orElseThrow());
    }

    @Test
    void insertionsRemovalsAndAppendsAfterTheLastSaveRewriteOnlyTheLeavesAroundThemAndReadBackExactly()
            throws IOException {
        IncrementalSnapshotStore store = started(dir);
        LongTermState base = memories(20_000);
        MemorySnapshot first = snapshot(1, base);
        store.save(first);
        long fullJson = new SnapshotJson().toBytes(first).length;

        // a memory in front of all others, one gone from the middle, two appended: the same objects otherwise
        java.util.LinkedHashMap<String, Memory> edited = new java.util.LinkedHashMap<>();
        edited.put("memory_front", memory(0, "inserted"));
        base.forEach((id, m) -> {
            if (!id.equals("memory_10000")) {
                edited.put(id, m);
            }
        });
        edited.put("memory_20001", memory(20_001, "appended"));
        edited.put("memory_20002", memory(20_002, "appended"));
        List<MemorySnapshot> saved = new ArrayList<>(List.of(first));
        for (int s = 2; s <= 3; s++) {
            saved.add(saveWritingUnderOnePercent(store, snapshot(s, s == 2 ? LongTermState.of(edited)
                    : changed(LongTermState.of(edited), 10, "again")), fullJson));
        }
        assertAllReadBack(store, saved);
    }

    private static MemorySnapshot saveWritingUnderOnePercent(IncrementalSnapshotStore store, MemorySnapshot snapshot,
                                                             long fullJson) {
        long before = store.bytesWritten();
        store.save(snapshot);
        long written = store.bytesWritten() - before;
        assertTrue(written * 100 <= fullJson, written + " bytes written of a " + fullJson + "-byte snapshot");
        return snapshot;
    }

    /** Every snapshot reads back as saved, from the store that saved it and from a new one on its directory. */
    private void assertAllReadBack(IncrementalSnapshotStore store, List<MemorySnapshot> saved) {
        IncrementalSnapshotStore reopened = started(dir);
        for (MemorySnapshot snapshot : saved) {
            assertEquals(snapshot, store.read(snapshot.snapshotId()).orElseThrow());
            assertEquals(snapshot, reopened.read(snapshot.snapshotId()).orElseThrow());
        }
    }

    @Test
    void statesPutIntoInPlaceSaveOnlyWhatChangedAndReadBackExactly() throws IOException {
        IncrementalSnapshotStore store = started(dir);
        LongTermState state = memories(20_000);
        MemorySnapshot first = snapshot(1, state);
        store.save(first);
        long fullJson = new SnapshotJson().toBytes(first).length;
        List<MemorySnapshot> saved = new ArrayList<>(List.of(first));
        for (int s = 2; s <= 6; s++) {
            Map<String, Memory> changes = new java.util.LinkedHashMap<>();
            for (int k = 0; k < 20; k++) {
                int i = 1 + (k * 997 + s * 31) % 20_000;
                changes.put("memory_" + i, memory(i, "round " + s));
            }
            changes.put("memory_1", memory(1, "first, round " + s));
            changes.put("memory_20000", memory(20_000, "last, round " + s));
            changes.put("memory_added_" + s, memory(s, "added"));
            state = state.putting(changes);
            saved.add(saveWritingUnderOnePercent(store, snapshot(s, state), fullJson));
        }
        assertAllReadBack(store, saved);
    }

    @Test
    void everySnapshotReadsBackAsSavedAndExportsTheSeedJsonExactly() throws IOException {
        IncrementalSnapshotStore store = started(dir.resolve("inc"));
        LongTermState state = memories(3_000);
        List<MemorySnapshot> saved = new ArrayList<>();
        for (int s = 1; s <= 5; s++) {
            state = changed(state, 10, "round " + s).append("memory_new_" + s, memory(s, "new"),
                    new java.util.HashSet<>());
            MemorySnapshot snapshot = snapshot(s, state);
            store.save(snapshot);
            saved.add(snapshot);
        }
        IncrementalSnapshotStore reopened = started(dir.resolve("inc"));
        for (MemorySnapshot snapshot : saved) {
            assertEquals(snapshot, reopened.read(snapshot.snapshotId()).orElseThrow());
            assertTrue(reopened.verify(snapshot.snapshotId()).intact());
            FileStores.open(dir.resolve("plain"), SnapshotCodec.plain()).save(
                    reopened.read(snapshot.snapshotId()).orElseThrow());
            assertArrayEquals(new SnapshotJson().toBytes(snapshot),
                    Files.readAllBytes(dir.resolve("plain").resolve(snapshot.snapshotId() + ".json")));
        }
        assertEquals(5, packs(dir.resolve("inc")).size());
    }

    /** Writes a store as memsnap did before packs: a file per ~64-memory chunk, manifests naming them flat. */
    private static void writeOldLayout(Path store, MemorySnapshot snapshot) throws IOException {
        SnapshotJson json = new SnapshotJson();
        List<String> ids = new ArrayList<>();
        List<Map.Entry<String, Memory>> chunk = new ArrayList<>();
        List<Map.Entry<String, Memory>> all = new ArrayList<>(snapshot.longTerm().memories().entrySet());
        for (int i = 0; i < all.size(); i++) {
            chunk.add(all.get(i));
            int h = all.get(i).getKey().hashCode();
            h ^= h >>> 16;
            h *= 0x85ebca6b;
            h ^= h >>> 13;
            if (chunk.size() == 256 || Math.floorMod(h, 64) == 0 || i == all.size() - 1) {
                ByteArrayOutputStream plain = new ByteArrayOutputStream();
                json.writeChunk(chunk, plain);
                String id = HexFormat.of().formatHex(Checksums.sha256().digest(plain.toByteArray()));
                Path file = store.resolve("chunks").resolve(id.substring(0, 2)).resolve(id);
                Files.createDirectories(file.getParent());
                Files.write(file, plain.toByteArray());
                ids.add(id);
                chunk.clear();
            }
        }
        ByteArrayOutputStream manifest = new ByteArrayOutputStream();
        json.writeManifest(snapshot, ids, manifest);
        Files.createDirectories(store.resolve("manifests"));
        Files.write(store.resolve("manifests").resolve(snapshot.snapshotId() + ".json"), manifest.toByteArray());
    }

    @Test
    void aStoreWrittenBeforePacksStillReadsVerifiesListsAndExports() throws IOException {
        Path store = dir.resolve("old");
        MemorySnapshot old = snapshot(1, memories(1_000));
        writeOldLayout(store, old);
        IncrementalSnapshotStore opened = started(store); // indexes the manifest, as after a crash
        assertEquals(List.of(old.snapshotId()), opened.list().stream().map(m -> m.snapshotId()).toList());
        assertEquals(old, opened.read(old.snapshotId()).orElseThrow());
        assertTrue(opened.verify(old.snapshotId()).intact());
        FileStores.open(dir.resolve("plain"), SnapshotCodec.plain()).save(opened.read(old.snapshotId()).orElseThrow());
        assertArrayEquals(new SnapshotJson().toBytes(old),
                Files.readAllBytes(dir.resolve("plain").resolve(old.snapshotId() + ".json")));

        // a new save beside it, then the old one deleted: its chunk files go after their grace, the new pack stays
        MemorySnapshot next = snapshot(2, changed(old.longTerm().memories() instanceof LongTermState l ? l
                : memories(1_000), 10, "x"));
        opened.save(next);
        assertTrue(opened.delete(old.snapshotId()));
        assertEquals(0, opened.collectGarbage(Duration.ofHours(1), false).pieces(), "young chunk files are kept");
        try (Stream<Path> files = Files.walk(store.resolve("chunks"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            }
        }
        long chunkFiles;
        try (Stream<Path> files = Files.walk(store.resolve("chunks"))) {
            chunkFiles = files.filter(Files::isRegularFile).count();
        }
        GarbageCollection freed = opened.collectGarbage(Duration.ofHours(1), false);
        assertTrue(freed.pieces() > 0, freed.toString());
        try (Stream<Path> files = Files.walk(store.resolve("chunks"))) {
            // a chunk file whose content is also one of the new leaves is named by the new manifest, and stays
            assertEquals(chunkFiles - freed.pieces(), files.filter(Files::isRegularFile).count());
        }
        assertEquals(next, started(store).read(next.snapshotId()).orElseThrow());
    }

    @Test
    void aDryRunRemovesNothingAndARealRunFreesWhatItReportedRepackingMostlyDeadPacks() throws IOException {
        IncrementalSnapshotStore store = started(dir);
        LongTermState base = memories(2_000);
        MemorySnapshot a = snapshot(1, base);
        MemorySnapshot b = snapshot(2, changed(base, 400, "b")); // a fifth of b's leaves new: b's pack mostly b's
        MemorySnapshot c = snapshot(3, changed(base, 5, "c"));
        store.save(a);
        store.save(b);
        store.save(c);
        assertEquals(3, packs(dir).size());
        assertTrue(store.delete(a.snapshotId())); // a's pack: mostly still named by c, partly dead
        assertTrue(store.delete(b.snapshotId())); // b's pack: wholly dead
        List<Path> before = packs(dir);
        GarbageCollection wouldFree = store.collectGarbage(true);
        assertTrue(wouldFree.dryRun() && wouldFree.pieces() > 0 && wouldFree.bytes() > 0, wouldFree.toString());
        assertEquals(before, packs(dir), "a dry run removes nothing");

        long sizeBefore = totalSize(dir.resolve("packs"));
        GarbageCollection freed = store.collectGarbage(false);
        assertEquals(wouldFree.pieces(), freed.pieces());
        assertEquals(wouldFree.bytes(), freed.bytes());
        assertEquals(sizeBefore - freed.bytes(), totalSize(dir.resolve("packs")), "frees exactly what it reported");
        assertEquals(GarbageCollection.none(false), store.collectGarbage(false), "nothing left to collect");
        assertEquals(c, store.read(c.snapshotId()).orElseThrow());
        assertEquals(c, started(dir).read(c.snapshotId()).orElseThrow());
        assertTrue(started(dir).verify(c.snapshotId()).intact());

        MemorySnapshot d = snapshot(4, changed(c.longTerm().memories() instanceof LongTermState l ? l : base, 5, "d"));
        store.save(d); // after a collection, a save remembers nothing collected
        assertEquals(d, started(dir).read(d.snapshotId()).orElseThrow());
    }

    private static long totalSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long size = 0;
            for (Path f : files.toList()) {
                size += Files.size(f);
            }
            return size;
        }
    }

    @Test
    void aChunkNamedByASaveInProgressInAnotherStoreInstanceIsNeverCollected() throws Exception {
        IncrementalSnapshotStore collecting = started(dir);
        IncrementalSnapshotStore saving = started(dir);
        for (int round = 1; round <= 15; round++) {
            // a deleted snapshot leaves its chunks unreferenced; the next save names them again, while another
            // instance collects: whichever goes first, the new snapshot must be whole
            MemorySnapshot dropped = snapshot(2 * round, memories(300 + round));
            saving.save(dropped);
            assertTrue(saving.delete(dropped.snapshotId()));
            MemorySnapshot next = snapshot(2 * round + 1, memories(300 + round));
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Void> save = CompletableFuture.runAsync(() -> {
                await(go);
                saving.save(next);
            });
            CompletableFuture<GarbageCollection> gc = CompletableFuture.supplyAsync(() -> {
                await(go);
                return collecting.collectGarbage(false);
            });
            go.countDown();
            save.get(30, TimeUnit.SECONDS);
            gc.get(30, TimeUnit.SECONDS);
            assertEquals(next, started(dir).read(next.snapshotId()).orElseThrow(), "round " + round);
            assertTrue(saving.delete(next.snapshotId()));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
