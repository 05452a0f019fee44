package dev.memsnap.spring.actuate;

import dev.memsnap.api.store.SnapshotStore;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of memsnap's snapshot store: up with the store and what it holds (memory ids, snapshots, stored bytes)
 * when its inventory reads, down with the reason when it does not. Each check reads the whole inventory, as
 * {@code memsnap list} does.
 */
final class MemsnapHealthIndicator extends AbstractHealthIndicator {
    private final SnapshotStore store;

    MemsnapHealthIndicator(SnapshotStore store) {
        super("memsnap's snapshot store is unusable");
        this.store = store;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        StoreSummary summary = StoreSummary.of(store);
        builder.up().withDetail("store", store.toString()).withDetail("memories", summary.memories())
                .withDetail("snapshots", summary.snapshots());
        if (summary.storedBytes() >= 0) {
            builder.withDetail("storedBytes", summary.storedBytes());
        }
    }
}
