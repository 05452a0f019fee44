package dev.memsnap.core.manager;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one background thread every memory's automatic saves, eviction saves and pre-apply saves run on, behind a
 * bounded queue. The thread starts with the first save, never at construction; {@link #stop()} finishes what is
 * queued, and refuses what is submitted after it began.
 *
 * <p>Handing it work costs the submitter no wake-up and no allocation beyond the {@link Task} itself: the queue is a
 * lock-free stack of tasks linked through their own {@link Task#next} field, whose top and size sit side by side in
 * this object, so that a submit is two atomic operations on one cache line (what a turn that took an automatic
 * snapshot pays after a pause, when nothing it touches is in the cache any more). The thread takes the whole stack at
 * once and runs it oldest first, so saves run in the order they were submitted. A submit does not wake the thread
 * while it is polling (waking a parked thread costs the submitter tens of microseconds on a busy machine): when idle
 * it polls, with a backoff of up to {@value #MAX_POLL_MICROS} µs, about a hundred short wake-ups a second; after
 * {@value #DEEP_SLEEP_SECONDS} s with nothing to do it sleeps until woken, so that an idle process has no wake-ups,
 * and only the first submit after such a quiet spell pays for waking it. {@link #stop()} wakes it.
 */
@Singleton
final class SaveQueue {
    private static final Logger log = LoggerFactory.getLogger(SaveQueue.class);
    /** Saves waiting, across all memories; each memory also caps its own automatic saves. */
    static final int CAPACITY = 1024;
    private static final long STOP_TIMEOUT_SECONDS = 30;
    static final long MAX_POLL_MICROS = 10_000;
    static final long DEEP_SLEEP_SECONDS = 60;

    /** Work for the save thread, linked into the queue through itself. */
    abstract static class Task {
        /** The task submitted before this one, while both are on the stack; then the next to run, once taken. */
        Task next;

        abstract void run();
    }

    /** What {@link #stop()} leaves on top of the stack: no task goes on after it; below it, what is left to run. */
    private static final class Stopped extends Task {
        @Override
        void run() {
            throw new AssertionError("the stop marker is not run");
        }
    }

    private static final class RunnableTask extends Task {
        private final Runnable runnable;

        RunnableTask(Runnable runnable) {
            this.runnable = runnable;
        }

        @Override
        void run() {
            runnable.run();
        }
    }

    private static final VarHandle TOP;
    private static final VarHandle SIZE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOP = lookup.findVarHandle(SaveQueue.class, "top", Task.class);
            SIZE = lookup.findVarHandle(SaveQueue.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // what a submit touches, together
    /** The newest task submitted and not yet taken (linked to older ones), a {@link Stopped} marker, or null. */
    @SuppressWarnings("unused") // through TOP
    private volatile Task top;
    /** Tasks submitted and not yet run (or counted out): the bound. */
    @SuppressWarnings("unused") // through SIZE
    private volatile int size;
    private volatile Thread thread;
    /** Whether the thread sleeps until a submit wakes it (after {@link #deepSleepAfterNanos} with nothing to do). */
    private volatile boolean asleep;
    private final long deepSleepAfterNanos;

    /** Taken from the stack, oldest first, not yet run; the save thread's (or, with none, stop's), under this lock. */
    private Task taken;

    SaveQueue() {
        this(java.time.Duration.ofSeconds(DEEP_SLEEP_SECONDS));
    }

    /** @param deepSleepAfter how long the thread polls with nothing to do before it sleeps until woken */
    SaveQueue(java.time.Duration deepSleepAfter) {
        this.deepSleepAfterNanos = deepSleepAfter.toNanos();
    }

    /**
     * @param save what to run
     * @return whether it was queued; {@code false} when the queue is full or stopped
     */
    boolean submit(Runnable save) {
        return submit(new RunnableTask(save));
    }

    /**
     * @param task what to run; a task is submitted once
     * @return whether it was queued; {@code false} when the queue is full or stopped
     */
    boolean submit(Task task) {
        if ((int) SIZE.getAndAdd(this, 1) >= CAPACITY) {
            SIZE.getAndAdd(this, -1);
            return false;
        }
        Task t;
        do {
            t = top;
            if (t instanceof Stopped) {
                SIZE.getAndAdd(this, -1);
                return false;
            }
            task.next = t;
        } while (!TOP.compareAndSet(this, t, task));
        Thread saver = thread;
        if (saver == null) {
            startThread();
        } else if (asleep) {
            LockSupport.unpark(saver); // it saw no task before it slept, or it would not sleep: see loop
        }
        return true;
    }

    private synchronized void startThread() {
        if (thread != null || top instanceof Stopped) {
            return; // started meanwhile; or stopping, and stop() runs what is left
        }
        Thread t = new Thread(this::run, "memsnap-save");
        t.setDaemon(true);
        thread = t;
        t.start();
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
            if (runTaken()) {
                idleSince = System.nanoTime();
                pollNanos = 0;
                continue;
            }
            if (top instanceof Stopped) {
                return; // runTaken took what was below the marker: nothing is left
            }
            if (System.nanoTime() - idleSince >= deepSleepAfterNanos) {
                // Announce the sleep, then look once more: a submit either pushed before this look (seen here) or
                // reads asleep after it and unparks (a permit given before park makes park return at once).
                asleep = true;
                if (top == null) {
                    LockSupport.park(this);
                }
                asleep = false;
                continue;
            }
            pollNanos = Math.min(Math.max(2 * pollNanos, 20_000), TimeUnit.MICROSECONDS.toNanos(MAX_POLL_MICROS));
            LockSupport.parkNanos(this, pollNanos);
        }
    }

    /**
     * Runs what was taken and not yet run, then takes everything on the stack (below the stop marker, if there is
     * one) and runs it, oldest first.
     *
     * @return whether anything ran
     */
    private boolean runTaken() {
        boolean ran = false;
        for (Task task = takeNext(); task != null; task = takeNext()) {
            runOne(task);
            ran = true;
            Thread.interrupted(); // a task that left the thread interrupted must not make parking spin or fail the
                                  // next task's channel I/O (an executor clears it too)
        }
        return ran;
    }

    /** @return the oldest task not yet run, or null; taken off the stack, and counted out of the size */
    private synchronized Task takeNext() {
        if (taken == null) {
            taken = reversed(takeAll());
        }
        Task task = taken;
        if (task != null) {
            taken = task.next;
            task.next = null;
            SIZE.getAndAdd(this, -1);
        }
        return task;
    }

    /** @return the tasks on the stack, newest first, leaving it empty (or with just the stop marker) */
    private Task takeAll() {
        while (true) {
            Task t = top;
            if (t instanceof Stopped stopped) {
                Task below = stopped.next;
                stopped.next = null; // taken once: the marker stays, so that nothing more goes on
                return below;
            }
            if (t == null || TOP.compareAndSet(this, t, null)) {
                return t;
            }
        }
    }

    private static Task reversed(Task newestFirst) {
        Task oldestFirst = null;
        for (Task t = newestFirst; t != null; ) {
            Task older = t.next;
            t.next = oldestFirst;
            oldestFirst = t;
            t = older;
        }
        return oldestFirst;
    }

    private static void runOne(Task save) {
        try {
            save.run();
        } catch (RuntimeException | Error e) {
            log.error("A background snapshot save failed unexpectedly", e);
            if (e instanceof VirtualMachineError) {
                throw e;
            }
        }
    }

    /** Finishes the saves already queued, then ends the thread; later submits are refused. */
    void stop() {
        Stopped marker = new Stopped();
        Task t;
        do {
            t = top;
            if (t instanceof Stopped) {
                break; // stopped before: wait for the thread all the same
            }
            marker.next = t;
        } while (!TOP.compareAndSet(this, t, marker));
        Thread saver;
        synchronized (this) {
            saver = thread;
        }
        if (saver != null) {
            LockSupport.unpark(saver);
            try {
                saver.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
                if (saver.isAlive()) {
                    log.warn("Snapshot saves still running after {} s; {} not waited for", STOP_TIMEOUT_SECONDS,
                            size);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        // never started, or ended by a VirtualMachineError with saves still queued: run them here
        while (true) {
            Task task = takeNext();
            if (task == null) {
                return;
            }
            runOne(task);
        }
    }
}
