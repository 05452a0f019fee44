package dev.memsnap.spring.actuate;

import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.SnapshotTotals;
import dev.memsnap.api.store.SnapshotStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * memsnap's Micrometer meters. Counters and the save timer read the runtime's totals
 * ({@link MemoryManagers#totals()}, summed over every memory since the start); the store gauges read the store's
 * inventory at most once per {@link #STORE_REFRESH} (the reading is a listing of the whole store), and show NaN while
 * the store cannot be read.
 * <ul>
 *   <li>{@code memsnap.snapshots.created{kind=requested|automatic}}: snapshots created;</li>
 *   <li>{@code memsnap.snapshots.saves}: a timer of the snapshots written to the store, of every kind;</li>
 *   <li>{@code memsnap.snapshots.automatic.saves{outcome=completed|failed|skipped}}: background saves of automatic
 *       snapshots, and those that failed or were skipped because earlier saves were still queued;</li>
 *   <li>{@code memsnap.snapshots.automatic.saves.pending}: automatic saves queued or running;</li>
 *   <li>{@code memsnap.store.snapshots}, {@code memsnap.store.memories}, {@code memsnap.store.size} (bytes): what
 *       the store holds.</li>
 * </ul>
 */
final class MemsnapMetrics implements MeterBinder {
    /** How long a reading of the store's inventory serves the store gauges. */
    static final Duration STORE_REFRESH = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(MemsnapMetrics.class);
    private static final SnapshotTotals NONE = new SnapshotTotals(0, 0, 0, 0, 0, 0, 0, 0);

    private final MemoryManagers memories;
    private final SnapshotStore store;
    private final Clock clock;
    private final Object refresh = new Object();
    private boolean read; // guarded by refresh
    private StoreSummary summary; // guarded by refresh; null when the last reading failed
    private long readAt; // guarded by refresh

    MemsnapMetrics(MemoryManagers memories, SnapshotStore store, Clock clock) {
        this.memories = memories;
        this.store = store;
        this.clock = clock;
        if (memories.totals().isEmpty()) {
            log.info("{} keeps no snapshot totals: memsnap's snapshot meters stay at 0", memories);
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        created(registry, "requested", t -> t.snapshotsCreated() - t.automaticSnapshots());
        created(registry, "automatic", t -> t.automaticSnapshots());
        FunctionTimer.builder("memsnap.snapshots.saves", this, m -> m.totals().saves(),
                        m -> m.totals().saveNanos(), TimeUnit.NANOSECONDS)
                .description("Snapshots written to the store, of every kind, and the time the writes took")
                .register(registry);
        automaticSaves(registry, "completed", SnapshotTotals::automaticSavesCompleted);
        automaticSaves(registry, "failed", SnapshotTotals::automaticSavesFailed);
        automaticSaves(registry, "skipped", SnapshotTotals::automaticSavesSkipped);
        Gauge.builder("memsnap.snapshots.automatic.saves.pending", this, m -> m.totals().pendingAutomaticSaves())
                .description("Automatic saves queued or running").register(registry);
        Gauge.builder("memsnap.store.snapshots", this, m -> m.store(s -> s.snapshots()))
                .description("Snapshots in the store").register(registry);
        Gauge.builder("memsnap.store.memories", this, m -> m.store(s -> s.memories()))
                .description("Memory ids with snapshots in the store").register(registry);
        Gauge.builder("memsnap.store.size", this, m -> m.store(s -> s.storedBytes() < 0 ? Double.NaN : s.storedBytes()))
                .description("What the stored snapshots take in the store").baseUnit("bytes").register(registry);
    }

    private void created(MeterRegistry registry, String kind, ToDoubleFunction<SnapshotTotals> count) {
        FunctionCounter.builder("memsnap.snapshots.created", this, m -> count.applyAsDouble(m.totals()))
                .tag("kind", kind).description("Snapshots created").register(registry);
    }

    private void automaticSaves(MeterRegistry registry, String outcome, ToDoubleFunction<SnapshotTotals> count) {
        FunctionCounter.builder("memsnap.snapshots.automatic.saves", this, m -> count.applyAsDouble(m.totals()))
                .tag("outcome", outcome).description("Background saves of automatic snapshots, by outcome")
                .register(registry);
    }

    private SnapshotTotals totals() {
        return memories.totals().orElse(NONE);
    }

    private double store(ToDoubleFunction<StoreSummary> value) {
        synchronized (refresh) {
            long now = clock.millis();
            if (!read || now - readAt >= STORE_REFRESH.toMillis()) {
                read = true;
                readAt = now;
                try {
                    summary = StoreSummary.of(store);
                } catch (RuntimeException e) { // the health indicator reports it; a gauge shows NaN meanwhile
                    summary = null;
                    log.debug("memsnap's store gauges could not read the store", e);
                }
            }
            return summary == null ? Double.NaN : value.applyAsDouble(summary);
        }
    }
}
