package dev.memsnap.store.postgres;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema creates and migrates itself: from nothing, from the previous version, by instances starting at once. */
class MigrationTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 4, 26, 12, 0, 0, 123_456_000);
    private static final String SCHEMA = "memsnap";

    private final PostgresServer server = PostgresServer.shared();
    private final List<PostgresSnapshotStore> stores = new ArrayList<>();
    private String database;

    @BeforeEach
    void emptyDatabase() {
        database = server.createDatabase();
    }

    @AfterEach
    void stopStores() {
        stores.forEach(PostgresSnapshotStore::stop);
    }

    private static String id(int n) {
        return String.format("snapshot_20250426_120000_%08x", n);
    }

    @Test
    void anEmptyDatabaseGetsTheSchemaAndEveryMigrationOnFirstStart() throws SQLException {
        PostgresSnapshotStore store = start(server.config(database, SCHEMA));
        assertEquals(List.of(1, 2), appliedVersions());
        assertEquals(Set.of("memsnap_snapshots_pkey", "memsnap_snapshots_newest_first", "memsnap_snapshots_labels",
                        "memsnap_schema_version_pkey"),
                Set.copyOf(query("SELECT indexname FROM pg_indexes WHERE schemaname = '" + SCHEMA + "'")));
        MemorySnapshot snapshot = TestSnapshots.snapshot(id(1), T0, 2, 2);
        store.save(snapshot);
        assertEquals(snapshot, store.read(id(1)).orElseThrow());

        start(server.config(database, SCHEMA)).stop();
        assertEquals(List.of(1, 2), appliedVersions(), "a second start applies nothing");
    }

    @Test
    void theDefaultPublicSchemaIsUsedAsItIs() throws SQLException {
        PostgresSnapshotStore store = start(server.config(database, "public"));
        store.save(TestSnapshots.snapshot(id(1), T0, 1, 1));
        assertEquals(List.of("2"), query("SELECT max(version)::text FROM public.memsnap_schema_version"));
    }

    /** Snapshots saved by an instance on schema version 1 are all there, intact, once a newer one starts. */
    @Test
    void aDatabaseOnThePreviousVersionIsMigratedWithItsSnapshotsIntact() throws Exception {
        try (Connection c = connect()) {
            assertEquals(1, Migrations.migrate(c, SCHEMA, 1, true));
        }
        assertEquals(List.of(1), appliedVersions());
        assertEquals(List.of(), query("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                + SCHEMA + "' AND column_name IN ('labels', 'pinned')"));
        SnapshotCodec gzip = new SnapshotCodec(new SnapshotJson(), Compression.GZIP, 6, null);
        List<MemorySnapshot> saved = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            MemorySnapshot s = i == 4 ? TestSnapshots.awkward(id(i), T0.plusMinutes(i))
                    : TestSnapshots.snapshot(id(i), T0.plusMinutes(i), i, i + 1);
            insertAsVersion1(s, i % 2 == 0 ? gzip : SnapshotCodec.plain());
            saved.add(s);
        }

        PostgresSnapshotStore store = start(server.config(database, SCHEMA));
        assertEquals(List.of(1, 2), appliedVersions());
        for (MemorySnapshot s : saved) {
            assertEquals(s, store.read(s.snapshotId()).orElseThrow());
            assertTrue(store.verify(s.snapshotId()).intact(), store.verify(s.snapshotId()).detail());
        }
        List<SnapshotMetadata> newestFirst = new ArrayList<>(saved.stream().map(MemorySnapshot::metadata).toList());
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, store.list());
        List<StoredSnapshot> inventory = store.inventory();
        assertTrue(inventory.stream().allMatch(s -> s.tags().equals(SnapshotTags.NONE) && s.storedBytes() > 0));
        SnapshotTags tags = new SnapshotTags(Set.of("migrated"), true);
        store.setTags(id(2), tags);
        assertEquals(tags, store.tags(id(2)));
    }

    @Test
    void instancesStartingTogetherApplyEachMigrationOnce() throws Exception {
        int instances = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            List<Future<PostgresSnapshotStore>> starts = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                starts.add(pool.submit(() -> {
                    PostgresSnapshotStore store = PostgresServer.store(server.config(database, SCHEMA),
                            SnapshotCodec.plain());
                    go.await();
                    store.start();
                    return store;
                }));
            }
            go.countDown();
            for (Future<PostgresSnapshotStore> start : starts) {
                stores.add(start.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(1, 2), appliedVersions());
        for (int i = 0; i < instances; i++) {
            stores.get(i).save(TestSnapshots.snapshot(id(i), T0.plusSeconds(i), 1, 1));
        }
        assertEquals(instances, stores.get(0).list().size());
    }

    @Test
    void aFailedMigrationChangesNothing() throws Exception {
        try (Connection c = connect()) {
            Migrations.migrate(c, SCHEMA, 1, true);
        }
        insertAsVersion1(TestSnapshots.snapshot(id(1), T0, 1, 1), SnapshotCodec.plain());
        // Something of the host's own already has the name V2 gives its index.
        execute("CREATE TABLE " + SCHEMA + ".memsnap_snapshots_labels (x int)");

        SnapshotStoreException e = assertThrows(SnapshotStoreException.class,
                () -> start(server.config(database, SCHEMA)));
        assertTrue(e.getMessage().contains("memsnap_snapshots_labels"), e.getMessage());
        assertEquals(List.of(1), appliedVersions());
        assertEquals(List.of(), query("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                + SCHEMA + "' AND column_name = 'labels'"), "V2's first statement was rolled back with the rest");

        execute("DROP TABLE " + SCHEMA + ".memsnap_snapshots_labels");
        PostgresSnapshotStore store = start(server.config(database, SCHEMA));
        assertEquals(List.of(1, 2), appliedVersions());
        assertEquals(List.of(id(1)), store.list().stream().map(SnapshotMetadata::snapshotId).toList());
    }

    @Test
    void withMigrateOffABehindSchemaStopsTheStartAndIsLeftAlone() throws Exception {
        try (Connection c = connect()) {
            Migrations.migrate(c, SCHEMA, 1, true);
        }
        SnapshotStoreException e = assertThrows(SnapshotStoreException.class,
                () -> start(server.config(database, SCHEMA).withMigrate(false)));
        assertTrue(e.getMessage().contains("is at version 1 and this memsnap needs version 2"), e.getMessage());
        assertTrue(e.getMessage().contains("migrate: true"), e.getMessage());
        assertTrue(e.getMessage().contains("V2__labels_and_pins.sql"), e.getMessage());
        assertEquals(List.of(1), appliedVersions());

        start(server.config(database, SCHEMA));
        start(server.config(database, SCHEMA).withMigrate(false)).save(TestSnapshots.snapshot(id(1), T0, 1, 1));
    }

    @Test
    void aSchemaFromNewerCodeIsUsedWhenItKeepsThisVersionWorkingAndRefusedWhenNot() throws Exception {
        start(server.config(database, SCHEMA)).stop();
        execute("INSERT INTO " + SCHEMA + ".memsnap_schema_version (version, description, checksum, compatible_from)"
                + " VALUES (3, 'adds a column', 'x', 2)");
        start(server.config(database, SCHEMA)).save(TestSnapshots.snapshot(id(1), T0, 1, 1));

        execute("INSERT INTO " + SCHEMA + ".memsnap_schema_version (version, description, checksum, compatible_from)"
                + " VALUES (4, 'renames a column', 'y', 4)");
        SnapshotStoreException e = assertThrows(SnapshotStoreException.class,
                () -> start(server.config(database, SCHEMA)));
        assertTrue(e.getMessage().contains("at version 4, which needs memsnap's store at schema version 4"),
                e.getMessage());
        assertTrue(e.getMessage().contains("upgrade memsnap"), e.getMessage());
    }

    @Test
    void everyMigrationResourceIsListedInOrderWithoutGaps() {
        for (int i = 0; i < Migrations.ALL.size(); i++) {
            Migrations.Migration m = Migrations.ALL.get(i);
            assertEquals(i + 1, m.version());
            assertTrue(m.resource().startsWith("V" + m.version() + "__"), m.resource());
            assertTrue(m.compatibleFrom() <= m.version());
            assertFalse(m.sql("\"x\"").contains("${schema}"));
            assertEquals(64, m.checksum().length());
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private PostgresSnapshotStore start(PostgresStoreConfig config) {
        PostgresSnapshotStore store = PostgresServer.store(config, SnapshotCodec.plain());
        store.start();
        stores.add(store);
        return store;
    }

    /** As an instance on version 1 saved it: V1's columns only. */
    private void insertAsVersion1(MemorySnapshot snapshot, SnapshotCodec codec) throws Exception {
        byte[] body = codec.encode(snapshot);
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("INSERT INTO " + SCHEMA
                + ".memsnap_snapshots (snapshot_id, taken_at, short_term_turns, long_term_memories, topics, format, "
                + "key_id, stored_bytes, body_sha256, body) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)")) {
            SnapshotMetadata m = snapshot.metadata();
            s.setString(1, m.snapshotId());
            s.setObject(2, m.timestamp());
            s.setInt(3, m.shortTermTurns());
            s.setInt(4, m.longTermMemories());
            s.setInt(5, m.topics());
            s.setString(6, codec.suffix().substring(1));
            s.setLong(7, body.length);
            s.setBytes(8, MessageDigest.getInstance("SHA-256").digest(body));
            s.setBytes(9, body);
            s.executeUpdate();
        }
    }

    private List<Integer> appliedVersions() throws SQLException {
        return query("SELECT version::text FROM " + SCHEMA + ".memsnap_schema_version ORDER BY version").stream()
                .map(Integer::valueOf).toList();
    }

    private List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** As the store's own user, so that what is created is owned as the store's would be. */
    private Connection connect() throws SQLException {
        return DriverManager.getConnection(server.url(database), PostgresServer.USER, PostgresServer.password());
    }
}
