package dev.memsnap.core.manager;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The save thread survives what a save can do to it, runs saves in the order they were submitted (it takes them off
 * a lock-free stack in batches), and {@code stop()} runs what is queued and refuses what comes after.
 */
class SaveQueueTest {
    @Test
    void savesRunInTheOrderEachThreadSubmittedThem() throws InterruptedException {
        SaveQueue queue = new SaveQueue();
        int threads = 4;
        int each = 5_000;
        List<List<Integer>> ran = new ArrayList<>();
        List<List<Integer>> accepted = new ArrayList<>();
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Integer> mine = new ArrayList<>(); // written by the save thread only
            List<Integer> ok = new ArrayList<>();
            ran.add(mine);
            accepted.add(ok);
            submitters.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    int n = i;
                    while (!queue.submit(() -> mine.add(n))) {
                        Thread.yield(); // the queue is full: the saver is behind
                    }
                    ok.add(n);
                }
            }));
        }
        submitters.forEach(Thread::start);
        for (Thread t : submitters) {
            t.join();
        }
        queue.stop();
        for (int t = 0; t < threads; t++) {
            assertEquals(each, accepted.get(t).size());
            assertEquals(accepted.get(t), ran.get(t), "thread " + t + "'s saves, in order, each once");
        }
    }

    @Test
    void anIdleSaveThreadSleepsUntilTheNextSubmitWakesIt() throws InterruptedException {
        SaveQueue queue = new SaveQueue(java.time.Duration.ofMillis(50));
        java.util.concurrent.atomic.AtomicReference<Thread> saver = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch first = new CountDownLatch(1);
        assertTrue(queue.submit(() -> {
            saver.set(Thread.currentThread());
            first.countDown();
        }));
        assertTrue(first.await(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (saver.get().getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling (TIMED_WAITING) for 50 ms, then asleep with no timeout: no idle wake-ups
        }
        assertEquals(Thread.State.WAITING, saver.get().getState(), "an idle save thread sleeps until woken");
        for (int i = 0; i < 50; i++) { // each submit after the sleep began wakes it, however it races the sleep
            CountDownLatch ran = new CountDownLatch(1);
            assertTrue(queue.submit(ran::countDown));
            assertTrue(ran.await(10, TimeUnit.SECONDS), "submit " + i + " after a quiet spell ran");
            Thread.sleep(i % 2 == 0 ? 60 : i % 7);
        }
        queue.stop();
        saver.get().join(10_000);
        assertFalse(saver.get().isAlive(), "stop wakes and ends a sleeping save thread");
    }

    @Test
    void stopRunsWhatWasQueuedInOrderAndRefusesWhatComesAfter() throws InterruptedException {
        SaveQueue queue = new SaveQueue();
        CountDownLatch gate = new CountDownLatch(1);
        List<Integer> ran = new ArrayList<>();
        occupy(queue, gate);
        for (int i = 0; i < 10; i++) {
            int n = i;
            assertTrue(queue.submit(() -> ran.add(n)));
        }
        Thread stopper = new Thread(queue::stop);
        stopper.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        AtomicInteger lateRan = new AtomicInteger();
        int lateAccepted = 0;
        while (queue.submit(lateRan::incrementAndGet)) { // accepted until stop() has begun
            lateAccepted++;
            assertTrue(System.nanoTime() < deadline, "stop() never began refusing");
            Thread.sleep(1);
        }
        gate.countDown();
        stopper.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(stopper.isAlive(), "stop() waited for the queued saves and returned");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), ran, "the queued saves ran, in order, before stop returned");
        assertEquals(lateAccepted, lateRan.get(), "every save accepted before stop() began ran");
        assertFalse(queue.submit(() -> ran.add(-1)), "a save submitted after stop() is refused");
        assertEquals(10, ran.size());
    }

    /** Submits a save that holds the save thread until the gate opens, and waits until it runs. */
    private static void occupy(SaveQueue queue, CountDownLatch gate) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        assertTrue(queue.submit(() -> {
            running.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(running.await(10, TimeUnit.SECONDS));
    }

    @Test
    void aVirtualMachineErrorLosesNoneOfTheSavesQueuedBehindIt() throws InterruptedException {
        SaveQueue queue = new SaveQueue();
        CountDownLatch gate = new CountDownLatch(1);
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        occupy(queue, gate);
        // taken off the queue together once the first save returns
        assertTrue(queue.submit(() -> {
            throw new OutOfMemoryError("a save that ran out of heap");
        }));
        assertTrue(queue.submit(() -> ran.add("a")));
        assertTrue(queue.submit(() -> ran.add("b")));
        gate.countDown();
        Thread.sleep(100); // the thread dies of the error
        assertTrue(queue.submit(() -> ran.add("c"))); // starts another thread, which runs a and b first
        queue.stop();
        assertEquals(List.of("a", "b", "c"), ran);
    }
    @Test
    void aSaveThatLeavesTheThreadInterruptedDoesNotReachTheNextOne() throws InterruptedException {
        SaveQueue queue = new SaveQueue();
        try {
            AtomicBoolean interruptedDuringNext = new AtomicBoolean(true);
            CountDownLatch done = new CountDownLatch(1);
            assertTrue(queue.submit(() -> Thread.currentThread().interrupt())); // as code that re-interrupts does
            assertTrue(queue.submit(() -> {
                interruptedDuringNext.set(Thread.currentThread().isInterrupted());
                done.countDown();
            }));
            assertTrue(done.await(10, TimeUnit.SECONDS), "the next save ran");
            assertFalse(interruptedDuringNext.get(), "the next save ran on an interrupted thread");
        } finally {
            queue.stop();
        }
    }

    @Test
    void aVirtualMachineErrorInASaveDoesNotStopLaterSaves() throws InterruptedException {
        SaveQueue queue = new SaveQueue();
        try {
            assertTrue(queue.submit(() -> {
                throw new StackOverflowError("a save that overflowed its stack");
            }));
            CountDownLatch later = new CountDownLatch(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // the first submit after the thread died starts another; one made while it was dying still runs
            while (later.getCount() > 0 && System.nanoTime() < deadline) {
                queue.submit(later::countDown);
                later.await(100, TimeUnit.MILLISECONDS);
            }
            assertEquals(0, later.getCount(), "a save submitted after the error never ran");
        } finally {
            queue.stop();
        }
    }

    @Test
    void aSaveSubmittedAfterTheThreadDiedIsNotLostAtStop() throws InterruptedException {
        SaveQueue queue = new SaveQueue();
        CountDownLatch died = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        assertTrue(queue.submit(() -> {
            died.countDown();
            throw new StackOverflowError("ends the thread");
        }));
        assertTrue(died.await(10, TimeUnit.SECONDS));
        Thread.sleep(50); // let the dying thread clear itself
        queue.submit(ran::incrementAndGet); // starts a new thread or is run by stop()
        queue.stop();
        assertEquals(1, ran.get(), "the queued save was lost at stop");
    }
}
