package dev.memsnap.store.postgres;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.GarbageCollection;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.format.Snapshots;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots as manifests naming chunk rows (V4): what is written, what old rows do, and garbage collection. */
class ChunkedStorageTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 3, 1, 9, 0);
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private final PostgresServer server = PostgresServer.shared();
    private final String database = server.createDatabase();
    private final List<PostgresSnapshotStore> stores = new ArrayList<>();

    @AfterEach
    void stop() {
        stores.forEach(PostgresSnapshotStore::stop);
    }

    private PostgresStoreConfig config(String schema) {
        return server.config(database, schema);
    }

    private PostgresSnapshotStore started(PostgresStoreConfig config, SnapshotCodec codec) {
        PostgresSnapshotStore store = PostgresServer.started(config, codec);
        stores.add(store);
        return store;
    }

    private static String id(int n) {
        return String.format("snapshot_20250301_090000_%08x", n);
    }

    static Map<String, Memory> memories(int count, int version) {
        Map<String, Memory> memories = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            memories.put("memory_" + (i + 1), Memory.of("memory " + i + " v" + version + " " + "x".repeat(200),
                    T0.minusMinutes(i), 0.5, "fact", List.of("t" + (i % 7))));
        }
        return memories;
    }

    private static MemorySnapshot snapshot(int n, Map<String, Memory> memories) {
        return Snapshots.of(id(n), T0.plusMinutes(n), List.of(new dev.memsnap.api.Turn("user", "hi " + n)),
                T0, memories, null);
    }

    private long count(String table) throws Exception {
        try (Connection c = server.admin(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aSaveAfterAFewChangesWritesTheirLeavesOnlyAndEverySnapshotReadsAndExportsAsSaved() throws Exception {
        PostgresSnapshotStore store = started(config("few"), SnapshotCodec.plain());
        Map<String, Memory> state = new LinkedHashMap<>(memories(2_000, 0));
        MemorySnapshot first = snapshot(1, state);
        store.save(first);
        long full = store.lastSave.chunkBytesWritten();
        for (int i : new int[] {10, 700, 1500}) {
            state.put("memory_" + i, Memory.of("changed " + i, T0, 0.9, "fact", List.of()));
        }
        MemorySnapshot second = snapshot(2, state);
        store.save(second);
        long changed = store.lastSave.storedBytes();
        assertTrue(changed * 50 < full, "3 changes of 2,000 wrote " + changed + " bytes, a full save " + full);

        assertEquals(first, store.read(id(1)).orElseThrow());
        assertEquals(second, store.read(id(2)).orElseThrow());
        PostgresSnapshotStore other = started(config("few"), SnapshotCodec.plain());
        assertEquals(second, other.read(id(2)).orElseThrow(), "another instance, no caches, reads the same");
        ByteArrayOutputStream seed = new ByteArrayOutputStream();
        new SnapshotJson().write(second, seed);
        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        new SnapshotJson().write(other.read(id(2)).orElseThrow(), exported);
        assertArrayEquals(seed.toByteArray(), exported.toByteArray());
        Verification v = other.verify(id(2));
        assertTrue(v.intact() && v.detail().startsWith("chunked"), v.detail());
    }

    @Test
    void rowsSavedWholeBeforeV4StillReadListVerifyAndMixWithChunkedOnes() {
        PostgresSnapshotStore store = started(config("mixed"), SnapshotCodec.plain());
        store.writeChunks(false);
        MemorySnapshot old = TestSnapshots.snapshot(id(1), T0, 3, 5);
        store.saveWhole(old);
        store.writeChunks(true);
        MemorySnapshot fresh = TestSnapshots.snapshot(id(2), T0.plusMinutes(1), 3, 5);
        store.save(fresh);
        assertEquals(old, store.read(id(1)).orElseThrow());
        assertEquals(fresh, store.read(id(2)).orElseThrow());
        assertEquals(List.of(id(2), id(1)), store.list().stream().map(SnapshotMetadata::snapshotId).toList());
        assertTrue(store.verify(id(1)).detail().startsWith("json"), store.verify(id(1)).detail());
        assertTrue(store.verify(id(2)).intact());
        assertEquals(0, store.collectGarbage(false).pieces(), "both are referenced; the whole row has no chunks");
    }

    @Test
    void encryptedStoresEncryptEveryChunkAndNameChunksWithAKeyedHash() throws Exception {
        KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
        SnapshotCodec codec = new SnapshotCodec(new SnapshotJson(), Compression.ZSTD, 6, () -> keys);
        PostgresSnapshotStore encrypted = started(config("enc"), codec);
        PostgresSnapshotStore plain = started(config("plain"), SnapshotCodec.plain());
        MemorySnapshot s = TestSnapshots.snapshot(id(3), T0, 4, 40);
        encrypted.save(s);
        plain.save(s);
        assertEquals(s, encrypted.read(id(3)).orElseThrow());
        try (Connection c = server.admin(database); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT body FROM \"enc\".memsnap_chunks")) {
                int leaves = 0;
                while (rs.next()) {
                    byte[] body = rs.getBytes(1);
                    boolean list = body.length % 32 == 0 && !new String(body, 0, 7, StandardCharsets.US_ASCII)
                            .equals("MSNPENC");
                    assertTrue(list || new String(body, 0, 7, StandardCharsets.US_ASCII).equals("MSNPENC"));
                    leaves += list ? 0 : 1;
                }
                assertTrue(leaves > 3);
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM \"enc\".memsnap_chunks e "
                    + "JOIN \"plain\".memsnap_chunks p ON e.hash = p.hash")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the same content has other names under the key: equality is hidden");
            }
            try (ResultSet rs = st.executeQuery("SELECT key_id, format FROM \"enc\".memsnap_snapshots")) {
                rs.next();
                assertTrue(rs.getString(1) != null && rs.getString(1).length() == 16, rs.getString(1));
                assertEquals("chunks.json.zst.enc", rs.getString(2));
            }
        }
        PostgresSnapshotStore again = started(config("enc"), codec);
        assertEquals(s, again.read(id(3)).orElseThrow(), "another instance reads the sealed name key");
    }

    @Test
    void aDryRunRemovesNothingAndARealRunFreesWhatItReportedLeavingEveryStoredSnapshotWhole() throws Exception {
        PostgresSnapshotStore store = started(config("gc"), SnapshotCodec.plain());
        store.save(snapshot(1, memories(300, 1)));
        store.save(snapshot(2, memories(300, 2)));
        store.save(snapshot(3, memories(300, 2)));
        assertEquals(GarbageCollection.none(true), store.collectGarbage(true));
        long before = count("\"gc\".memsnap_chunks");
        store.delete(id(1));
        assertEquals(before, count("\"gc\".memsnap_chunks"), "a delete leaves its chunks until collection");
        GarbageCollection dry = store.collectGarbage(true);
        assertTrue(dry.pieces() > 10 && dry.bytes() > 10_000 && dry.dryRun(), dry.toString());
        assertEquals(before, count("\"gc\".memsnap_chunks"));
        GarbageCollection real = store.collectGarbage(false);
        assertEquals(new GarbageCollection(dry.pieces(), dry.bytes(), false), real);
        assertEquals(before - real.pieces(), count("\"gc\".memsnap_chunks"));
        assertEquals(GarbageCollection.none(false), store.collectGarbage(false));
        assertTrue(store.verify(id(2)).intact());
        assertTrue(store.verify(id(3)).intact());
        // this instance's cache said the first version's chunks were stored: saving it again must write them again
        store.save(snapshot(4, memories(300, 1)));
        assertEquals(snapshot(4, memories(300, 1)), started(config("gc"), SnapshotCodec.plain()).read(id(4))
                .orElseThrow());
    }

    /**
     * Two instances save snapshots of one slowly changing memory (reusing chunks each knows stored), while the other
     * deletes old ones and collects garbage. With the lock, no saved snapshot ever names a missing chunk.
     */
    @Test
    void twoInstancesSavingAndPruningAndCollectingAtOnceNeverLoseAChunkASavedSnapshotNames() throws Exception {
        assertEquals(List.of(), race("race", true, 150));
    }

    /**
     * The same race with collection not taking the lock: run by hand ({@code -Dmemsnap.race=true}) to see that the
     * lock is what keeps chunks (it is a race, so it may take rounds to lose one; it asserts that one was lost).
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "memsnap.race", matches = "true")
    void withoutTheLockCollectionLosesChunksASaveNames() throws Exception {
        List<String> lost = race("unlocked", false, 300);
        System.out.println("FIGURE without the lock, lost: " + lost.size() + " " + lost.stream().limit(3).toList());
        assertTrue(!lost.isEmpty(), "no loss seen in 300 rounds");
    }

    /** @return the snapshots that did not read back whole */
    List<String> race(String schema, boolean lock, int rounds) throws Exception {
        PostgresSnapshotStore saver = started(config(schema), SnapshotCodec.plain());
        PostgresSnapshotStore pruner = started(config(schema), SnapshotCodec.plain());
        pruner.lockGarbageCollection(lock);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> saved = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(1);
        try {
            Future<?> saving = pool.submit(() -> {
                started.countDown();
                Map<String, Memory> base = memories(200, 0);
                for (int i = 1; i <= rounds; i++) {
                    // alternate between two versions, so chunks of deleted snapshots come back into use
                    Map<String, Memory> state = new LinkedHashMap<>(i % 2 == 0 ? base : memories(200, i % 5));
                    saver.save(snapshot(i, state));
                    Verification v = saver.verify(id(i));
                    if (!v.intact() && !v.detail().equals("not found")) {
                        saved.add(id(i) + ": " + v.detail());
                    }
                }
                done.set(true);
                return null;
            });
            Future<?> pruning = pool.submit(() -> {
                started.await();
                while (!done.get()) {
                    List<SnapshotMetadata> listed = pruner.list();
                    for (int k = 1; k < listed.size(); k++) {
                        pruner.delete(listed.get(k).snapshotId());
                    }
                    pruner.collectGarbage(false);
                }
                return null;
            });
            saving.get();
            pruning.get();
        } finally {
            pool.shutdownNow();
        }
        List<String> lost = new ArrayList<>(saved);
        for (SnapshotMetadata m : pruner.list()) {
            Verification v = pruner.verify(m.snapshotId());
            if (!v.intact()) {
                lost.add(m.snapshotId() + ": " + v.detail());
            }
        }
        return lost;
    }
}
