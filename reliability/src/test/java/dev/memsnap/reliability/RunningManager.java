package dev.memsnap.reliability;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Lifecycle;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.MemorySnapshotModule;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * A memory manager wired by Guice from a {@link MemoryConfig}, started and stopped as {@code Memsnap} does it. Used
 * where the snapshot directory is a path no YAML can name (the injected faulty file system) or a test needs the store
 * itself.
 */
final class RunningManager implements AutoCloseable {
    private final EnhancedMemoryManager manager;
    private final SnapshotStore store;

    private RunningManager(Injector injector) {
        this.store = injector.getInstance(SnapshotStore.class);
        this.manager = injector.getInstance(EnhancedMemoryManager.class);
    }

    /**
     * @param config the {@code memory:} section
     * @return the manager, its store started
     */
    static RunningManager start(MemoryConfig config) {
        RunningManager running = new RunningManager(Guice.createInjector(new MemorySnapshotModule(config)));
        running.store.start();
        return running;
    }

    EnhancedMemoryManager manager() {
        return manager;
    }

    SnapshotStore store() {
        return store;
    }

    /**
     * Bounded polling of the manager's counters, for background saves to settle.
     *
     * @param condition what to wait for
     * @param timeout   how long at most
     * @return the counters that met it
     * @throws AssertionError when they do not within the timeout
     */
    ManagerStats awaitStats(Predicate<ManagerStats> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ManagerStats stats = manager.stats();
        while (!condition.test(stats)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("background saves did not settle in " + timeout + ": " + stats);
            }
            Thread.sleep(5);
            stats = manager.stats();
        }
        return stats;
    }

    /** Finishes queued automatic saves, then stops the store. */
    @Override
    public void close() {
        if (manager instanceof Lifecycle lifecycle) {
            lifecycle.stop();
        }
        store.stop();
    }
}
