package dev.memsnap.core.manager;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one background thread every memory's automatic saves, eviction saves and pre-apply saves run on, behind a
 * bounded queue. The thread starts with the first save, never at construction; {@link #stop()} finishes what is
 * queued.
 */
@Singleton
final class SaveQueue {
    private static final Logger log = LoggerFactory.getLogger(SaveQueue.class);
    /** Saves waiting, across all memories; each memory also caps its own automatic saves. */
    static final int CAPACITY = 1024;
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private final ThreadPoolExecutor saver = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(CAPACITY), runnable -> {
        Thread thread = new Thread(runnable, "memsnap-save");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param save what to run
     * @return whether it was queued; {@code false} when the queue is full or stopped
     */
    boolean submit(Runnable save) {
        try {
            saver.execute(save);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Finishes the saves already queued, then ends the thread. */
    void stop() {
        saver.shutdown();
        try {
            if (!saver.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("Snapshot saves still running after {} s; {} not waited for", STOP_TIMEOUT_SECONDS,
                        saver.getQueue().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
