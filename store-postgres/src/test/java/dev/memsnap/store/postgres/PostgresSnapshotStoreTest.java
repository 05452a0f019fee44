package dev.memsnap.store.postgres;

import dev.memsnap.api.InvalidMemoryIdException;
import dev.memsnap.api.InvalidSnapshotIdException;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.testing.SnapshotStoreContract;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Core's store contract, on a real server, plus what is particular to rows: checksums, columns, tags, locations. */
class PostgresSnapshotStoreTest extends SnapshotStoreContract {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static PostgresServer server;
    private static String database;

    private String schema;
    private final List<SnapshotStore> others = new ArrayList<>();

    @BeforeAll
    static void database() {
        server = PostgresServer.shared();
        database = server.createDatabase();
    }

    /** Each test gets a schema of its own: a fresh, empty store that migrates itself. */
    @Override
    protected SnapshotStore createStore() {
        schema = "contract_" + SCHEMAS.incrementAndGet();
        return PostgresServer.started(server.config(database, schema), SnapshotCodec.plain());
    }

    /** Another instance with its own pool over the same schema, as another host would have. */
    @Override
    protected SnapshotStore reopenStore() {
        SnapshotStore other = PostgresServer.started(server.config(database, schema), SnapshotCodec.plain());
        others.add(other);
        return other;
    }

    @AfterEach
    void stopOthers() {
        others.forEach(SnapshotStore::stop);
    }

    @Test
    void locationsNameTheServerDatabaseAndSchemaAndNoOtherStoresLocationReads() {
        URI location = store.save(TestSnapshots.snapshot(id(1), T0, 1, 1));
        assertEquals(URI.create("postgresql://127.0.0.1:" + server.port() + "/" + database + "/" + schema + "/"
                + id(1)), location);
        assertThrows(SnapshotNotFoundException.class, () -> store.read(URI.create(location.toString()
                .replace("/" + schema + "/", "/elsewhere/"))));
        assertThrows(SnapshotNotFoundException.class, () -> store.read(URI.create(location + "x")));
        store.delete(id(1));
        SnapshotNotFoundException gone = assertThrows(SnapshotNotFoundException.class, () -> store.read(location));
        assertTrue(gone.getMessage().contains(location.toString()), gone.getMessage());
    }

