package dev.memsnap.store.postgres;

import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.core.codec.SnapshotCodec;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory-id figures the README quotes: one memory's listing among 10,000 memories of 10 snapshots each, against
 * the listing of all 100,000, with the plan; and V3's migration of a V2 table of that size. Not run in CI (it takes a
 * minute): {@code mvn -o -pl store-postgres test -Dtest=MemoryIdFiguresTest -Dmemsnap.figures=true}. It checks only
 * correctness, never timings; the figures go to the log and to {@code target/store-postgres-memory-figures.txt}.
 */
@EnabledIfSystemProperty(named = "memsnap.figures", matches = "true")
class MemoryIdFiguresTest {
    private static final Logger log = LoggerFactory.getLogger(MemoryIdFiguresTest.class);
    private static final int MEMORIES = 10_000;
    private static final int PER_MEMORY = 10;
    private static final int ROWS = MEMORIES * PER_MEMORY;
    private static final String SCHEMA = "figures";

    private final PostgresServer server = PostgresServer.shared();

    @Test
    void measureOneMemorysListingAmongTenThousand() throws Exception {
        List<String> figures = new ArrayList<>();

        // V3 on a V2 table of 100,000 rows, as an upgrade finds it.
        String upgraded = server.createDatabase();
        PostgresStoreConfig v2Config = server.config(upgraded, SCHEMA);
        Flyway.configure(SchemaMigrations.class.getClassLoader())
                .configuration(SchemaMigrations.flyway(v2Config, PostgresServer.password(), null).getConfiguration())
                .target("2").load().migrate();
        bulkInsert(upgraded, false);
        long migrateStart = System.nanoTime();
        PostgresSnapshotStore migrated = PostgresServer.started(v2Config, SnapshotCodec.plain());
        double migrateMillis = (System.nanoTime() - migrateStart) / 1e6;
        try {
            assertEquals(List.of("default"), migrated.memoryIds());
            assertEquals(ROWS, migrated.list("default").size());
        } finally {
            migrated.stop();
        }
        long againStart = System.nanoTime();
        PostgresServer.started(v2Config, SnapshotCodec.plain()).stop();
        figures.add(String.format(Locale.ROOT, "start with V3's migration of a V2 table of %,d rows: %.0f ms "
                + "(a start with nothing to migrate: %.0f ms)", ROWS, migrateMillis,
                (System.nanoTime() - againStart) / 1e6));

        String database = server.createDatabase();
        PostgresStoreConfig config = server.config(database, SCHEMA);
        PostgresSnapshotStore store = PostgresServer.started(config, SnapshotCodec.plain());
        try {
            bulkInsert(database, true);
            String one = "user-4242";
            List<SnapshotMetadata> listed = store.list(one);
            assertEquals(PER_MEMORY, listed.size());
            assertTrue(listed.stream().allMatch(m -> m.memoryId().equals(one)));
            assertEquals(listed.stream().sorted(SnapshotMetadata.NEWEST_FIRST).toList(), listed);
            assertEquals(ROWS, store.list().size());

            figures.add(String.format(Locale.ROOT, "list(\"%s\"), %d of %,d snapshots in %,d memories: %.2f ms "
                    + "(warm, median of 50)", one, PER_MEMORY, ROWS, MEMORIES, medianMillis(50,
                    () -> store.list(one).size())));
            int[] next = {0};
            figures.add(String.format(Locale.ROOT, "list(memoryId) of 50 different memories: %.2f ms (median)",
                    medianMillis(50, () -> store.list("user-" + (next[0]++ * 197) % MEMORIES).size())));
            figures.add(String.format(Locale.ROOT, "inventory(\"%s\"): %.2f ms (median of 50)", one,
                    medianMillis(50, () -> store.inventory(one).size())));
            figures.add(String.format(Locale.ROOT, "list() of all %,d: %.1f ms (warm, median of 10)", ROWS,
                    medianMillis(10, () -> store.list().size())));
            figures.add(String.format(Locale.ROOT, "memoryIds() (%,d ids): %.1f ms (median of 10)", MEMORIES,
                    medianMillis(10, () -> store.memoryIds().size())));
            assertEquals(MEMORIES, store.memoryIds().size());
            long deleteStart = System.nanoTime();
            assertEquals(PER_MEMORY, store.deleteMemory("user-77"));
            figures.add(String.format(Locale.ROOT, "deleteMemory(\"user-77\") of %d: %.2f ms", PER_MEMORY,
                    (System.nanoTime() - deleteStart) / 1e6));

            String skipScan = "WITH RECURSIVE ids AS (SELECT min(memory_id) AS id FROM figures.memsnap_snapshots "
                    + "UNION ALL SELECT (SELECT min(memory_id) FROM figures.memsnap_snapshots "
                    + "WHERE memory_id > ids.id) FROM ids WHERE ids.id IS NOT NULL) SELECT id FROM ids WHERE id IS NOT NULL";
            try (Connection c = server.admin(database)) {
                figures.add(String.format(Locale.ROOT, "for contrast, a skip scan of the memory ids: %.1f ms "
                        + "(median of 10)", medianMillis(10, () -> {
                            try (Statement q = c.createStatement(); ResultSet rs = q.executeQuery(skipScan)) {
                                int n = 0;
                                while (rs.next()) {
                                    n++;
                                }
                                return n;
                            } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        })));
            }
            figures.add("EXPLAIN (ANALYZE, BUFFERS) of memoryIds():\n    "
                    + String.join("\n    ", explain(database, "EXPLAIN (ANALYZE, BUFFERS) "
                    + store.statements().memoryIds(), null)));
            String statement = store.statements().listMemory();
            figures.add("EXPLAIN (ANALYZE, BUFFERS) of list(\"" + one + "\"):\n    "
                    + String.join("\n    ", explain(database, "EXPLAIN (ANALYZE, BUFFERS) " + statement, one)));
            figures.add("EXPLAIN (ANALYZE, BUFFERS) of deleteMemory (rolled back):\n    "
                    + String.join("\n    ", explain(database, "EXPLAIN (ANALYZE, BUFFERS) "
                    + store.statements().deleteMemory(), "user-4243")));
            figures.add("EXPLAIN (ANALYZE, BUFFERS) of list() of all:\n    "
                    + String.join("\n    ", explain(database, "EXPLAIN (ANALYZE, BUFFERS) "
                    + store.statements().list(), null)));
        } finally {
            store.stop();
        }
        String report = "PostgreSQL store, memory ids (" + Runtime.getRuntime().availableProcessors() + " cores, "
                + "server on the same machine, fsync off):\n  " + String.join("\n  ", figures) + "\n";
        log.info(report);
        Files.writeString(Path.of("target", "store-postgres-memory-figures.txt"), report, StandardCharsets.UTF_8);
    }

