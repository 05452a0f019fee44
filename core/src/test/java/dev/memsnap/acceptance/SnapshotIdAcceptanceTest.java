package dev.memsnap.acceptance;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.core.format.SnapshotIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ids are {@code snapshot_<yyyyMMdd>_<HHmmss>_<8 lowercase hex>}, unique even for thousands created in one second. */
class SnapshotIdAcceptanceTest {

    @TempDir
    Path tmp;

    @Test
    void idHasTheFormatAndItsStampIsTheSnapshotsTime() {
        EnhancedMemoryManager m = Acceptance.manager(tmp);
        m.addTurn("user", "hi");
        String id = m.createSnapshot();
        assertTrue(Acceptance.ID.matcher(id).matches(), id);

        MemorySnapshot s = m.getSnapshot(id).orElseThrow();
        assertEquals(id, s.snapshotId());
        String stamp = id.substring("snapshot_".length(), "snapshot_".length() + 15);
        LocalDateTime parsed = LocalDateTime.parse(stamp, DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
        assertEquals(s.timestamp().withNano(0), parsed, "the id's date and time are the snapshot's timestamp");
    }

    @Test
    void fiveThousandIdsInATightLoopAreAllUniqueAndWellFormed() {
        EnhancedMemoryManager m = Acceptance.manager(tmp);
        m.addTurn("user", "one turn so snapshots are not trivially empty");
        List<String> ids = new ArrayList<>(5000);
        for (int i = 0; i < 5000; i++) {
            ids.add(m.createSnapshot());
        }
        Set<String> unique = new HashSet<>(ids);
        assertEquals(5000, unique.size(), "duplicate ids among 5000");
        for (String id : ids) {
            assertTrue(Acceptance.ID.matcher(id).matches(), id);
            assertTrue(SnapshotIds.isValid(id), id);
        }
        assertEquals(5000, m.listSnapshots().size(), "every snapshot held and listed once");
        assertEquals(unique.size(), m.listSnapshots().stream().map(x -> x.snapshotId()).distinct().count());
    }

    @Test
    void idsCreatedConcurrentlyFromSeveralThreadsAreUnique() throws Exception {
        EnhancedMemoryManager m = Acceptance.manager(tmp);
        int threads = 4;
        int each = 1250;
        Set<String> ids = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    int dup = 0;
                    for (int i = 0; i < each; i++) {
                        if (!ids.add(m.createSnapshot())) {
                            dup++;
                        }
                    }
                    return dup;
                }));
            }
            go.countDown();
            int duplicates = 0;
            for (Future<Integer> f : futures) {
                duplicates += f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(0, duplicates, "duplicate ids across threads");
            assertEquals(threads * each, ids.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void snapshotIdsValidatorAcceptsOnlyTheFormat() {
        assertTrue(SnapshotIds.isValid("snapshot_20250426_123456_abcd1234"));
        for (String bad : new String[] {null, "", "snapshot_20250426_123456_ABCD1234", "snapshot_20250426_123456_abcd123",
                "snapshot_20250426_123456_abcd12345", "snapshot_2025042_123456_abcd1234", "snapshot_20250426_12345_abcd1234",
                "Snapshot_20250426_123456_abcd1234", "snapshot_20250426_123456_abcd123g", "../x",
                "snapshot_20250101_000000_abcd1234/../../x", "/tmp/snapshot_20250101_000000_abcd1234",
                "snapshot_20250426_123456_abcd1234.json", " snapshot_20250426_123456_abcd1234",
                "snapshot_20250426_123456_abcd1234\n", "snapshot_２０２５0426_123456_abcd1234"}) {
            assertFalse(SnapshotIds.isValid(bad), "accepted " + bad);
        }
    }
}
