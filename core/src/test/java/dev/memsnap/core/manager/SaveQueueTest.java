package dev.memsnap.core.manager;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The save thread survives what a save can do to it, and {@code stop()} runs what is queued. */
class SaveQueueTest {
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
