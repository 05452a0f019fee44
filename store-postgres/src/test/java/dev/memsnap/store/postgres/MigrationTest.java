package dev.memsnap.store.postgres;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.testing.TestSnapshots;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

/**
 * The schema creates and migrates itself with Flyway: from nothing, from the previous version, from the previous
 * runner's version table, by instances starting at once.
 */
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
        assertEquals(List.of(1, 2, 3, 4, 5), appliedVersions());
        assertEquals(Set.of("memsnap_snapshots_pkey", "memsnap_snapshots_newest_first", "memsnap_snapshots_labels",
                        "memsnap_snapshots_memory_newest_first", "memsnap_schema_history_pk",
                        "memsnap_schema_history_s_idx", "memsnap_chunks_pkey", "memsnap_gc_epoch_pkey",
                        "memsnap_chunk_key_pkey", "memsnap_data_keys_pkey"),
                Set.copyOf(query("SELECT indexname FROM pg_indexes WHERE schemaname = '" + SCHEMA + "'")));
        MemorySnapshot snapshot = TestSnapshots.snapshot(id(1), T0, 2, 2);
        store.save(snapshot);
        assertEquals(snapshot, store.read(id(1)).orElseThrow());

        start(server.config(database, SCHEMA)).stop();
        assertEquals(List.of(1, 2, 3, 4, 5), appliedVersions(), "a second start applies nothing");
        assertFalse(tableExists(SchemaMigrations.LEGACY_TABLE), "a new schema has only Flyway's table");
    }

    @Test
    void theDefaultPublicSchemaIsUsedAsItIs() throws SQLException {
        PostgresSnapshotStore store = start(server.config(database, "public"));
        store.save(TestSnapshots.snapshot(id(1), T0, 1, 1));
        assertEquals(List.of("5"), query("SELECT max(version::int)::text FROM public."
                + SchemaMigrations.HISTORY_TABLE));
    }

    /** A schema that holds a host's own tables, but none of memsnap's, gets every migration. */
    @Test
    void aSchemaHoldingOtherTablesGetsEveryMigration() throws SQLException {
        execute("CREATE TABLE public.the_hosts_own (x int)");
        PostgresSnapshotStore store = start(server.config(database, "public"));
        store.save(TestSnapshots.snapshot(id(1), T0, 1, 1));
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), query("SELECT version FROM public." + SchemaMigrations.HISTORY_TABLE
                + " WHERE version IS NOT NULL ORDER BY installed_rank"));
        assertEquals(List.of("x"), query("SELECT column_name FROM information_schema.columns WHERE table_name = "
                + "'the_hosts_own'"), "the host's table is left alone");
    }

    /**
     * Snapshots saved by an instance on schema version 1, whose runner recorded it in the old version table, are all
     * there, intact, once a newer one starts: Flyway takes over at version 1 and applies version 2.
     */
    @Test
    void aDatabaseOnThePreviousVersionIsMigratedWithItsSnapshotsIntact() throws Exception {
        createAsThePreviousRunnerDid(1);
        assertEquals(List.of(1), legacyVersions());
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
        assertEquals(List.of(1, 2, 3, 4, 5), appliedVersions());
        assertEquals(List.of("1 BASELINE", "2 SQL", "3 SQL", "4 SQL", "5 SQL"), query("SELECT version || ' ' || type FROM " + SCHEMA
                + "." + SchemaMigrations.HISTORY_TABLE + " ORDER BY installed_rank"),
                "baselined at 1, then V2 and V3 applied");
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
        assertEquals(List.of(1), legacyVersions(), "the old table is left as it was, for instances still on it");
    }

    /**
     * The last release's databases: both of the previous runner's migrations applied, snapshots with tags. Flyway
     * takes over at version 2, runs only what came after it (V3, once), and every snapshot and tag is kept; two
     * instances taking over at once both start.
     */
    @Test
    void aDatabaseOfThePreviousRunnerAtTheLatestVersionIsTakenOverAsItIs() throws Exception {
        createAsThePreviousRunnerDid(2);
        List<MemorySnapshot> saved = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MemorySnapshot s = TestSnapshots.snapshot(id(i), T0.plusMinutes(i), i + 1, i + 2);
            insertAsVersion1(s, SnapshotCodec.plain());
            saved.add(s);
        }
        execute("UPDATE " + SCHEMA + ".memsnap_snapshots SET labels = ARRAY['before-upgrade'], pinned = true "
                + "WHERE snapshot_id = '" + id(1) + "'");

        List<PostgresSnapshotStore> started = startTogether(2);
        assertEquals(List.of("2 BASELINE", "3 SQL", "4 SQL", "5 SQL"), query("SELECT version || ' ' || type FROM " + SCHEMA + "."
                + SchemaMigrations.HISTORY_TABLE + " ORDER BY installed_rank"),
                "baselined once, at 2; nothing of the previous runner's run again, V3 run once");
        assertEquals(List.of(1, 2), legacyVersions());
        for (PostgresSnapshotStore store : started) {
            for (MemorySnapshot s : saved) {
                assertEquals(s, store.read(s.snapshotId()).orElseThrow());
                assertTrue(store.verify(s.snapshotId()).intact(), store.verify(s.snapshotId()).detail());
            }
            assertEquals(new SnapshotTags(Set.of("before-upgrade"), true), store.tags(id(1)));
            assertEquals(SnapshotTags.NONE, store.tags(id(0)));
        }
        start(server.config(database, SCHEMA)).save(TestSnapshots.snapshot(id(9), T0, 1, 1));
        assertEquals(List.of("2 BASELINE", "3 SQL", "4 SQL", "5 SQL"), query("SELECT version || ' ' || type FROM " + SCHEMA + "."
                + SchemaMigrations.HISTORY_TABLE + " ORDER BY installed_rank"), "a later start changes nothing");
        assertEquals(4, started.get(0).list().size());
    }

    /**
     * The current release's databases: Flyway at version 2, snapshots with tags. V3 gives every row memory
     * {@code default} and no parent and changes nothing else; a row saved afterwards by an instance still on V2 (which
     * never names the new columns) is memory {@code default} too, and snapshots of other memories stay apart.
     */
    /** V3's whole rows read, list and verify after V4, beside new chunked saves, and collection leaves them be. */
    @Test
    void aDatabaseAtVersion3WithWholeRowsUpgradesToChunksAndItsRowsStillRead() throws Exception {
        migrateWithFlywayTo("3");
        SnapshotCodec gzip = new SnapshotCodec(new SnapshotJson(), Compression.GZIP, 6, null);
        List<MemorySnapshot> saved = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MemorySnapshot s = i == 2 ? TestSnapshots.awkward(id(i), T0.plusMinutes(i))
                    : TestSnapshots.snapshot(id(i), T0.plusMinutes(i), i + 1, i + 20);
            insertAsVersion1(s, i % 2 == 0 ? gzip : SnapshotCodec.plain());
            saved.add(s);
        }
        PostgresSnapshotStore store = start(server.config(database, SCHEMA));
        assertEquals(List.of(1, 2, 3, 4, 5), appliedVersions());
        MemorySnapshot fresh = TestSnapshots.snapshot(id(9), T0.plusMinutes(9), 5, 50);
        store.save(fresh);
        assertEquals(List.of("chunks.json"), query("SELECT format FROM " + SCHEMA + ".memsnap_snapshots WHERE "
                + "snapshot_id = '" + id(9) + "'"));
        assertEquals(0, store.collectGarbage(false).pieces());
        for (MemorySnapshot s : saved) {
            assertEquals(s, store.read(s.snapshotId()).orElseThrow());
            assertTrue(store.verify(s.snapshotId()).intact(), store.verify(s.snapshotId()).detail());
        }
        assertEquals(fresh, store.read(id(9)).orElseThrow());
        assertEquals(4, store.list().size());
    }

    /**
     * V4's encrypted rows (chunks named under the schema's key and whole rows, all under the master key) read after
     * V5, beside new saves under each memory's data key; a shred then deletes them with the rest of the memory.
     */
    @Test
    void aDatabaseAtVersion4WithEncryptedRowsUpgradesToDataKeysAndItsRowsStillRead() throws Exception {
        KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
        SnapshotCodec codec = new SnapshotCodec(new SnapshotJson(), Compression.GZIP, 6, () -> keys);
        // rows as V4's code wrote them, made on a schema of their own and moved into one at version 4
        PostgresSnapshotStore v4 = new PostgresSnapshotStore(server.config(database, "v4_rows"),
                Contexts.of(Contexts.masterKeyOnly(codec)), System::getenv);
        v4.start();
        stores.add(v4);
        List<MemorySnapshot> saved = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MemorySnapshot s = TestSnapshots.snapshot(id(i), T0.plusMinutes(i), i + 1, i + 20)
                    .withLineage(i == 0 ? "default" : "alice", null);
            if (i == 2) {
                v4.writeChunks(false);
            }
            v4.save(s);
            saved.add(s);
        }
        v4.stop();
        migrateWithFlywayTo("4");
        assertFalse(tableExists("memsnap_data_keys"));
        for (String table : List.of("memsnap_snapshots", "memsnap_chunks", "memsnap_chunk_key")) {
            execute("INSERT INTO " + SCHEMA + "." + table + " SELECT * FROM v4_rows." + table);
        }

        PostgresSnapshotStore store = new PostgresSnapshotStore(server.config(database, SCHEMA),
                Contexts.of(codec), System::getenv);
        store.start();
        stores.add(store);
        assertEquals(List.of(1, 2, 3, 4, 5), appliedVersions());
        assertTrue(tableExists("memsnap_data_keys"));
        for (MemorySnapshot s : saved) {
            assertEquals(s, store.read(s.snapshotId()).orElseThrow());
            assertTrue(store.verify(s.snapshotId()).intact(), store.verify(s.snapshotId()).detail());
        }
        MemorySnapshot fresh = TestSnapshots.snapshot(id(9), T0.plusMinutes(9), 5, 50).withLineage("alice", null);
        store.save(fresh);
        assertEquals(List.of("1"), query("SELECT count(*)::text FROM " + SCHEMA + ".memsnap_data_keys"));
        assertEquals(fresh, store.read(id(9)).orElseThrow());
        assertEquals(0, store.collectGarbage(true).pieces());
        assertEquals(3, store.shredMemory("alice"));
        assertEquals(saved.get(0), store.read(id(0)).orElseThrow());
        assertEquals(List.of(id(0)), store.list().stream().map(SnapshotMetadata::snapshotId).toList());
    }

    @Test
    void aDatabaseAtVersion2WithSnapshotsGetsMemoryIdsAndEverySnapshotIsOfTheDefaultMemory() throws Exception {
        migrateWithFlywayTo("2");
        assertEquals(List.of(1, 2), appliedVersions());
        SnapshotCodec gzip = new SnapshotCodec(new SnapshotJson(), Compression.GZIP, 6, null);
        List<MemorySnapshot> saved = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            MemorySnapshot s = i == 4 ? TestSnapshots.awkward(id(i), T0.plusMinutes(i))
                    : TestSnapshots.snapshot(id(i), T0.plusMinutes(i), i, i + 1);
            insertAsVersion1(s, i % 2 == 0 ? gzip : SnapshotCodec.plain());
            saved.add(s);
        }
        execute("UPDATE " + SCHEMA + ".memsnap_snapshots SET labels = ARRAY['before-upgrade'], pinned = true "
                + "WHERE snapshot_id = '" + id(1) + "'");
        assertEquals(List.of(), query("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                + SCHEMA + "' AND column_name IN ('memory_id', 'parent_snapshot_id')"));

        PostgresSnapshotStore store = start(server.config(database, SCHEMA));
        assertEquals(List.of("1 SQL", "2 SQL", "3 SQL", "4 SQL", "5 SQL"), query("SELECT version || ' ' || type FROM " + SCHEMA + "."
                + SchemaMigrations.HISTORY_TABLE + " WHERE version IS NOT NULL ORDER BY installed_rank"),
                "only V3 ran");
        assertEquals(List.of("5"), query("SELECT count(*)::text FROM " + SCHEMA + ".memsnap_snapshots "
                + "WHERE memory_id = 'default' AND parent_snapshot_id IS NULL"));
        List<SnapshotMetadata> newestFirst = new ArrayList<>(saved.stream().map(MemorySnapshot::metadata).toList());
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, store.list());
        assertEquals(newestFirst, store.list("default"));
        assertEquals(List.of("default"), store.memoryIds());
        assertEquals(5, store.inventory("default").size());
        for (MemorySnapshot s : saved) {
            assertEquals(s, store.read(s.snapshotId()).orElseThrow());
            assertEquals(s, store.read("default", s.snapshotId()).orElseThrow());
            assertTrue(store.verify(s.snapshotId()).intact(), store.verify(s.snapshotId()).detail());
        }
        assertEquals(new SnapshotTags(Set.of("before-upgrade"), true), store.tags(id(1)));
        assertEquals(SnapshotTags.NONE, store.tags(id(0)));

        MemorySnapshot byOlderCode = TestSnapshots.snapshot(id(5), T0.plusMinutes(5), 1, 1);
        insertAsVersion1(byOlderCode, SnapshotCodec.plain());
        MemorySnapshot alices = TestSnapshots.snapshot(id(6), T0.plusMinutes(6), 1, 1).withLineage("alice", id(2));
        store.save(alices);
        assertEquals(id(5), store.list("default").get(0).snapshotId(), "what V2 code saves is memory default");
        assertEquals(6, store.list("default").size());
        assertEquals(List.of(alices.metadata()), store.list("alice"));
        assertEquals(List.of("alice", "default"), store.memoryIds());
        assertEquals(List.of(1, 2, 3, 4, 5), appliedVersions());
    }

    @Test
    void instancesStartingTogetherApplyEachMigrationOnce() throws Exception {
        int instances = 4;
        stores.addAll(startTogether(instances));
        assertEquals(List.of(1, 2, 3, 4, 5), appliedVersions());
        for (int i = 0; i < instances; i++) {
            stores.get(i).save(TestSnapshots.snapshot(id(i), T0.plusSeconds(i), 1, 1));
        }
        assertEquals(instances, stores.get(0).list().size());
    }

    @Test
    void aFailedMigrationChangesNothing() throws Exception {
        createAsThePreviousRunnerDid(1);
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
        assertEquals(List.of(1, 2, 3, 4, 5), appliedVersions());
        assertEquals(List.of(id(1)), store.list().stream().map(SnapshotMetadata::snapshotId).toList());
    }

    @Test
    void withMigrateOffABehindSchemaStopsTheStartAndIsLeftAlone() throws Exception {
        createAsThePreviousRunnerDid(1);
        SnapshotStoreException e = assertThrows(SnapshotStoreException.class,
                () -> start(server.config(database, SCHEMA).withMigrate(false)));
        assertTrue(e.getMessage().contains("is at version 1 and this memsnap needs version 5"), e.getMessage());
        assertTrue(e.getMessage().contains("migrate: true"), e.getMessage());
        assertTrue(e.getMessage().contains("V2__labels_and_pins.sql"), e.getMessage());
        assertTrue(e.getMessage().contains("V3__memory_ids.sql"), e.getMessage());
        assertEquals(List.of(1), legacyVersions());
        assertFalse(tableExists(SchemaMigrations.HISTORY_TABLE), "nothing was created");

        start(server.config(database, SCHEMA));
        start(server.config(database, SCHEMA).withMigrate(false)).save(TestSnapshots.snapshot(id(1), T0, 1, 1));
    }

    /**
     * With migrate off, a schema whose runner's table records every migration this code has is used as it is, and
     * not taken over. The previous runner's own last version (2) is behind now, so that one is refused, untouched.
     */
    @Test
    void withMigrateOffACurrentSchemaOfThePreviousRunnerIsUsedAsItIs() throws Exception {
        createAsThePreviousRunnerDid(5);
        start(server.config(database, SCHEMA).withMigrate(false)).save(TestSnapshots.snapshot(id(1), T0, 1, 1));
        assertFalse(tableExists(SchemaMigrations.HISTORY_TABLE));

        database = server.createDatabase();
        createAsThePreviousRunnerDid(2);
        SnapshotStoreException e = assertThrows(SnapshotStoreException.class,
                () -> start(server.config(database, SCHEMA).withMigrate(false)));
        assertTrue(e.getMessage().contains("is at version 2 and this memsnap needs version 5"), e.getMessage());
        assertTrue(e.getMessage().contains("[V3__memory_ids.sql, V4__chunks__compatible_from_4.sql, "
                + "V5__data_keys__compatible_from_5.sql]"), e.getMessage());
        assertFalse(tableExists(SchemaMigrations.HISTORY_TABLE));
        assertEquals(List.of(1, 2), legacyVersions());
    }

    @Test
    void aSchemaFromNewerCodeIsUsedWhenItKeepsThisVersionWorkingAndRefusedWhenNot() throws Exception {
        start(server.config(database, SCHEMA)).stop();
        recordAsNewerCodeWould(6, "adds a column", "V6__adds_a_column.sql");
        start(server.config(database, SCHEMA)).save(TestSnapshots.snapshot(id(1), T0, 1, 1));

        recordAsNewerCodeWould(7, "renames a column  compatible from 7", "V7__renames_a_column__compatible_from_7.sql");
        SnapshotStoreException e = assertThrows(SnapshotStoreException.class,
                () -> start(server.config(database, SCHEMA)));
        assertTrue(e.getMessage().contains("at version 7, which needs memsnap's store at schema version 7"),
                e.getMessage());
        assertTrue(e.getMessage().contains("upgrade memsnap"), e.getMessage());
    }

    @Test
    void everyMigrationResourceIsListedInOrderWithoutGaps() throws Exception {
        List<MigrationInfo> known = SchemaMigrations.known(SchemaMigrations.flyway(server.config(database, SCHEMA),
                PostgresServer.password(), null).info());
        assertEquals(List.of("V1__snapshots.sql", "V2__labels_and_pins.sql", "V3__memory_ids.sql",
                        "V4__chunks__compatible_from_4.sql", "V5__data_keys__compatible_from_5.sql"),
                known.stream().map(MigrationInfo::getScript).toList());
        for (int i = 0; i < known.size(); i++) {
            MigrationInfo m = known.get(i);
            assertEquals(Integer.toString(i + 1), m.getVersion().getVersion());
            assertTrue(m.getScript().startsWith("V" + (i + 1) + "__"), m.getScript());
            assertTrue(m.getResolvedChecksum() != null, m.getScript());
            String sql = resource(m.getScript());
            assertFalse(sql.replace("${" + SchemaMigrations.SCHEMA_PLACEHOLDER + "}", "\"x\"").contains("${"),
                    "every placeholder is one Flyway is given: " + m.getScript());
            assertFalse(SchemaMigrations.quote("x").contains("${"));
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private PostgresSnapshotStore start(PostgresStoreConfig config) {
        PostgresSnapshotStore store = PostgresServer.store(config, SnapshotCodec.plain());
        store.start();
        stores.add(store);
        return store;
    }

    /** Brings an empty database's {@link #SCHEMA} to {@code version} only, as an older release's Flyway did. */
    private void migrateWithFlywayTo(String version) {
        org.flywaydb.core.Flyway.configure(SchemaMigrations.class.getClassLoader())
                .configuration(SchemaMigrations.flyway(server.config(database, SCHEMA), PostgresServer.password(),
                        null).getConfiguration())
                .target(version)
                .load()
                .migrate();
    }

    /** @return that many stores on {@link #SCHEMA}, started at the same moment from as many threads */
    private List<PostgresSnapshotStore> startTogether(int instances) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        List<PostgresSnapshotStore> started = new ArrayList<>();
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
                started.add(start.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            stores.addAll(started);
        }
        return started;
    }

    /**
     * The schema as memsnap's previous, hand-written migration runner left it at {@code version}: its DDL for the
     * version table, verbatim, the migrations' own SQL, and a row per migration. That runner's last release knew
     * versions 1 and 2; version 3 is recorded as an operator applying V3 by hand to its table would.
     */
    private void createAsThePreviousRunnerDid(int version) throws Exception {
        String quoted = "\"" + SCHEMA + "\"";
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT pg_advisory_xact_lock(hashtextextended('memsnap.store.postgres.migrate:" + SCHEMA
                    + "', 0))");
            s.execute("CREATE SCHEMA " + quoted);
            s.execute("CREATE TABLE IF NOT EXISTS " + quoted + ".memsnap_schema_version ("
                    + "version integer PRIMARY KEY, "
                    + "description text NOT NULL, "
                    + "checksum text NOT NULL, "
                    + "compatible_from integer NOT NULL, "
                    + "applied_at timestamptz NOT NULL DEFAULT now(), "
                    + "applied_by text NOT NULL DEFAULT current_user)");
            List<String[]> migrations = List.of(new String[] {"1", "snapshots", "V1__snapshots.sql", "1"},
                    new String[] {"2", "labels and pins", "V2__labels_and_pins.sql", "1"},
                    new String[] {"3", "memory ids", "V3__memory_ids.sql", "1"},
                    new String[] {"4", "chunks", "V4__chunks__compatible_from_4.sql", "4"},
                    new String[] {"5", "data keys", "V5__data_keys__compatible_from_5.sql", "5"});
            for (String[] m : migrations.subList(0, version)) {
                String text = resource(m[2]);
                s.execute(text.replace("${schema}", quoted));
                try (PreparedStatement record = c.prepareStatement("INSERT INTO " + quoted + ".memsnap_schema_version"
                        + " (version, description, checksum, compatible_from) VALUES (?, ?, ?, ?)")) {
                    record.setInt(1, Integer.parseInt(m[0]));
                    record.setString(2, m[1]);
                    record.setString(3, java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8))));
                    record.setInt(4, Integer.parseInt(m[3]));
                    record.executeUpdate();
                }
            }
            c.commit();
        }
    }

    /** A row in Flyway's table as a newer memsnap's migration would leave it. */
    private void recordAsNewerCodeWould(int version, String description, String script) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("INSERT INTO " + SCHEMA + "."
                + SchemaMigrations.HISTORY_TABLE + " (installed_rank, version, description, type, script, checksum, "
                + "installed_by, execution_time, success) SELECT max(installed_rank) + 1, ?, ?, 'SQL', ?, 1, "
                + "current_user, 1, true FROM " + SCHEMA + "." + SchemaMigrations.HISTORY_TABLE)) {
            s.setString(1, Integer.toString(version));
            s.setString(2, description);
            s.setString(3, script);
            s.executeUpdate();
        }
    }

    private static String resource(String migration) throws IOException {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream("migrations/" + migration)) {
            assertTrue(in != null, migration);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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

    /** @return the versions Flyway records as applied, a baseline included */
    private List<Integer> appliedVersions() throws SQLException {
        return query("SELECT version FROM " + SCHEMA + "." + SchemaMigrations.HISTORY_TABLE
                + " WHERE success AND version IS NOT NULL ORDER BY installed_rank").stream()
                .map(Integer::valueOf).toList();
    }

    /** @return the versions the previous runner recorded */
    private List<Integer> legacyVersions() throws SQLException {
        return query("SELECT version::text FROM " + SCHEMA + "." + SchemaMigrations.LEGACY_TABLE
                + " ORDER BY version").stream().map(Integer::valueOf).toList();
    }

    private boolean tableExists(String table) throws SQLException {
        return !query("SELECT to_regclass('" + SCHEMA + "." + table + "')::text").contains(null);
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
