package dev.memsnap.core.manager;

import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.event.SnapshotEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Automatic snapshots: counts turns, says when one is due, and saves it on a single background thread behind a
 * short queue. When the disk cannot keep up the queue fills and further automatic snapshots stay in memory unsaved
 * (counted as skipped) rather than stalling turns or queueing without bound. Turn counting is guarded by the
 * manager's lock, and so is {@link #stats()}.
 *
 * <p>A turn that takes an automatic snapshot counts it in plain fields under that lock and in one atomic counter of
 * the host's totals, nothing else: pending saves are the snapshots turns took less those settled (saved, failed or
 * skipped), which the save thread counts.
 */
final class AutoSnapshots {
    private static final Logger log = LoggerFactory.getLogger(AutoSnapshots.class);
    /** A memory's automatic saves waiting behind the one running; beyond this they are skipped. */
    static final int QUEUE_CAPACITY = 4;

    private final MemorySnapshotManager snapshots;
    private final EventPublisher events;
    /** Makes the memory's pending snapshots and publishes their create events, in order: the manager's. */
    private final Runnable announce;
    /** Runs on the save thread after each automatic save, given its id: pruning, when configured. */
    private final Consumer<String> afterSave;
    /** The save thread shared by every memory; it starts on the first submitted save. */
    private final SaveQueue saver;
    /** The host's sums over every memory, counted with this memory's own counters. */
    private final Totals totals;

    private boolean enabled;
    private int interval;
    private int turnsSinceSnapshot;
    /** Automatic snapshots turns took (guarded by the manager's lock); counted in neither created nor automatic. */
    private long turnCaptures;

    private final AtomicLong created = new AtomicLong();
    private final AtomicLong automatic = new AtomicLong();
    private final AtomicLong saved = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    /** Of the {@link #turnCaptures}: those saved, failed or skipped, no longer pending. */
    private final AtomicLong settled = new AtomicLong();
    /**
     * {@link #settled} as last read on a turn (guarded by the manager's lock): it only grows, so pending counted with
     * it is never too low, and a turn reads the counter the save thread writes only when this says the queue may be
     * full.
     */
    private long settledSeen;
    private final AtomicReference<String> lastError = new AtomicReference<>();

    /**
     * What every memory's automatic snapshots start with, from {@code memory:}.
     *
     * @param enabled    {@code auto_snapshot}
     * @param interval   {@code snapshot_interval}
     * @param retention  {@code retention}
     * @param pruneAfter {@code retention.after_auto_snapshot}
     */
    record Settings(boolean enabled, int interval, dev.memsnap.core.prune.RetentionPolicy retention,
                    boolean pruneAfter) {
        AutoSnapshots create(MemorySnapshotManager snapshots, EventPublisher events, SaveQueue saver, Totals totals,
                             Runnable announce) {
            Consumer<String> after = pruneAfter && !retention.keepsAll()
                    ? savedId -> snapshots.prune(retention, savedId) : savedId -> { };
            return new AutoSnapshots(enabled, interval, snapshots, events, after, saver, totals, announce);
        }
    }

    AutoSnapshots(boolean enabled, int interval, MemorySnapshotManager snapshots, EventPublisher events,
                  Consumer<String> afterSave, SaveQueue saver, Totals totals, Runnable announce) {
        this.announce = announce;
        this.afterSave = afterSave;
        this.totals = totals;
        this.enabled = enabled;
        this.interval = interval;
        this.snapshots = snapshots;
        this.events = events;
        this.saver = saver;
    }

    void enable(int newInterval) {
        if (newInterval < 1) {
            throw new IllegalArgumentException("snapshot interval must be at least 1 turn, got " + newInterval);
        }
        enabled = true;
        interval = newInterval;
        turnsSinceSnapshot = 0;
    }

    void disable() {
        enabled = false;
    }

    /** Called under the manager's lock after each turn; true when an automatic snapshot is due now. */
    boolean turnAdded() {
        if (!enabled) {
            return false;
        }
        if (++turnsSinceSnapshot < interval) {
            return false;
        }
        turnsSinceSnapshot = 0;
        turnCaptures++;
        totals.turnCaptured();
        return true;
    }

