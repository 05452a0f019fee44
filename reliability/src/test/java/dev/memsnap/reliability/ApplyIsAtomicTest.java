package dev.memsnap.reliability;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.MemoryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Apply is all or nothing as others see it: while two threads apply two very different snapshots back and forth,
 * every read of the turns, of the memories, and every snapshot captured meanwhile shows one whole state, never a mix
 * (the turns of one with the memories of the other, or part of either).
 */
class ApplyIsAtomicTest {
    private static final int APPLIES = ReliabilityRun.scaled(3_000, 50_000);
    /** Appliers go on past their count until the observers have looked this often, within {@link #DEADLINE_NANOS}. */
    private static final int MIN_OBSERVATIONS = ReliabilityRun.scaled(3_000, 30_000);
    private static final long DEADLINE_NANOS = 60_000_000_000L;

    @Test
    void nobodyEverSeesHalfAnApply(@TempDir Path dir) throws Exception {
        try (RunningManager running = RunningManager.start(new MemoryConfig(dir, false, 10))) {
            EnhancedMemoryManager manager = running.manager();
            MemorySnapshot a = state(manager, "a", 40, 30);
            manager.applySnapshot(state(manager, "empty", 0, 0).snapshotId());
            MemorySnapshot b = state(manager, "b", 70, 10);
            List<MemorySnapshot> states = List.of(a, b);

            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicLong observations = new AtomicLong();
            AtomicLong applies = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch appliersDone = new CountDownLatch(2);
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            ExecutorService pool = Executors.newFixedThreadPool(5);
            for (int t = 0; t < 2; t++) {
                int first = t;
                pool.execute(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < APPLIES || observations.get() < MIN_OBSERVATIONS
                                && System.nanoTime() - deadline < 0; i++) {
                            assertTrue(manager.applySnapshot(states.get((i + first) % 2).snapshotId()));
                            applies.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    } finally {
                        appliersDone.countDown();
                    }
                });
            }
            for (int t = 0; t < 3; t++) {
                pool.execute(() -> {
                    try {
                        start.await();
                        // bounded: the appliers stop by count and deadline, and the wait below is bounded too
                        while (appliersDone.getCount() > 0) {
                            List<Turn> turns = manager.turns();
                            assertTrue(turns.equals(a.shortTerm().turns()) || turns.equals(b.shortTerm().turns()),
                                    "turns of neither state: " + turns.size());
                            Map<String, Memory> memories = manager.memories();
                            assertTrue(memories.equals(a.longTerm().memories())
                                    || memories.equals(b.longTerm().memories()), "memories of neither state");
                            MemorySnapshot captured = manager.getSnapshot(manager.createSnapshot()).orElseThrow();
                            MemorySnapshot expected = captured.shortTerm().turns().equals(a.shortTerm().turns())
                                    ? a : b;
                            assertEquals(expected.shortTerm().turns(), captured.shortTerm().turns(), "capture");
                            assertEquals(expected.longTerm().memories(), captured.longTerm().memories(),
                                    "a capture mixed the turns of one state with the memories of the other");
                            observations.addAndGet(3);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
            }
            start.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(120, TimeUnit.SECONDS), "appliers or observers did not finish");
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.size() + " failures, the first: " + failures.get(0),
                        failures.get(0));
            }
            assertTrue(observations.get() >= MIN_OBSERVATIONS, "only " + observations.get() + " observations were made "
                    + "while applies ran: the race was hardly tested");
            ReliabilityRun.figure(ApplyIsAtomicTest.class, "run", applies.get() + " applies, " + observations.get()
                    + " observations (turns, memories, captures) while they ran, none saw a mixed state");
        }
    }

    private static MemorySnapshot state(EnhancedMemoryManager manager, String name, int turns, int memories) {
        for (int i = 0; i < turns; i++) {
            manager.addTurn("user", name + " turn " + i);
        }
        for (int i = 0; i < memories; i++) {
            manager.addMemory(name + " memory " + i, "fact", 0.5, List.of(name));
        }
        return manager.getSnapshot(manager.createSnapshot()).orElseThrow();
    }
}