    /**
     * {@value #MEMORIES} memories of {@value #PER_MEMORY} snapshots each, as metadata rows with a one-byte body,
     * interleaved in time (row n is memory n mod 10,000), so each memory's rows are spread over the whole heap.
     */
    private void bulkInsert(String database, boolean withMemoryIds) throws Exception {
        try (Connection c = server.admin(database); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + SCHEMA + ".memsnap_snapshots (snapshot_id, taken_at, short_term_turns, "
                    + "long_term_memories, topics, " + (withMemoryIds ? "memory_id, " : "") + "format, stored_bytes, "
                    + "body_sha256, body) SELECT 'snapshot_20250426_120000_' || lpad(to_hex(n), 8, '0'), "
                    + "timestamp '2025-04-26 12:00' + n * interval '1 second', 1, 1, 1, "
                    + (withMemoryIds ? "'user-' || (n % " + MEMORIES + "), " : "")
                    + "'json', 1, sha256('\\x00'::bytea), '\\x00'::bytea FROM generate_series(0, " + (ROWS - 1)
                    + ") AS n");
            s.execute("VACUUM ANALYZE " + SCHEMA + ".memsnap_snapshots");
        }
    }

    private List<String> explain(String database, String sql, String memoryId) throws Exception {
        try (Connection c = server.admin(database)) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                if (memoryId != null) {
                    s.setString(1, memoryId);
                }
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

    private static double medianMillis(int runs, Supplier<Integer> work) {
        for (int i = 0; i < 5; i++) {
            work.get(); // warm up
        }
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.get();
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return times[runs / 2];
    }
}
