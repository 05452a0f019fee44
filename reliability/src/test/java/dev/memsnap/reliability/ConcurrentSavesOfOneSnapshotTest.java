package dev.memsnap.reliability;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same snapshot saved by two savers at once (two threads, or two processes sharing a directory, each saving a
 * snapshot both have loaded): both saves return, so the snapshot must be there, whole, afterwards. Each round starts
 * both saves at one barrier.
 */
class ConcurrentSavesOfOneSnapshotTest {
    private static final int ROUNDS = ReliabilityRun.scaled(100, 1000);
    private static final KeyRing KEYS = KeyRing.ofKey(KeyRing.generateKey());

    @Test
    void identicalBytesSavedTwiceAtOnceStayWhole(@TempDir Path dir) throws Exception {
        List<String> damaged = race(dir, Stores.Kind.FILE, Layers.PLAIN, Layers.PLAIN);
        assertEquals(List.of(), damaged);
    }

    @Test
    void encryptedSnapshotSavedTwiceAtOnceStaysWhole(@TempDir Path dir) throws Exception {
        assertEquals(List.of(), race(dir, Stores.Kind.FILE, Layers.ENCRYPTED, Layers.ENCRYPTED));
    }

    @Test
    void snapshotSavedInTwoEncodingsAtOnceIsNotLost(@TempDir Path dir) throws Exception {
        assertEquals(List.of(), race(dir, Stores.Kind.FILE, Layers.PLAIN, Layers.GZIP));
    }

    @Test
    void incrementalStoreKeepsASnapshotSavedTwiceAtOnce(@TempDir Path dir) throws Exception {
        assertEquals(List.of(), race(dir, Stores.Kind.INCREMENTAL, Layers.ENCRYPTED, Layers.ENCRYPTED));
    }

    /** @return what was wrong after each bad round */
    private static List<String> race(Path dir, Stores.Kind kind, Layers one, Layers other) throws Exception {
        SnapshotStore first = Stores.started(kind, dir, one.codec(KEYS));
        SnapshotStore second = Stores.started(kind, dir, other.codec(KEYS));
        SnapshotStore reader = Stores.started(kind, dir, Layers.reader(KEYS));
        List<String> problems = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String id = String.format("snapshot_20250426_120000_%08x", round);
                MemorySnapshot snapshot = TestSnapshots.snapshot(id, LocalDateTime.of(2025, 4, 26, 12, 0), 3, 2);
                CyclicBarrier together = new CyclicBarrier(2);
                Future<?> a = pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return first.save(snapshot);
                });
                Future<?> b = pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return second.save(snapshot);
                });
                a.get(30, TimeUnit.SECONDS);
                b.get(30, TimeUnit.SECONDS);
                if (!reader.storedIds().contains(id)) {
                    problems.add(id + ": lost although both saves returned");
                    continue;
                }
                Verification v = reader.verify(id);
                if (!v.intact()) {
                    problems.add(id + ": " + v.detail());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        ReliabilityRun.figure(ConcurrentSavesOfOneSnapshotTest.class, kind + "." + one + "+" + other,
                ROUNDS + " rounds, " + problems.size() + " bad");
        assertTrue(ROUNDS > 0);
        return problems;
    }
}
