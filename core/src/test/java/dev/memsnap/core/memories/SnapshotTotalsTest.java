package dev.memsnap.core.memories;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.SnapshotTotals;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host's totals sum every memory's counts, and keep them when a memory is evicted from the heap. */
class SnapshotTotalsTest {
    @TempDir
    Path dir;

    @Test
    void totalsSumEveryMemoryAndOutliveEvictions() {
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: "
                + dir.resolve("snapshots") + "\n  max_live_memories: 2\n"))) {
            MemoryManagers memories = memsnap.memories();
            assertEquals(new SnapshotTotals(0, 0, 0, 0, 0, 0, 0, 0), memories.totals().orElseThrow());
            for (String id : new String[] {"alice", "bob", "carol", "dave"}) {
                EnhancedMemoryManager memory = memories.get(id);
                memory.addTurn("user", "hello from " + id);
                memory.saveSnapshot(memory.createSnapshot());
                memory.addTurn("user", "unsaved"); // so that its eviction takes and saves a snapshot
            }
            EnhancedMemoryManager auto = memories.get("erin");
            auto.enableAutoSnapshot(1);
            auto.addTurn("user", "one");
            auto.addTurn("user", "two");
            memsnap.close(); // drains the queued saves

            SnapshotTotals totals = memories.totals().orElseThrow();
            long stored = memsnap.store().list().size();
            assertEquals(4 + totals.automaticSnapshots(), totals.snapshotsCreated(), "four requested");
            assertTrue(totals.automaticSnapshots() >= 2 + 3, "erin's two, and the evicted memories' " + totals);
            assertEquals(2, totals.automaticSavesCompleted(), totals.toString());
            assertEquals(0, totals.automaticSavesFailed() + totals.automaticSavesSkipped() + totals.pendingAutomaticSaves());
            assertEquals(stored, totals.saves(), "every snapshot stored was one timed save");
            assertTrue(totals.saveNanos() > 0);
        }
    }
}
