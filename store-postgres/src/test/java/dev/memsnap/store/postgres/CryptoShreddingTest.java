package dev.memsnap.store.postgres;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.format.SnapshotEncoding;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crypto-shredding in PostgreSQL (V5): with encryption, each memory's snapshots are encrypted under its own data
 * key, a row of {@code memsnap_data_keys}; {@link PostgresSnapshotStore#shredMemory} destroys it, so that a copy of
 * that memory's rows made before (a dump of the snapshot and chunk rows) cannot be decrypted once restored, while
 * every other memory reads.
 */
class CryptoShreddingTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 5, 1, 9, 0);
    private final PostgresServer server = PostgresServer.shared();
    private final String database = server.createDatabase();
    private final KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
    private final SnapshotCodec codec = new SnapshotCodec(new SnapshotJson(), Compression.ZSTD, 6, () -> keys);
    private final List<PostgresSnapshotStore> stores = new ArrayList<>();

    @AfterEach
    void stop() {
        stores.forEach(PostgresSnapshotStore::stop);
    }

    private PostgresSnapshotStore started(String schema, SnapshotEncoding encoding) {
        PostgresSnapshotStore store = new PostgresSnapshotStore(server.config(database, schema),
                Contexts.of(encoding), System::getenv);
        store.start();
        stores.add(store);
        return store;
    }

    private static String id(int n) {
        return String.format("snapshot_20250501_090000_%08x", n);
    }

    private static MemorySnapshot of(String memory, int n, int turns, int memories) {
        return TestSnapshots.snapshot(id(n), T0.plusMinutes(n), turns, memories).withLineage(memory, null);
    }

    @Test
    void aShreddedMemorysCopiedRowsNoLongerDecryptOnceRestoredWhileAnotherMemoryReads() throws Exception {
        PostgresSnapshotStore store = started("s", codec);
        List<MemorySnapshot> alice = List.of(of("alice", 1, 3, 30), of("alice", 2, 4, 31), of("alice", 3, 5, 32));
        alice.forEach(store::save);
        store.writeChunks(false);
        MemorySnapshot aliceWhole = of("alice", 4, 2, 5);
        store.save(aliceWhole);
        store.writeChunks(true);
        // what a pg_dump of the snapshot and chunk rows taken now would restore later, without the key row
        execute("CREATE TABLE public.dumped_snapshots AS SELECT * FROM s.memsnap_snapshots");
        execute("CREATE TABLE public.dumped_chunks AS SELECT * FROM s.memsnap_chunks");
        MemorySnapshot bob = of("bob", 5, 3, 30);
        store.save(bob);
        assertEquals(2, count("s.memsnap_data_keys"), "a key per memory");
        String aliceKey = dataKeyIdOf("s", id(1));

        assertEquals(4, store.shredMemory("alice"));
        assertEquals(List.of(), store.list("alice"));
        assertEquals(1, count("s.memsnap_data_keys"));
        assertEquals(0, store.collectGarbage(true).pieces(), "the shred collected the chunks no row names any more");
        assertEquals(bob, store.read(bob.snapshotId()).orElseThrow());

        execute("INSERT INTO s.memsnap_chunks SELECT * FROM public.dumped_chunks ON CONFLICT DO NOTHING");
        execute("INSERT INTO s.memsnap_snapshots SELECT * FROM public.dumped_snapshots");
        for (String id : List.of(id(1), id(2), id(3), id(4))) {
            SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> store.read(id));
            assertTrue(e.getMessage().contains("its data key was shredded") && e.getMessage().contains(aliceKey)
                    && e.getMessage().contains("memsnap_data_keys"), e.getMessage());
            assertTrue(!store.verify(id).intact());
        }
        // every part of alice's, on its own: none opens under any key that is left (bob's, the master key)
        SnapshotEncoding reader = codec.withDataKeys(new DataKeyRows(store, "s"));
        int parts = 0;
        try (Connection c = server.admin(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT body FROM public.dumped_chunks")) {
            while (rs.next()) {
                byte[] body = rs.getBytes(1);
                if (new String(body, 0, Math.min(7, body.length), java.nio.charset.StandardCharsets.US_ASCII)
                        .equals("MSNPENC")) {
                    parts++;
                    SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
                            () -> reader.decode(body, "a dumped chunk"));
                    assertTrue(e.getMessage().contains("shredded"), e.getMessage());
                }
            }
        }
        assertTrue(parts > 6, parts + " encrypted chunks");
        PostgresSnapshotStore another = started("s", codec);
        assertThrows(SnapshotFormatException.class, () -> another.read(id(2)));
        assertEquals(bob, another.read(bob.snapshotId()).orElseThrow());
    }

    @Test
    void theSameContentInTwoMemoriesSharesNoChunk() throws Exception {
        PostgresSnapshotStore store = started("s", codec);
        store.save(of("alice", 1, 6, 40));
        long alone = count("s.memsnap_chunks");
        store.save(of("bob", 2, 6, 40));
        try (Connection c = server.admin(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM s.memsnap_chunks WHERE octet_length(body) > 0 "
                     + "AND substring(body FROM 1 FOR 7) = 'MSNPENC'::bytea")) {
            rs.next();
            assertEquals(2 * (alone - 1), rs.getLong(1), "every encrypted chunk twice: one per memory's key");
        }
        store.shredMemory("alice");
        assertEquals(of("bob", 2, 6, 40), store.read(id(2)).orElseThrow());
        assertTrue(store.verify(id(2)).intact());
    }

    @Test
    void twoInstancesMakingOneMemorysKeyAtOnceEndWithOneKeyAndReadEachOthersSaves() throws Exception {
        PostgresSnapshotStore first = started("s", codec);
        PostgresSnapshotStore second = started("s", codec);
        int memories = 12;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int m = 0; m < memories; m++) {
                String memory = "user-" + m;
                CountDownLatch go = new CountDownLatch(1);
                int n = 2 * m;
                Future<?> a = pool.submit(() -> {
                    go.await();
                    return first.save(of(memory, n, 2, 3));
                });
                Future<?> b = pool.submit(() -> {
                    go.await();
                    return second.save(of(memory, n + 1, 2, 4));
                });
                go.countDown();
                a.get(60, TimeUnit.SECONDS);
                b.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(memories, count("s.memsnap_data_keys"), "one key per memory, whoever made it");
        for (int m = 0; m < memories; m++) {
            String memory = "user-" + m;
            assertEquals(of(memory, 2 * m + 1, 2, 4), first.read(memory, id(2 * m + 1)).orElseThrow());
            assertEquals(of(memory, 2 * m, 2, 3), second.read(memory, id(2 * m)).orElseThrow());
            assertEquals(dataKeyIdOf("s", id(2 * m)), dataKeyIdOf("s", id(2 * m + 1)));
        }
    }

    @Test
    void aShredThenANewSaveOfTheSameMemoryStartsAFreshKeyAndOldChunksAreNeverReused() throws Exception {
        PostgresSnapshotStore store = started("s", codec);
        PostgresSnapshotStore other = started("s", codec);
        MemorySnapshot before = of("alice", 1, 5, 40);
        store.save(before);
        String oldKey = dataKeyIdOf("s", id(1));
        assertEquals(before, other.read(id(1)).orElseThrow(), "the other instance has the old key opened");
        execute("CREATE TABLE public.dumped_chunks AS SELECT * FROM s.memsnap_chunks");
        execute("CREATE TABLE public.dumped_snapshots AS SELECT * FROM s.memsnap_snapshots");
        store.shredMemory("alice");
        // the old chunks come back (a restore) before the memory is used again: the same content must not name them
        execute("INSERT INTO s.memsnap_chunks SELECT * FROM public.dumped_chunks ON CONFLICT DO NOTHING");
        // the very same snapshot saved again, by an instance that had the old key open: every part is as before
        other.save(before);
        String newKey = dataKeyIdOf("s", id(1));
        assertNotEquals(oldKey, newKey);
        assertEquals(before, store.read(id(1)).orElseThrow());
        assertTrue(store.verify(id(1)).intact(), store.verify(id(1)).detail());
        assertEquals(2 * count("public.dumped_chunks"), count("s.memsnap_chunks"),
                "new chunks beside the old ones: none named as before");
        execute("DELETE FROM s.memsnap_snapshots");
        execute("INSERT INTO s.memsnap_snapshots SELECT * FROM public.dumped_snapshots");
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> other.read(id(1)));
        assertTrue(e.getMessage().contains("since destroyed") && e.getMessage().contains(oldKey), e.getMessage());
    }

    @Test
    void aSmallSaveAfterAShredByTheSameInstanceNamesNoOldChunkSoRestoredOnesAreCollected() throws Exception {
        PostgresSnapshotStore store = started("s", codec);
        store.save(of("alice", 1, 1, 2)); // few parts: a later save's edit script against this base would be small
        execute("CREATE TABLE public.dumped_chunks AS SELECT * FROM s.memsnap_chunks");
        store.shredMemory("alice");
        execute("INSERT INTO s.memsnap_chunks SELECT * FROM public.dumped_chunks ON CONFLICT DO NOTHING");
        MemorySnapshot after = of("alice", 2, 1, 2);
        store.save(after);
        store.collectGarbage(false);
        assertEquals(0, count("s.memsnap_chunks WHERE hash IN (SELECT hash FROM public.dumped_chunks)"),
                "the new key's manifest names nothing of the old key's, so the restored rows are garbage");
        assertEquals(after, store.read(id(2)).orElseThrow());
    }

    @Test
    void rowsEncryptedUnderTheMasterKeyBeforeStillReadAndAreDeletedByAShred() throws Exception {
        PostgresSnapshotStore before = started("s", Contexts.masterKeyOnly(codec));
        MemorySnapshot old = of("alice", 1, 3, 20);
        before.save(old);
        before.writeChunks(false);
        MemorySnapshot oldWhole = of("alice", 2, 3, 3);
        before.save(oldWhole);
        assertEquals(0, count("s.memsnap_data_keys"));
        before.stop();

        PostgresSnapshotStore store = started("s", codec);
        assertEquals(old, store.read(id(1)).orElseThrow());
        assertEquals(oldWhole, store.read(id(2)).orElseThrow());
        MemorySnapshot fresh = of("alice", 3, 3, 20);
        store.save(fresh);
        assertEquals(List.of(id(3), id(2), id(1)),
                store.list("alice").stream().map(SnapshotMetadata::snapshotId).toList());
        assertEquals(old, store.read(id(1)).orElseThrow());
        assertEquals(3, store.shredMemory("alice"));
        assertEquals(List.of(), store.list("alice"));
    }

    @Test
    void aStoreWithoutEncryptionRefusesToShredAndDeletesNothing() throws Exception {
        PostgresSnapshotStore store = started("s", SnapshotCodec.plain());
        store.save(of("alice", 1, 2, 2));
        SnapshotStoreException e = assertThrows(SnapshotStoreException.class, () -> store.shredMemory("alice"));
        assertTrue(e.getMessage().contains("not encrypted under a key of their own")
                && e.getMessage().contains("nothing was deleted"), e.getMessage());
        assertEquals(1, store.list("alice").size());
        assertEquals(0, count("s.memsnap_data_keys"));
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /** @return the fingerprint of the data key a row's manifest names (hash kind 2) */
    private String dataKeyIdOf(String schema, String snapshotId) throws SQLException {
        try (Connection c = server.admin(database);
             PreparedStatement s = c.prepareStatement("SELECT body FROM " + schema + ".memsnap_snapshots WHERE "
                     + "snapshot_id = ?")) {
            s.setString(1, snapshotId);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                byte[] body = rs.getBytes(1);
                assertTrue(ChunkLayout.isManifest(body) && body[8] == ChunkLayout.PER_MEMORY);
                return HexFormat.of().formatHex(body, 9, 17);
            }
        }
    }

    private long count(String table) throws SQLException {
        try (Connection c = server.admin(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = server.admin(database); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
