package dev.memsnap.core.manager;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one background thread every memory's automatic saves, eviction saves and pre-apply saves run on, behind a
 * bounded queue. The thread starts with the first save, never at construction; {@link #stop()} finishes what is
 * queued.
 *
 * <p>Handing it work costs the submitter no wake-up: the queue is lock-free and the thread, when idle, polls it with
 * a backoff of up to {@value #MAX_POLL_MICROS} µs. Waking a parked thread costs a turn tens of microseconds on a busy
 * machine; polling costs an idle process about a hundred short wake-ups a second. After {@value #DEEP_SLEEP_SECONDS}
 * s with nothing to do the thread parks until the next submit wakes it.
 */
@Singleton
final class SaveQueue {
    private static final Logger log = LoggerFactory.getLogger(SaveQueue.class);
    /** Saves waiting, across all memories; each memory also caps its own automatic saves. */
    static final int CAPACITY = 1024;
    private static final long STOP_TIMEOUT_SECONDS = 30;
    static final long MAX_POLL_MICROS = 10_000;
    static final long DEEP_SLEEP_SECONDS = 60;

    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private volatile Thread thread;
    private volatile boolean sleeping;
    private volatile boolean stopped;

    /**
     * @param save what to run
     * @return whether it was queued; {@code false} when the queue is full or stopped
     */
    boolean submit(Runnable save) {
        Thread t;
        synchronized (this) { // uncontended but for stop(): nothing is added once stop() has begun
            if (stopped) {
                return false;
            }
            if (size.incrementAndGet() > CAPACITY) {
                size.decrementAndGet();
                return false;
            }
            queue.add(save);
            t = thread;
            if (t == null) {
                t = new Thread(this::run, "memsnap-save");
                t.setDaemon(true);
                thread = t;
                t.start();
                return true;
            }
        }
        if (sleeping) {
            LockSupport.unpark(t);
        }
        return true;
    }

    private void run() {
        try {
            loop();
        } finally {
            // a VirtualMachineError ended the thread: the next submit starts another rather than queue for nobody
            synchronized (this) {
                if (thread == Thread.currentThread()) {
                    thread = null;
                }
            }
        }
    }

    private void loop() {
        long idleSince = System.nanoTime();
        long pollNanos = 0;
        while (true) {
            Runnable save = queue.poll();
            if (save != null) {
                size.decrementAndGet();
                runOne(save);
                Thread.interrupted(); // a task that left the thread interrupted must not make parking spin or fail
                                      // the next task's channel I/O (an executor clears it too)
                idleSince = System.nanoTime();
                pollNanos = 0;
                continue;
            }
            if (stopped) {
                return;
            }
            if (System.nanoTime() - idleSince < TimeUnit.SECONDS.toNanos(DEEP_SLEEP_SECONDS)) {
                pollNanos = Math.min(Math.max(2 * pollNanos, 20_000), TimeUnit.MICROSECONDS.toNanos(MAX_POLL_MICROS));
                LockSupport.parkNanos(this, pollNanos);
            } else {
                // submit reads sleeping after adding; we read the queue after setting it: one of us sees the other
                sleeping = true;
                if (queue.isEmpty() && !stopped) {
                    LockSupport.park(this);
                }
                sleeping = false;
                idleSince = System.nanoTime();
            }
        }
    }

    private static void runOne(Runnable save) {
        try {
            save.run();
        } catch (RuntimeException | Error e) {
            log.error("A background snapshot save failed unexpectedly", e);
            if (e instanceof VirtualMachineError) {
                throw e;
            }
        }
    }

    /** Finishes the saves already queued, then ends the thread. */
    void stop() {
        Thread t;
        synchronized (this) {
            stopped = true;
            t = thread;
        }
        if (t == null) {
            // never started, or ended by a VirtualMachineError with saves still queued: run them here
            for (Runnable save = queue.poll(); save != null; save = queue.poll()) {
                size.decrementAndGet();
                runOne(save);
            }
            return;
        }
        LockSupport.unpark(t);
        try {
            t.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
            if (t.isAlive()) {
                log.warn("Snapshot saves still running after {} s; {} not waited for", STOP_TIMEOUT_SECONDS,
                        size.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
