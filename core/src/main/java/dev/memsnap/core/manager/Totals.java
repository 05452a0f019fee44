package dev.memsnap.core.manager;

import dev.memsnap.api.SnapshotTotals;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's sums over every memory ({@link SnapshotTotals}): each memory's {@link AutoSnapshots} and
 * {@link MemorySnapshotManager} count into it as they count their own, so the sums outlive evicted memories. A turn
 * that takes an automatic snapshot counts it with one atomic add ({@link #turnCaptured}), from which the created,
 * automatic and pending sums are derived when read.
 */
@Singleton
final class Totals {
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong automatic = new AtomicLong();
    private final AtomicLong saves = new AtomicLong();
    private final AtomicLong saveNanos = new AtomicLong();
    private final AtomicLong automaticSaved = new AtomicLong();
    private final AtomicLong automaticFailed = new AtomicLong();
    private final AtomicLong automaticSkipped = new AtomicLong();
    /** Automatic snapshots turns took: counted in neither created nor automatic. */
    private final AtomicLong turnCaptures = new AtomicLong();
    /** Of the {@link #turnCaptures}: those saved, failed or skipped, no longer pending. */
    private final AtomicLong turnCapturesSettled = new AtomicLong();

    void created(boolean isAutomatic) {
        created.incrementAndGet();
        if (isAutomatic) {
            automatic.incrementAndGet();
        }
    }

    void saved(long nanos) {
        saves.incrementAndGet();
        saveNanos.addAndGet(nanos);
    }

    void automaticSaveCompleted() {
        automaticSaved.incrementAndGet();
    }

    void automaticSaveFailed() {
        automaticFailed.incrementAndGet();
    }

    void automaticSaveSkipped() {
        automaticSkipped.incrementAndGet();
    }

    /** A turn took an automatic snapshot, to be saved in the background. */
    void turnCaptured() {
        turnCaptures.incrementAndGet();
    }

    /** An automatic snapshot a turn took is no longer pending: saved, failed or skipped. */
    void turnCaptureSettled() {
        turnCapturesSettled.incrementAndGet();
    }

    SnapshotTotals snapshot() {
        long settled = turnCapturesSettled.get(); // first: never more than the captures read after it
        long captures = turnCaptures.get();
        return new SnapshotTotals(created.get() + captures, automatic.get() + captures, saves.get(), saveNanos.get(),
                automaticSaved.get(), automaticFailed.get(), automaticSkipped.get(), (int) (captures - settled));
    }
}
