package dev.memsnap.store.postgres;

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
        SnapshotStore compressed = PostgresServer.started(server.config(database, schema), gzip);
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
        SnapshotStore encrypted = PostgresServer.started(server.config(database, schema), codec);
        others.add(encrypted);
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
