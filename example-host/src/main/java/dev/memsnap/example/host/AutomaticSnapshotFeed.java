package dev.memsnap.example.host;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects the events of automatic snapshots, which memsnap takes inside {@code addTurn} and saves on a background
 * thread, so that the console can say when they happened. Events are only queued here; the console prints them
 * between lines, so the background thread never writes into the middle of the transcript.
 */
final class AutomaticSnapshotFeed implements SnapshotEventListener {
    /** A failed save publishes no event, so a waiter also looks again this often. */
    private static final long RECHECK_MILLIS = 50;

    private final ConcurrentLinkedQueue<SnapshotEvent> events = new ConcurrentLinkedQueue<>();
    private final Object arrived = new Object();
    /** Set on the console's thread while an apply runs: the snapshot it keeps of the state it replaces. */
    private final ThreadLocal<Boolean> applying = ThreadLocal.withInitial(() -> false);
    private final java.util.Set<String> kept = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void onEvent(SnapshotEvent event) {
        if (event.automatic()) {
            if (applying.get() && event.snapshotId() != null) {
                kept.add(event.snapshotId());
            }
            events.add(event);
            synchronized (arrived) {
                arrived.notifyAll();
            }
        }
    }

    /**
     * Waits until no automatic save is queued or running, woken by each save event.
     *
     * @param memory  the manager whose saves to wait for
     * @param timeout how long at most
     * @return whether all finished in time
     */
    boolean awaitSaves(EnhancedMemoryManager memory, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (memory.stats().pendingAutomaticSaves() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (arrived) {
                try {
                    arrived.wait(Math.max(1, Math.min(RECHECK_MILLIS, Duration.ofNanos(left).toMillis())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Runs an apply, noting the snapshot memsnap takes of the state it replaces (published as automatic, on this
     * thread, before the apply returns), so the console can say it is the one {@code /undo} returns to.
     */
    boolean duringApply(java.util.function.BooleanSupplier apply) {
        applying.set(true);
        try {
            return apply.getAsBoolean();
        } finally {
            applying.set(false);
        }
    }

    /** @return whether a snapshot is one an apply kept of the state it replaced */
    boolean keptByApply(String snapshotId) {
        return kept.contains(snapshotId);
    }

    /** @return the automatic events since the last call, oldest first */
    List<SnapshotEvent> drain() {
        List<SnapshotEvent> drained = new ArrayList<>();
        for (SnapshotEvent e = events.poll(); e != null; e = events.poll()) {
            drained.add(e);
        }
        return drained;
    }

    @Override
    public String toString() {
        return "AutomaticSnapshotFeed";
    }
}
