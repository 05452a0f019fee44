package dev.memsnap.core.manager;

import dev.memsnap.api.SnapshotTotals;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's sums over every memory ({@link SnapshotTotals}): each memory's {@link AutoSnapshots} and
 * {@link MemorySnapshotManager} count into it as they count their own, so the sums outlive evicted memories.
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
    private final AtomicInteger pending = new AtomicInteger();

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

    void pending(int delta) {
        pending.addAndGet(delta);
    }

    SnapshotTotals snapshot() {
        return new SnapshotTotals(created.get(), automatic.get(), saves.get(), saveNanos.get(), automaticSaved.get(),
                automaticFailed.get(), automaticSkipped.get(), pending.get());
    }
}
