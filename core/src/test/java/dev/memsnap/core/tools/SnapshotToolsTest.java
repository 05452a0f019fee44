package dev.memsnap.core.tools;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.format.Snapshots;
import dev.memsnap.core.prune.RetentionPolicy;
import dev.memsnap.core.store.FileStores;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotToolsTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 1, 1, 0, 0);

    @TempDir
    Path dir;

    private SnapshotStore store;
    private SnapshotTools tools;

    private static String id(int n) {
        return String.format("snapshot_20250101_000000_%08x", n);
    }

    @BeforeEach
    void openStore() {
        store = FileStores.open(dir.resolve("store"), SnapshotCodec.plain());
        store.start();
        tools = new SnapshotTools(store);
    }

    /** Snapshot n is taken n hours after T0; every 7th mentions tea, every 10th has an important "work" fact. */
    private static MemorySnapshot numbered(int n) {
        Map<String, Memory> memories = new java.util.LinkedHashMap<>();
        memories.put("memory_1", Memory.of("chat " + n, T0, 0.2, "observation", List.of("smalltalk")));
        if (n % 10 == 0) {
            memories.put("memory_2", Memory.of("Works at ACME", T0, 0.9, "fact", List.of("work")));
        }
        List<Turn> turns = List.of(new Turn("user", n % 7 == 0 ? "I would like some Tea" : "hello " + n));
        return Snapshots.of(id(n), T0.plusHours(n), turns, T0, memories, null);
    }

    private Set<Integer> found(SnapshotFilter filter) {
        return tools.find(filter).stream().map(s -> Integer.parseInt(s.snapshotId().substring(25), 16))
                .collect(Collectors.toSet());
    }

    private static Set<Integer> numbers(java.util.function.IntPredicate which) {
        return IntStream.rangeClosed(1, 300).filter(which).boxed().collect(Collectors.toSet());
    }

    @Test
    void filtersFindExactlyTheMatchingSnapshotsAmongHundreds() {
        for (int n = 1; n <= 300; n++) {
            store.save(numbered(n));
        }
        tools.label(id(70), Set.of("release", "good"), Set.of());
        tools.label(id(140), Set.of("release"), Set.of());
        tools.pin(id(140), true);

        assertEquals(numbers(n -> true), found(SnapshotFilter.ALL));
        assertEquals(numbers(n -> n >= 100 && n <= 120), found(new SnapshotFilter(T0.plusHours(100),
                T0.plusHours(120), null, null, null, null, Set.of(), false)));
        assertEquals(numbers(n -> n % 7 == 0), found(new SnapshotFilter(null, null, "tea", null, null, null,
                Set.of(), false)));
        assertEquals(numbers(n -> n % 10 == 0), found(new SnapshotFilter(null, null, null, "work", null, null,
                Set.of(), false)));
        assertEquals(numbers(n -> n % 10 == 0), found(new SnapshotFilter(null, null, null, null, "fact", 0.5,
                Set.of(), false)));
        assertEquals(Set.of(), found(new SnapshotFilter(null, null, null, "smalltalk", null, 0.5, Set.of(), false)),
                "one memory must meet every memory criterion");
        assertEquals(numbers(n -> n % 70 == 0 && n <= 140), found(new SnapshotFilter(null, null, "acme", null,
                null, null, Set.of("release"), false)));
        assertEquals(Set.of(70), found(new SnapshotFilter(null, null, null, null, null, null,
                Set.of("release", "good"), false)));
        assertEquals(Set.of(140), found(new SnapshotFilter(null, null, null, null, null, null, Set.of(), true)));
    }

    @Test
    void labelsAndPinsChangeOnlyWhatIsAsked() {
        store.save(numbered(1));
        assertEquals(new SnapshotTags(Set.of("a", "b"), false), tools.label(id(1), Set.of("a", "b"), Set.of()));
        assertEquals(new SnapshotTags(Set.of("a", "b"), true), tools.pin(id(1), true));
        assertEquals(new SnapshotTags(Set.of("b"), true), tools.label(id(1), Set.of(), Set.of("a")));
        assertEquals(new SnapshotTags(Set.of("b"), false), tools.pin(id(1), false));
    }

    @Test
    void pruneKeepsPinnedAndADryRunDeletesNothing() {
        for (int n = 1; n <= 10; n++) {
            store.save(numbered(n));
        }
        tools.pin(id(2), true);
        RetentionPolicy lastThree = new RetentionPolicy(3, null, 0, 0, 0, 0, 0);
        var dry = tools.prune(lastThree, true);
        assertEquals(6, dry.remove().size());
        assertEquals(10, store.list().size());
        tools.prune(lastThree, false);
        assertEquals(List.of(id(10), id(9), id(8), id(2)),
                store.list().stream().map(m -> m.snapshotId()).toList());
    }

    @Test
    void verifyReportsEachDamagedSnapshotAndPassesTheRest() throws Exception {
        KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
        SnapshotStore mixed = FileStores.open(dir.resolve("store"),
                new SnapshotCodec(new SnapshotJson(), Compression.GZIP, 6, () -> keys));
        mixed.save(numbered(2)); // encrypted
        store.save(numbered(1)); // plain
        FileStores.open(dir.resolve("store"), new SnapshotCodec(new SnapshotJson(), Compression.GZIP, 6, null))
                .save(numbered(3)); // gzip
        for (int n = 4; n <= 6; n++) {
            store.save(numbered(n));
        }
        Path flipped = dir.resolve("store/" + id(4) + ".json");
        byte[] bytes = Files.readAllBytes(flipped);
        bytes[bytes.length / 2] ^= 1;
        Files.write(flipped, bytes);
        Path truncated = dir.resolve("store/" + id(5) + ".json");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(truncated), 100));

        List<int[]> progress = new java.util.ArrayList<>();
        List<Verification> results = new SnapshotTools(mixed).verify((done, total) ->
                progress.add(new int[] {done, total}));
        assertEquals(6, results.size());
        assertEquals(6, progress.size());
        assertEquals(6, progress.get(5)[0]);
        Map<String, Verification> byId = results.stream().collect(Collectors.toMap(Verification::snapshotId, v -> v));
        assertTrue(byId.get(id(1)).intact(), byId.get(id(1)).detail());
        assertTrue(byId.get(id(2)).detail().startsWith("encrypted"), byId.get(id(2)).detail());
        assertTrue(byId.get(id(3)).detail().startsWith("gzip"), byId.get(id(3)).detail());
        assertFalse(byId.get(id(4)).intact());
        assertFalse(byId.get(id(5)).intact());
        assertTrue(byId.get(id(6)).intact());
        assertEquals(Set.of(id(4), id(5)), results.stream().filter(v -> !v.intact())
                .map(Verification::snapshotId).collect(Collectors.toSet()));
    }

    @Test
    void anInterruptedRekeyLosesNothingAndARerunFinishesIt() throws Exception {
        KeyRing oldKey = KeyRing.ofKey(KeyRing.generateKey());
        KeyRing newKey = KeyRing.ofKey(KeyRing.generateKey());
        Path storeDir = dir.resolve("enc");
        SnapshotCodec oldCodec = new SnapshotCodec(new SnapshotJson(), Compression.NONE, 6, () -> oldKey);
        SnapshotStore oldStore = FileStores.open(storeDir, oldCodec);
        List<MemorySnapshot> all = IntStream.rangeClosed(1, 12).mapToObj(SnapshotToolsTest::numbered).toList();
        all.forEach(oldStore::save);
        oldStore.setTags(id(3), new SnapshotTags(Set.of("x"), true));

        SnapshotStore rotating = FileStores.open(storeDir, oldCodec.withKeys(newKey.readingAlso(oldKey)));
        RuntimeException crash = new RuntimeException("killed");
        assertThrows(RuntimeException.class, () -> new SnapshotTools(rotating).copyTo(rotating, (done, total) -> {
            if (done == 5) {
                throw crash;
            }
        }));
        for (MemorySnapshot s : all) {
            assertEquals(s, rotating.read(s.snapshotId()).orElseThrow(), "readable mid-rotation");
        }
        var result = new SnapshotTools(rotating).copyTo(rotating, SnapshotTools.Progress.NONE);
        assertEquals(12, result.copied());
        SnapshotStore newOnly = FileStores.open(storeDir, oldCodec.withKeys(newKey));
        for (MemorySnapshot s : all) {
            assertEquals(s, newOnly.read(s.snapshotId()).orElseThrow());
            byte[] stored = Files.readAllBytes(storeDir.resolve(s.snapshotId() + ".json.enc"));
            assertEquals(oldCodec.withKeys(newKey).writeKeyId(), SnapshotCodec.keyIdOf(stored));
        }
        assertEquals(new SnapshotTags(Set.of("x"), true), newOnly.tags(id(3)));
    }

    @Test
    void exportToAnotherFormatAndImportBackIsLossless() {
        store.save(TestSnapshots.awkward(id(1), T0));
        store.save(numbered(2));
        tools.label(id(2), Set.of("keep-me"), Set.of());
        SnapshotStore gz = FileStores.open(dir.resolve("gz"),
                new SnapshotCodec(new SnapshotJson(), Compression.GZIP, 9, null));
        assertEquals(2, tools.copyTo(gz, SnapshotTools.Progress.NONE).copied());
        assertTrue(Files.exists(dir.resolve("gz/" + id(1) + ".json.gz")));
        SnapshotStore back = FileStores.open(dir.resolve("back"), SnapshotCodec.plain());
        assertEquals(2, new SnapshotTools(gz).copyTo(back, SnapshotTools.Progress.NONE).copied());
        assertEquals(store.read(id(1)), back.read(id(1)));
        assertEquals(store.read(id(2)), back.read(id(2)));
        assertEquals(Set.of("keep-me"), back.tags(id(2)).labels());
        List<StoredSnapshot> inventory = back.inventory();
        assertEquals(2, inventory.size());
    }
}
