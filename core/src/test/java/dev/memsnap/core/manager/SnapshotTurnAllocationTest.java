package dev.memsnap.core.manager;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A turn that takes an automatic snapshot takes references to the state and the time, and hands them over, nothing
 * else: the id, date, statistics, event and save are made on the save thread. Counted in bytes the turn's thread
 * allocates (not timed): the snapshot turn's extra is the pending snapshot and the clock's reading, where building the
 * date, a queue node per queue and a capturing lambda on the turn came to 400 bytes (80 now).
 */
class SnapshotTurnAllocationTest {
    /** A pending snapshot (56 bytes) and an {@code Instant} (24), with room for another small object. */
    private static final long MAX_EXTRA_BYTES = 128;
    private static final int SAMPLES = 400;

    @TempDir
    Path dir;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void aSnapshotTurnAllocatesLittleMoreThanAPlainTurn() {
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: " + dir
                + "\n  auto_snapshot: true\n  snapshot_interval: 2\n"))) {
            EnhancedMemoryManager memory = memsnap.manager();
            long[] plain = new long[SAMPLES];
            long[] snapshot = new long[SAMPLES];
            for (int round = 0; round < 3; round++) { // the first rounds warm the code up
                for (int i = 0; i < SAMPLES; i++) {
                    plain[i] = allocatedBy(memory, "plain " + i);
                    while (memory.stats().pendingAutomaticSaves() > 0) { // as turns seconds apart find it
                        Thread.onSpinWait();
                    }
                    snapshot[i] = allocatedBy(memory, "snapshot " + i);
                }
            }
            long extra = median(snapshot) - median(plain);
            assertTrue(extra <= MAX_EXTRA_BYTES, "a snapshot turn allocated " + extra + " bytes more than a plain "
                    + "turn (median of " + SAMPLES + "; plain " + median(plain) + ")");
            memsnap.close();
            assertEquals(3 * SAMPLES, memory.stats().automaticSavesCompleted(), "every snapshot turn's was saved");
        }
    }

    private static long allocatedBy(EnhancedMemoryManager memory, String content) {
        String role = "user";
        long before = THREADS.getCurrentThreadAllocatedBytes();
        memory.addTurn(role, content);
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
