package dev.memsnap.store.postgres;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.prune.PrunePlan;
import dev.memsnap.core.prune.Pruner;
import dev.memsnap.core.prune.RetentionPolicy;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Measures what the README quotes: saves per second from two instances, and how long listing, the inventory
 * (which filtering and pruning use) and a prune plan take over a few thousand snapshots, against reading every body.
 * It checks only correctness, never timings, so a slow machine cannot fail it; the figures go to the log and to
 * {@code target/store-postgres-figures.txt}.
 */
class ScaleFiguresTest {
    private static final Logger log = LoggerFactory.getLogger(ScaleFiguresTest.class);
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 1, 1, 0, 0);
    private static final int SNAPSHOTS = 3_000;
    private static final int THREADS_PER_INSTANCE = 2;

    private final PostgresServer server = PostgresServer.shared();

    private static String id(int n) {
        return String.format("snapshot_20250101_000000_%08x", n);
    }

    @Test
    void measureSavesListingAndPruningOverThousandsOfSnapshots() throws Exception {
        String database = server.createDatabase();
        PostgresStoreConfig config = server.config(database, "figures");
        PostgresSnapshotStore a = PostgresServer.started(config, SnapshotCodec.plain());
        PostgresSnapshotStore b = PostgresServer.started(config, SnapshotCodec.plain());
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_INSTANCE);
        List<String> figures = new ArrayList<>();
        try {
            List<MemorySnapshot> snapshots = new ArrayList<>();
            for (int i = 0; i < SNAPSHOTS; i++) {
                snapshots.add(TestSnapshots.snapshot(id(i), T0.plusMinutes(i), 10, 10));
            }
            long bodyBytes = snapshots.stream().mapToLong(s -> SnapshotCodec.plain().encode(s).length).sum();

            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> savers = new ArrayList<>();
            int workers = 2 * THREADS_PER_INSTANCE;
            for (int w = 0; w < workers; w++) {
                PostgresSnapshotStore store = w % 2 == 0 ? a : b;
                int first = w;
                savers.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    for (int i = first; i < SNAPSHOTS; i += workers) {
                        store.save(snapshots.get(i));
                    }
                    return null;
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            for (Future<?> saver : savers) {
                saver.get(120, TimeUnit.SECONDS);
            }
            double saveSeconds = (System.nanoTime() - start) / 1e9;
            figures.add(String.format(Locale.ROOT, "save: %d snapshots of %.1f KB (plain JSON) from 2 instances x %d "
                            + "threads in %.2f s = %.0f saves/s", SNAPSHOTS, bodyBytes / 1024.0 / SNAPSHOTS,
                    THREADS_PER_INSTANCE, saveSeconds, SNAPSHOTS / saveSeconds));

            assertEquals(SNAPSHOTS, a.list().size());
            figures.add(String.format(Locale.ROOT, "list of %d: %.1f ms (median of 5)", SNAPSHOTS,
                    medianMillis(() -> a.list().size())));
            figures.add(String.format(Locale.ROOT, "inventory (sizes, labels, pins) of %d: %.1f ms (median of 5)",
                    SNAPSHOTS, medianMillis(() -> a.inventory().size())));
            RetentionPolicy keep100 = new RetentionPolicy(100, null, 0, 0, 0, 0, 0);
            figures.add(String.format(Locale.ROOT, "prune plan (keep_last 100) over %d: %.1f ms (median of 5)",
                    SNAPSHOTS, medianMillis(() -> Pruner.plan(a.inventory(), keep100).remove().size())));
            long readStart = System.nanoTime();
            for (StoredSnapshot s : a.inventory()) {
                a.read(s.snapshotId()).orElseThrow();
            }
            figures.add(String.format(Locale.ROOT, "for contrast, reading every body of %d: %.0f ms", SNAPSHOTS,
                    (System.nanoTime() - readStart) / 1e6));
            figures.add(sizes(database));

            long pruneStart = System.nanoTime();
            PrunePlan pruned = Pruner.prune(b, keep100, false);
            figures.add(String.format(Locale.ROOT, "prune of %d down to 100: %.0f ms", pruned.remove().size(),
                    (System.nanoTime() - pruneStart) / 1e6));
            assertEquals(100, a.list().size());
        } finally {
            pool.shutdownNow();
            a.stop();
            b.stop();
        }
        String report = "PostgreSQL store figures (" + Runtime.getRuntime().availableProcessors() + " cores, server "
                + "on the same machine, fsync off):\n  " + String.join("\n  ", figures) + "\n";
        log.info(report);
        Files.writeString(Path.of("target", "store-postgres-figures.txt"), report, StandardCharsets.UTF_8);
    }

    private static double medianMillis(Supplier<Integer> work) {
        work.get(); // warm up
        double[] runs = new double[5];
        for (int i = 0; i < runs.length; i++) {
            long start = System.nanoTime();
            work.get();
            runs[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(runs);
        return runs[runs.length / 2];
    }

    /** How much of the table a listing scans (the heap) against what it never touches (the bodies in TOAST). */
    private String sizes(String database) throws Exception {
        try (Connection c = server.admin(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_relation_size(t), "
                     + "pg_total_relation_size(t) - pg_relation_size(t) - pg_indexes_size(t) "
                     + "FROM (SELECT 'figures.memsnap_snapshots'::regclass AS t) x")) {
            rs.next();
            return String.format(Locale.ROOT, "table: heap (what list scans) %.1f MB, bodies in TOAST %.1f MB",
                    rs.getLong(1) / 1e6, rs.getLong(2) / 1e6);
        }
    }
}
