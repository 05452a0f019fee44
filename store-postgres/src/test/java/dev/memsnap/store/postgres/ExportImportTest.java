package dev.memsnap.store.postgres;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.store.FileStores;
import dev.memsnap.core.testing.TestSnapshots;
import dev.memsnap.core.tools.SnapshotTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots move between the file store and this one, both ways, with their labels and pins, losing nothing. */
class ExportImportTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 3, 1, 8, 30, 15, 250_000);

    @TempDir
    Path dir;

    private final PostgresServer server = PostgresServer.shared();
    private final List<SnapshotStore> open = new ArrayList<>();
    private final KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
    private String database;

    @BeforeEach
    void database() {
        database = server.createDatabase();
    }

    @AfterEach
    void stop() {
        open.forEach(SnapshotStore::stop);
    }

    private static String id(int n) {
        return String.format("snapshot_20250301_083015_%08x", n);
    }

    /** Plain files, imported into an encrypted zstd database, exported again as gzip files: all equal throughout. */
    @Test
    void fileToPostgresToFileIsLossless() {
        SnapshotStore files = started(FileStores.open(dir.resolve("before"), SnapshotCodec.plain()));
        Map<String, MemorySnapshot> originals = new LinkedHashMap<>();
        Map<String, SnapshotTags> tags = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            MemorySnapshot s = i == 5 ? TestSnapshots.awkward(id(i), T0.plusHours(i))
                    : TestSnapshots.snapshot(id(i), T0.plusHours(i), i, 2 * i);
            files.save(s);
            originals.put(s.snapshotId(), s);
        }
        tags.put(id(2), new SnapshotTags(Set.of("before-upgrade", "\u00E9t\u00E9"), true));
        tags.put(id(5), new SnapshotTags(Set.of("awkward"), false));
        tags.put(id(7), new SnapshotTags(Set.of(), true));
        tags.forEach(files::setTags);

        SnapshotStore postgres = started(PostgresServer.store(server.config(database, "imported"),
                new SnapshotCodec(new SnapshotJson(), Compression.ZSTD, 6, () -> keys)));
        SnapshotTools.CopyResult imported = new SnapshotTools(files).copyTo(postgres, SnapshotTools.Progress.NONE);
        assertEquals(new SnapshotTools.CopyResult(12, List.of()), imported);
        assertHolds(postgres, originals, tags);
        assertEquals(files.inventory().stream().map(StoredSnapshot::metadata).toList(), postgres.list());

        SnapshotStore exported = started(FileStores.open(dir.resolve("after"),
                new SnapshotCodec(new SnapshotJson(), Compression.GZIP, 9, null).withKeys(keys)));
        assertEquals(12, new SnapshotTools(postgres).copyTo(exported, SnapshotTools.Progress.NONE).copied());
        assertHolds(exported, originals, tags);
    }

    /** The other way round, from a database written by two instances in different formats. */
    @Test
    void postgresToFileToPostgresIsLosslessAndReportsDamagedRows() throws Exception {
        SnapshotStore plain = started(PostgresServer.store(server.config(database, "source"), SnapshotCodec.plain()));
        SnapshotStore gzip = started(PostgresServer.store(server.config(database, "source"),
                new SnapshotCodec(new SnapshotJson(), Compression.GZIP, 6, null)));
        Map<String, MemorySnapshot> originals = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            MemorySnapshot s = TestSnapshots.snapshot(id(100 + i), T0.minusDays(i), 3, i);
            (i % 2 == 0 ? plain : gzip).save(s);
            originals.put(s.snapshotId(), s);
        }
        Map<String, SnapshotTags> tags = Map.of(id(101), new SnapshotTags(Set.of("x", "y"), true));
        tags.forEach(plain::setTags);
        MemorySnapshot damaged = TestSnapshots.snapshot(id(199), T0, 1, 1);
        plain.save(damaged);
        try (Connection c = server.admin(database); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE source.memsnap_snapshots SET body = substring(body from 1 for 40) "
                    + "WHERE snapshot_id = '" + id(199) + "'");
        }

        SnapshotStore files = started(FileStores.open(dir.resolve("export"), SnapshotCodec.plain()));
        SnapshotTools.CopyResult exported = new SnapshotTools(plain).copyTo(files, SnapshotTools.Progress.NONE);
        assertEquals(8, exported.copied());
        assertEquals(List.of(id(199)), exported.failures().stream().map(v -> v.snapshotId()).toList());
        assertTrue(exported.failures().get(0).detail().contains("checksum mismatch"),
                exported.failures().get(0).detail());
        assertHolds(files, originals, tags);

        SnapshotStore back = started(PostgresServer.store(server.config(database, "restored"),
                SnapshotCodec.plain().withKeys(keys)));
        assertEquals(8, new SnapshotTools(files).copyTo(back, SnapshotTools.Progress.NONE).copied());
        assertHolds(back, originals, tags);
    }

    private SnapshotStore started(SnapshotStore store) {
        store.start();
        open.add(store);
        return store;
    }

    private static void assertHolds(SnapshotStore store, Map<String, MemorySnapshot> snapshots,
                                    Map<String, SnapshotTags> tags) {
        assertEquals(Set.copyOf(snapshots.keySet()), Set.copyOf(store.storedIds()));
        for (MemorySnapshot s : snapshots.values()) {
            assertEquals(s, store.read(s.snapshotId()).orElseThrow(), s.snapshotId());
            assertEquals(tags.getOrDefault(s.snapshotId(), SnapshotTags.NONE), store.tags(s.snapshotId()),
                    s.snapshotId());
        }
    }
}