    /** Under the manager's lock, after {@link #turnAdded}: the snapshot it said was due could not be captured. */
    void captureFailed(RuntimeException e) {
        settled.incrementAndGet();
        totals.turnCaptureSettled();
        resolveFailed(e);
    }

    /** A pending snapshot could not be made into a snapshot: its save, which fails the same way, settles it. */
    void resolveFailed(RuntimeException e) {
        failed.incrementAndGet();
        totals.automaticSaveFailed();
        lastError.set("capture failed: " + e.getMessage());
        log.warn("Automatic snapshot could not be captured; the turn was recorded", e);
    }

    /**
     * Under the manager's lock, after {@link #turnAdded} and a capture: whether that snapshot is one too many for the
     * queue (the {@value #QUEUE_CAPACITY} saves behind the running one are taken), to be kept in memory unsaved.
     */
    boolean queueFullLocked() {
        if (turnCaptures - settledSeen <= 1 + QUEUE_CAPACITY) {
            return false;
        }
        settledSeen = settled.get();
        return turnCaptures - settledSeen > 1 + QUEUE_CAPACITY;
    }

    /**
     * Hands an automatic snapshot, taken on a turn, to the save thread, which first runs {@code announce} (making the
     * memory's pending snapshots and publishing their events, in order), then saves this one. Called on the turn's
     * thread, holding no lock: the snapshot itself is the queued task, so this costs the turn two atomic operations
     * on the save queue and no allocation. With {@code skip} (see {@link #queueFullLocked()}), or when the save queue
     * is full or stopped, it is not saved, and the announcing goes to the save thread, or is done here.
     */
    void saveInBackground(PendingSnapshot capture, boolean skip) {
        if (!skip && saver.submit(capture)) {
            return;
        }
        skippedHere();
        log.warn(skip ? "An automatic snapshot is kept in memory but not saved: earlier saves are still queued"
                : "An automatic snapshot is kept in memory but not saved: the save thread is full or stopped");
        if (skip && saver.submit(announce)) {
            return;
        }
        announce.run();
    }

    /** Counts an automatic snapshot that will not be saved, no longer pending. */
    private void skippedHere() {
        skipped.incrementAndGet();
        totals.automaticSaveSkipped();
        settled.incrementAndGet();
        totals.turnCaptureSettled();
    }

    /** On the save thread: announces the memory's pending snapshots, then makes and saves this one. */
    void save(PendingSnapshot capture) {
        MemorySnapshot snapshot = null;
        try {
            announce.run();
            snapshot = capture.resolve(snapshots);
            URI location = snapshots.save(snapshot);
            saved.incrementAndGet();
            totals.automaticSaveCompleted();
            snapshots.release(snapshot.snapshotId());
            events.publish(SnapshotEvent.saved(snapshot.metadata(), location, true));
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            totals.automaticSaveFailed();
            String id = snapshot == null ? "an automatic snapshot" : snapshot.snapshotId();
            lastError.set(id + ": " + e.getMessage());
            log.warn("Automatic snapshot {} could not be saved; it is kept in memory", id, e);
            return;
        } finally {
            settled.incrementAndGet();
            totals.turnCaptureSettled();
        }
        try {
            afterSave.accept(snapshot.snapshotId());
        } catch (RuntimeException e) {
            lastError.set("prune after " + snapshot.snapshotId() + " failed: " + e.getMessage());
            log.warn("Pruning after automatic snapshot {} failed; nothing was lost", snapshot.snapshotId(), e);
        }
    }

    /** Counts a snapshot created on request. */
    void counted() {
        created.incrementAndGet();
        totals.created(false);
    }

    /** Counts a snapshot memsnap took by itself: the state an apply replaced, or a memory being evicted. */
    void countedAutomatic() {
        created.incrementAndGet();
        automatic.incrementAndGet();
        totals.created(true);
    }

    /** Under the manager's lock. */
    ManagerStats stats() {
        long pending = turnCaptures - settled.get();
        return new ManagerStats(enabled, interval, created.get() + turnCaptures, automatic.get() + turnCaptures,
                saved.get(), failed.get(), skipped.get(), (int) pending, lastError.get());
    }

    /** @return whether automatic snapshots are on */
    boolean enabled() {
        return enabled;
    }
}