    @Test
    void aChecksumCatchesDamageThatStillDecodesAndListingStillShowsIt() throws SQLException {
        store.save(TestSnapshots.snapshot(id(40), T0, 1, 1));
        byte[] edited = new String(body(id(40)), java.nio.charset.StandardCharsets.UTF_8)
                .replace("turn 0 of", "turn 9 of").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        execute("UPDATE " + table() + " SET body = ? WHERE snapshot_id = ?", edited, id(40));

        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> store.read(id(40)));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        Verification verification = store.verify(id(40));
        assertFalse(verification.intact());
        assertTrue(verification.detail().contains("checksum mismatch"), verification.detail());
        assertEquals(List.of(id(40)), store.list().stream().map(SnapshotMetadata::snapshotId).toList(),
                "listing reads columns, not bodies, so a damaged body still lists and verify reports it");
        assertEquals(List.of(id(40)), store.storedIds());
    }

    @Test
    void verifyChecksEveryLayerAndThatTheColumnsAgreeWithTheBody() throws SQLException {
        SnapshotCodec gzip = new SnapshotCodec(new SnapshotJson(), Compression.GZIP, 6, null);
        PostgresSnapshotStore compressed = PostgresServer.started(server.config(database, schema), gzip);
        compressed.writeChunks(false); // the whole-row form of V1 to V3, which rows saved before V4 have
        others.add(compressed);
        compressed.save(TestSnapshots.snapshot(id(41), T0, 2, 3));
        Verification ok = store.verify(id(41));
        assertTrue(ok.intact(), ok.detail());
        assertTrue(ok.detail().matches("gzip, \\d+ bytes, checksum ok"), ok.detail());

        execute("UPDATE " + table() + " SET short_term_turns = 7 WHERE snapshot_id = ?", id(41));
        Verification lying = store.verify(id(41));
        assertFalse(lying.intact());
        assertTrue(lying.detail().contains("listing columns"), lying.detail());
        assertEquals(new Verification(id(42), false, "not found"), store.verify(id(42)));
    }

    @Test
    void aRowWhoseBodyHoldsAnotherIdIsRefused() throws SQLException {
        store.save(TestSnapshots.snapshot(id(8), T0, 1, 1));
        store.save(TestSnapshots.snapshot(id(9), T0, 1, 1));
        byte[] other = body(id(8));
        execute("UPDATE " + table() + " SET body = ?, body_sha256 = sha256(?) WHERE snapshot_id = ?", other, other,
                id(9));
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> store.read(id(9)));
        assertTrue(e.getMessage().contains("holds snapshot " + id(8)), e.getMessage());
        assertFalse(store.verify(id(9)).intact());
    }

    @Test
    void bodiesAreStoredInTheCodecsFormatWithTheirChecksumAndKeyColumns() throws SQLException {
        KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
        SnapshotCodec codec = new SnapshotCodec(new SnapshotJson(), Compression.ZSTD, 6, () -> keys);
        PostgresSnapshotStore encrypted = PostgresServer.started(server.config(database, schema), codec);
        others.add(encrypted);
        // the whole-row form of V1 to V3; ChunkedStorageTest has the chunked form's layers and key
        encrypted.writeChunks(false);
        ((PostgresSnapshotStore) store).writeChunks(false);
        MemorySnapshot snapshot = TestSnapshots.snapshot(id(12), T0, 4, 4);
        encrypted.save(snapshot);
        try (Connection c = server.admin(database);
             PreparedStatement s = c.prepareStatement("SELECT format, key_id, stored_bytes, octet_length(body), "
                     + "body_sha256 = sha256(body) FROM " + table() + " WHERE snapshot_id = ?")) {
            s.setString(1, id(12));
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("json.zst.enc", rs.getString(1));
                assertEquals(codec.writeKeyId(), rs.getString(2));
                assertEquals(rs.getLong(3), rs.getLong(4));
                assertTrue(rs.getBoolean(5));
            }
        }
        assertEquals(snapshot, encrypted.read(id(12)).orElseThrow());
        SnapshotFormatException noKey = assertThrows(SnapshotFormatException.class, () -> store.read(id(12)));
        assertTrue(noKey.getMessage().contains(id(12)), noKey.getMessage());
        store.save(TestSnapshots.snapshot(id(13), T0, 1, 1));
        try (Connection c = server.admin(database);
             PreparedStatement s = c.prepareStatement("SELECT format, key_id FROM " + table()
                     + " WHERE snapshot_id = ?")) {
            s.setString(1, id(13));
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("json", rs.getString(1));
                assertNull(rs.getString(2));
            }
        }
    }

    @Test
    void labelsAndPinsAreKeptInTheRowAndGoWithIt() throws Exception {
        ((PostgresSnapshotStore) store).writeChunks(false); // stored_bytes is the body's length in whole rows
        store.save(TestSnapshots.snapshot(id(41), T0, 1, 1));
        assertEquals(SnapshotTags.NONE, store.tags(id(41)));
        SnapshotTags tags = new SnapshotTags(Set.of("before-upgrade", "good", "\u4E2D\u6587 'quoted'"), true);
        store.setTags(id(41), tags);
        assertEquals(tags, reopenStore().tags(id(41)));
        StoredSnapshot inventoried = store.inventory().get(0);
        assertEquals(tags, inventoried.tags());
        assertEquals(body(id(41)).length, inventoried.storedBytes());

        store.save(TestSnapshots.snapshot(id(41), T0, 2, 2));
        assertEquals(tags, store.tags(id(41)), "saving again replaces the snapshot, not its labels (as files do)");
        assertThrows(SnapshotNotFoundException.class, () -> store.setTags(id(42), tags));
        assertEquals(SnapshotTags.NONE, store.tags(id(42)));
        assertThrows(IllegalArgumentException.class,
                () -> store.setTags(id(41), new SnapshotTags(Set.of("nul\0"), false)));
        assertTrue(store.delete(id(41)));
        store.save(TestSnapshots.snapshot(id(41), T0, 1, 1));
        assertEquals(SnapshotTags.NONE, store.tags(id(41)), "a deleted snapshot's tags go with it");
    }

    @Test
    void timestampsKeepMicrosecondsAndListMatchesWhatReadsBack() {
        MemorySnapshot nanos = TestSnapshots.snapshot(id(50), T0.plusNanos(999), 1, 1);
        store.save(nanos);
        SnapshotMetadata listed = store.list().get(0);
        assertEquals(T0, listed.timestamp(), "the format keeps microseconds, so the listing does too");
        assertEquals(store.read(id(50)).orElseThrow().metadata(), listed);
    }

    @Test
    void aStoreNotStartedOrStoppedSaysSoAndStoppingTwiceIsHarmless() {
        PostgresSnapshotStore idle = PostgresServer.store(server.config(database, schema), SnapshotCodec.plain());
        idle.stop();
        SnapshotStoreException e = assertThrows(SnapshotStoreException.class, idle::list);
        assertTrue(e.getMessage().contains("stopped"), e.getMessage());
        PostgresSnapshotStore fresh = PostgresServer.store(server.config(database, schema), SnapshotCodec.plain());
        assertTrue(assertThrows(SnapshotStoreException.class, () -> fresh.read(id(1))).getMessage()
                .contains("not started"));
        store.stop();
        store.stop();
        assertThrows(SnapshotStoreException.class, () -> store.save(TestSnapshots.snapshot(id(1), T0, 1, 1)));
    }

    // ------------------------------------------------------------------------------------------ memory ids

    @Test
    void eachRowRecordsItsMemoryAndParentAndVerifyAndReadCheckThemAgainstTheBody() throws SQLException {
        MemorySnapshot first = TestSnapshots.snapshot(id(80), T0, 1, 1).withLineage("alice", null);
        MemorySnapshot second = TestSnapshots.snapshot(id(81), T0.plusSeconds(1), 2, 1).withLineage("alice", id(80));
        store.save(first);
        store.save(second);
        assertEquals(List.of("alice " + id(81) + " " + id(80), "alice " + id(80) + " null"),
                strings("SELECT memory_id || ' ' || snapshot_id || ' ' || coalesce(parent_snapshot_id, 'null') FROM "
                        + table() + " ORDER BY snapshot_id DESC"));
        assertEquals(List.of(second.metadata(), first.metadata()), store.list("alice"));
        assertTrue(store.verify(id(81)).intact(), store.verify(id(81)).detail());

        MemorySnapshot moved = second.withLineage("bob", null);
        store.save(moved);
        assertEquals(List.of(moved.metadata()), store.list("bob"), "saving an id again replaces its memory too");
        assertEquals(List.of(first.metadata()), store.list("alice"));

        execute("UPDATE " + table() + " SET memory_id = 'mallory' WHERE snapshot_id = ?", id(80));
        Verification lying = store.verify(id(80));
        assertFalse(lying.intact());
        assertTrue(lying.detail().contains("listing columns"), lying.detail());
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> store.read("mallory", id(80)));
        assertTrue(e.getMessage().contains("memory alice, but its row says memory mallory"), e.getMessage());
        assertThrows(SnapshotFormatException.class, () -> store.read(id(80)));
        assertTrue(store.read("alice", id(80)).isEmpty(), "the row is mallory's now");

        execute("UPDATE " + table() + " SET memory_id = 'alice', parent_snapshot_id = ? WHERE snapshot_id = ?",
                id(79), id(80));
        assertFalse(store.verify(id(80)).intact(), "a parent column that disagrees with the body is caught");
        for (String bad : List.of("", "x\u0085", "tab\t", "x".repeat(201))) {
            SQLException refused = assertThrows(SQLException.class, () -> execute("UPDATE " + table()
                    + " SET memory_id = ? WHERE snapshot_id = ?", bad, id(81)), bad);
            assertTrue(refused.getMessage().contains("memsnap_snapshots_memory_id_format"), refused.getMessage());
        }
        execute("UPDATE " + table() + " SET memory_id = ? WHERE snapshot_id = ?", "\u00E9".repeat(200), id(81));
    }

    /** Memory ids are JDBC parameters, never SQL: ids that would break or widen a concatenated query are data. */
    @Test
    void hostileMemoryIdsAreDataNeverSql() {
        List<String> hostile = List.of("x' OR '1'='1", "'; DROP TABLE memsnap_snapshots; --", "../../etc", "C:\\x",
                "%2e%2e", ".".repeat(200), "%", "_", "default ", "\u65E5\u672C\uD83D\uDE00", "$1", "\"quoted\"");
        for (int i = 0; i < hostile.size(); i++) {
            store.save(TestSnapshots.snapshot(id(200 + i), T0.plusSeconds(i), 1, 1).withLineage(hostile.get(i), null));
        }
        store.save(TestSnapshots.snapshot(id(199), T0, 1, 1));
        for (int i = 0; i < hostile.size(); i++) {
            String memory = hostile.get(i);
            assertEquals(List.of(id(200 + i)), store.list(memory).stream().map(SnapshotMetadata::snapshotId).toList(),
                    memory);
            assertEquals(1, store.inventory(memory).size(), memory);
            assertEquals(memory, store.read(memory, id(200 + i)).orElseThrow().memoryId());
        }
        List<String> expected = new ArrayList<>(hostile);
        expected.add("default");
        expected.sort(null);
        assertEquals(expected, store.memoryIds());
        assertTrue(store.list("x").isEmpty());
        assertEquals(1, store.deleteMemory("x' OR '1'='1"));
        assertEquals(1, store.deleteMemory("%"));
        assertEquals(0, store.deleteMemory("%"));
        assertEquals(hostile.size() - 1, store.list().size(), "the others, and the table, are all there");
    }

    @Test
    void whatIsNotAMemoryIdIsRefusedBeforeAnyQuery() {
        for (String bad : List.of("", "nul\0", "line\nbreak", "\u0085", "x".repeat(201))) {
            assertThrows(InvalidMemoryIdException.class, () -> store.list(bad), bad);
            assertThrows(InvalidMemoryIdException.class, () -> store.inventory(bad), bad);
            assertThrows(InvalidMemoryIdException.class, () -> store.read(bad, id(1)), bad);
            assertThrows(InvalidMemoryIdException.class, () -> store.deleteMemory(bad), bad);
        }
        assertThrows(InvalidSnapshotIdException.class, () -> store.read("alice", "not-an-id"));
    }

    /**
     * One memory's listing, inventory (what pruning plans from) and deletion are ranges of the index that leads with
     * {@code memory_id}, never a scan of every memory: the planner's own word, on 20,000 rows of 2,000 memories.
     */
    @Test
    void oneMemorysListingInventoryAndDeletionAreIndexRanges() throws SQLException {
        try (Connection c = server.admin(database); java.sql.Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + table() + " (snapshot_id, taken_at, short_term_turns, long_term_memories, "
                    + "topics, memory_id, format, stored_bytes, body_sha256, body) "
                    + "SELECT 'snapshot_20250426_120000_' || lpad(to_hex(n), 8, '0'), "
                    + "timestamp '2025-04-26 12:00' + n * interval '1 second', 1, 1, 1, 'user-' || (n % 2000), "
                    + "'json', 1, sha256('\\x00'::bytea), '\\x00'::bytea FROM generate_series(1, 20000) AS n");
            s.execute("ANALYZE " + table());
        }
        PostgresSnapshotStore.Statements sql = ((PostgresSnapshotStore) store).statements();
        for (String statement : List.of(sql.listMemory(), sql.inventoryMemory(), sql.deleteMemory())) {
            String plan = String.join("\n", explain(statement, "user-7"));
            assertTrue(plan.contains("memsnap_snapshots_memory_newest_first"), statement + "\n" + plan);
            assertFalse(plan.contains("Seq Scan"), statement + "\n" + plan);
        }
        assertEquals(10, store.list("user-7").size());
        assertEquals(10, store.inventory("user-7").size());
        assertEquals(2000, store.memoryIds().size());
        assertEquals(10, store.deleteMemory("user-7"));
        assertEquals(19_990, store.list().size());
    }

    /** Two memories used from 8 threads at once: each sees only its own snapshots, and all of them. */
    @Test
    void twoMemoriesFromEightThreadsNeverSeeEachOthersSnapshots() throws Exception {
        int threads = 8;
        int each = 25;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                String memory = t % 2 == 0 ? "alice" : "bob";
                work.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        int n = 1000 + thread * each + i;
                        store.save(TestSnapshots.snapshot(id(n), T0.plusSeconds(n), 1, 1).withLineage(memory, null));
                        for (SnapshotMetadata m : store.list(memory)) {
                            assertEquals(memory, m.memoryId());
                            assertEquals(memory.equals("alice") ? 0 : 1, ((Integer.parseInt(
                                    m.snapshotId().substring(m.snapshotId().length() - 8), 16) - 1000) / each) % 2);
                        }
                        assertTrue(store.read(memory.equals("alice") ? "bob" : "alice", id(n)).isEmpty());
                        assertEquals(memory, store.read(memory, id(n)).orElseThrow().memoryId());
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : work) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads / 2 * each, store.list("alice").size());
        assertEquals(threads / 2 * each, store.list("bob").size());
    }

    private List<String> explain(String statement, String memoryId) throws SQLException {
        try (Connection c = server.admin(database)) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("EXPLAIN " + statement)) {
                s.setString(1, memoryId);
                List<String> lines = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
                return lines;
            } finally {
                c.rollback();
            }
        }
    }

    private List<String> strings(String query) throws SQLException {
        try (Connection c = server.admin(database); PreparedStatement s = c.prepareStatement(query);
             ResultSet rs = s.executeQuery()) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    private String table() {
        return "\"" + schema + "\".memsnap_snapshots";
    }

    private byte[] body(String id) throws SQLException {
        try (Connection c = server.admin(database);
             PreparedStatement s = c.prepareStatement("SELECT body FROM " + table() + " WHERE snapshot_id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getBytes(1);
            }
        }
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection c = server.admin(database); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            s.executeUpdate();
        }
    }
}
