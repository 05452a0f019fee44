package dev.memsnap.store.postgres;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.format.SnapshotEncoding;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The crypto-shredding figures of docs/reliability.md: what a key per memory costs a save and a read against the
 * master key alone (V4's encoding), the first save of a new memory (which makes its key row), and a shred (key row,
 * rows, then a collection of the whole chunk table) against a plain {@code deleteMemory}, with 2,000 snapshots of 100
 * memories in the table. Not run in CI: {@code -Dtest=ShredFiguresTest -Dmemsnap.figures=true}; figures go to the
 * log and {@code target/store-postgres-shred-figures.txt}.
 */
@EnabledIfSystemProperty(named = "memsnap.figures", matches = "true")
class ShredFiguresTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 7, 1, 8, 0);
    private static final int MEMORIES = 100;
    private static final int ROUNDS = 20;
    private final PostgresServer server = PostgresServer.shared();
    private final String database = server.createDatabase();
    private final KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
    private final SnapshotCodec codec = new SnapshotCodec(new SnapshotJson(), Compression.ZSTD, 6, () -> keys);
    private final List<String> figures = new ArrayList<>();

    private static String id(int n) {
        return String.format("snapshot_20250701_080000_%08x", n);
    }

    private static MemorySnapshot snapshot(int memory, int n) {
        return TestSnapshots.snapshot(id(n), T0.plusSeconds(n), 10, 40 + n % 7).withLineage("user-" + memory, null);
    }

    private PostgresSnapshotStore started(String schema, SnapshotEncoding encoding) {
        PostgresSnapshotStore store = new PostgresSnapshotStore(server.config(database, schema),
                Contexts.of(encoding), System::getenv);
        store.start();
        return store;
    }

    @Test
    void figures() throws Exception {
        PostgresSnapshotStore perMemory = started("per_memory", codec);
        PostgresSnapshotStore masterOnly = started("master_only", Contexts.masterKeyOnly(codec));
        figure("load before: " + load());
        // first saves: every memory new (per memory: its key row is made in the save), the two stores alternating
        long[][] first = new long[2][MEMORIES];
        for (int m = 0; m < MEMORIES; m++) {
            MemorySnapshot s = snapshotOf(m);
            first[0][m] = timed(() -> perMemory.save(s));
            first[1][m] = timed(() -> masterOnly.save(s));
        }
        figure("first save of a memory: per-memory keys " + median(first[0]) + " ms, master key only "
                + median(first[1]) + " ms (median of " + MEMORIES + ")");
        long[][] later = new long[2][MEMORIES * ROUNDS];
        long[][] reads = new long[2][MEMORIES * ROUNDS];
        int n = 1_000;
        for (int r = 0; r < ROUNDS; r++) {
            for (int m = 0; m < MEMORIES; m++) {
                int i = r * MEMORIES + m;
                MemorySnapshot s = snapshot(m, n++);
                later[0][i] = timed(() -> perMemory.save(s));
                later[1][i] = timed(() -> masterOnly.save(s));
                reads[0][i] = timed(() -> perMemory.read(s.snapshotId()).orElseThrow());
                reads[1][i] = timed(() -> masterOnly.read(s.snapshotId()).orElseThrow());
            }
        }
        figure("later saves: per-memory keys " + median(later[0]) + " ms, master key only " + median(later[1])
                + " ms (median of " + later[0].length + ")");
        figure("reads: per-memory keys " + median(reads[0]) + " ms, master key only " + median(reads[1])
                + " ms (median of " + reads[0].length + ")");
        figure("load after the saves: " + load());
        int rows = perMemory.list().size();
        long[] shred = new long[5];
        long[] delete = new long[5];
        for (int m = 0; m < 5; m++) {
            int memory = m;
            shred[m] = timed(() -> assertEquals(ROUNDS + 1, perMemory.shredMemory("user-" + memory))) / 1000;
            delete[m] = timed(() -> assertEquals(ROUNDS + 1, masterOnly.deleteMemory("user-" + memory))) / 1000;
        }
        figure("with " + rows + " snapshots of " + MEMORIES + " memories: shredMemory " + Arrays.toString(shred)
                + " ms (key row, " + ROUNDS + " rows, and a collection of the chunk table), deleteMemory "
                + Arrays.toString(delete) + " ms (rows only, chunks left for gc)");
        figure("load at the end: " + load());
        perMemory.stop();
        masterOnly.stop();
        Files.write(Path.of("target/store-postgres-shred-figures.txt"), figures, StandardCharsets.UTF_8);
    }

    private static MemorySnapshot snapshotOf(int memory) {
        return snapshot(memory, 100 + memory);
    }

    private interface Work {
        void run() throws Exception;
    }

    /** @return how long the work took, in microseconds */
    private static long timed(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1_000;
    }

    /** @return the median of microsecond timings, in milliseconds to two places */
    private static String median(long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        return String.format("%.2f", sorted[sorted.length / 2] / 1000.0);
    }

    private static String load() {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private void figure(String line) {
        System.out.println("[shred figures] " + line);
        figures.add(line);
    }
}
