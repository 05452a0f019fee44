package dev.memsnap.reliability;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.core.prune.PrunePlan;
import dev.memsnap.core.prune.RetentionPolicy;
import dev.memsnap.core.tools.SnapshotTools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workload of the concurrency tests: workers that each make a bounded number of random calls (add turns and
 * memories, create, save, list, get, apply, prune) against one or more managers at once, recording every save that
 * returned, every snapshot a prune removed, and every exception that is not an expected answer. Applying or reading a
 * snapshot another worker pruned is expected to answer {@code false}, empty or {@link SnapshotNotFoundException}: the
 * store may find its file gone between looking and reading.
 */
final class ConcurrentUse {
    /** Keeps the newest few, so pruning really removes snapshots while others are being saved and read. */
    static final RetentionPolicy KEEP_LAST_5 = new RetentionPolicy(5, null, 0, 0, 0, 0, 0);

    final Map<String, MemorySnapshot> acknowledged = new ConcurrentHashMap<>();
    final Set<String> pruned = ConcurrentHashMap.newKeySet();
    final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final List<String> created = Collections.synchronizedList(new ArrayList<>());
    private final List<EnhancedMemoryManager> managers;
    private final List<SnapshotTools> pruners;

    ConcurrentUse(List<EnhancedMemoryManager> managers, List<SnapshotTools> pruners) {
        this.managers = managers;
        this.pruners = pruners;
    }

    /**
     * Runs the workers to the end and returns; fails if they do not end within the timeout.
     *
     * @param workers        threads, each given a manager in turn
     * @param callsPerWorker calls each makes
     * @param timeoutSeconds the bound on the whole run
     */
    void run(int workers, int callsPerWorker, long timeoutSeconds) throws InterruptedException {
        java.util.concurrent.atomic.AtomicInteger threadNumber = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers,
                r -> new Thread(r, "concurrent-use-" + threadNumber.incrementAndGet()));
        CountDownLatch start = new CountDownLatch(1);
        for (int w = 0; w < workers; w++) {
            int worker = w;
            pool.execute(() -> {
                try {
                    start.await();
                    for (int n = 1; n <= callsPerWorker; n++) {
                        step(worker, n, managers.get(worker % managers.size()));
                    }
                } catch (Throwable t) {
                    unexpected.add(t);
                }
            });
        }
        start.countDown();
        pool.shutdown();
        if (!pool.awaitTermination(timeoutSeconds, TimeUnit.SECONDS)) {
            // Say where each worker is, so that a deadlock (all waiting) tells itself apart from slowness.
            StringBuilder where = new StringBuilder();
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                if (thread.getName().startsWith("concurrent-use-")) {
                    where.append('\n').append(thread.getName()).append(' ').append(thread.getState());
                    for (int i = 0; i < Math.min(12, stack.length); i++) {
                        where.append("\n    at ").append(stack[i]);
                    }
                }
            });
            pool.shutdownNow();
            throw new AssertionError("workers still running after " + timeoutSeconds + " s (calls so far: "
                    + summary() + "):" + where);
        }
    }

    private void step(int worker, int n, EnhancedMemoryManager manager) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int op = random.nextInt(100);
        try {
            if (op < 30) {
                count("addTurn");
                manager.addTurn("user", worker + ":" + n);
            } else if (op < 45) {
                count("addMemory");
                manager.addMemory("m" + worker + ":" + n, n % 2 == 0 ? "fact" : "preference", (n % 10) / 10.0,
                        List.of("topic" + worker, "shared"));
            } else if (op < 57) {
                count("createSnapshot");
                String id = manager.createSnapshot();
                SnapshotInvariants.assertConsistent(manager.getSnapshot(id).orElseThrow(), "created");
                created.add(id);
            } else if (op < 70) {
                String id = pick(random);
                if (id != null) {
                    Optional<MemorySnapshot> held = manager.getSnapshot(id);
                    if (held.isPresent()) {
                        count("saveSnapshot");
                        manager.saveSnapshot(id);
                        acknowledged.put(id, held.get());
                    }
                }
            } else if (op < 78) {
                count("listSnapshots");
                List<SnapshotMetadata> listing = manager.listSnapshots();
                Set<String> ids = new HashSet<>();
                for (SnapshotMetadata m : listing) {
                    if (!ids.add(m.snapshotId())) {
                        throw new AssertionError("listed twice: " + m.snapshotId());
                    }
                }
                if (!listing.isEmpty() && random.nextBoolean()) {
                    created.add(listing.get(random.nextInt(listing.size())).snapshotId());
                }
            } else if (op < 88) {
                String id = pick(random);
                if (id != null) {
                    count("applySnapshot");
                    if (!manager.applySnapshot(id)) {
                        count("apply answered false");
                    }
                    SnapshotInvariants.assertConsistent(manager.turns(), manager.memories(), "after apply");
                }
            } else if (op < 95) {
                String id = pick(random);
                if (id != null) {
                    count("getSnapshot");
                    manager.getSnapshot(id).ifPresent(s -> SnapshotInvariants.assertConsistent(s, "got"));
                }
            } else {
                count("prune");
                PrunePlan plan = pruners.get(random.nextInt(pruners.size())).prune(KEEP_LAST_5, false);
                plan.remove().forEach(d -> pruned.add(d.snapshot().snapshotId()));
            }
        } catch (SnapshotNotFoundException goneMeanwhile) {
            count("not found (pruned meanwhile)");
        }
    }

    private String pick(ThreadLocalRandom random) {
        synchronized (created) {
            return created.isEmpty() ? null : created.get(random.nextInt(created.size()));
        }
    }

    private void count(String call) {
        calls.computeIfAbsent(call, k -> new AtomicLong()).incrementAndGet();
    }

    /** @return the calls made, by kind, for figures */
    String summary() {
        return new java.util.TreeMap<>(calls).toString();
    }
}
