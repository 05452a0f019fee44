package dev.memsnap.core;

import com.google.inject.TypeLiteral;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Lifecycle;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.manager.ManagerModule;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one place memsnap's parts are started and stopped: the store, then services (the set under {@link #SERVICES},
 * plugins' servers among them), then event listeners, then the managers; stopped in reverse, so queued automatic saves
 * drain into a store that is still open and events still reach listeners. {@link Memsnap} uses it; a host that builds
 * its own injector with {@link MemorySnapshotModule} uses it too:
 * <pre>
 * Injector injector = Guice.createInjector(new MemorySnapshotModule(MemoryConfig.defaults()));
 * MemsnapLifecycle lifecycle = injector.getInstance(MemsnapLifecycle.class).start();
 * ...
 * lifecycle.stop(); // or close(): waits for queued automatic saves, then closes the store
 * </pre>
 * Without {@link #start()} memsnap still works (the store creates its directory on first save, the saver thread starts
 * on the first automatic snapshot), but only {@link #stop()} waits for queued automatic saves.
 */
@Singleton
public final class MemsnapLifecycle implements AutoCloseable {
    /** The name of the set of services, {@code Multibinder.newSetBinder(binder(), Lifecycle.class, SERVICES)}. */
    public static final Named SERVICES = Names.named("memsnap.services");
    static final TypeLiteral<Set<Lifecycle>> SERVICES_TYPE = new TypeLiteral<>() { };
    private static final Logger log = LoggerFactory.getLogger(MemsnapLifecycle.class);

    private final List<Lifecycle> parts;
    private final List<Lifecycle> started = new ArrayList<>();
    private boolean everStarted;

    @Inject
    MemsnapLifecycle(SnapshotStore store, @com.google.inject.name.Named("memsnap.services") Set<Lifecycle> services,
                     Set<SnapshotEventListener> listeners,
                     @com.google.inject.name.Named(ManagerModule.CORE_MANAGER_NAME) EnhancedMemoryManager core,
                     EnhancedMemoryManager manager, dev.memsnap.api.MemoryManagers memories) {
        Set<Lifecycle> ordered = new LinkedHashSet<>();
        ordered.add(store);
        ordered.addAll(services);
        ordered.addAll(listeners);
        addIfLifecycle(ordered, core);
        addIfLifecycle(ordered, manager);
        addIfLifecycle(ordered, memories); // last started, first stopped: queued saves drain into an open store
        this.parts = List.copyOf(ordered);
    }

    private static void addIfLifecycle(Set<Lifecycle> parts, Object candidate) {
        if (candidate instanceof Lifecycle lifecycle) {
            parts.add(lifecycle);
        }
    }

    /**
     * Starts every part not yet started, in order; when one fails, stops those already started and rethrows.
     *
     * @return this
     */
    public synchronized MemsnapLifecycle start() {
        everStarted = true;
        for (Lifecycle part : parts) {
            if (started.contains(part)) {
                continue;
            }
            try {
                part.start();
            } catch (RuntimeException e) {
                stop();
                throw e;
            }
            started.add(part);
        }
        return this;
    }

    /**
     * Stops every started part in reverse order; a part that fails to stop is logged and the rest still stop. When
     * {@link #start()} was never called, stops every part (each part's {@code stop()} is safe without a start), so
     * that queued automatic saves are still waited for.
     */
    public synchronized void stop() {
        List<Lifecycle> toStop = started.isEmpty() && !everStarted ? parts : started;
        everStarted = true;
        for (int i = toStop.size() - 1; i >= 0; i--) {
            Lifecycle part = toStop.get(i);
            try {
                part.stop();
            } catch (RuntimeException e) {
                log.warn("Could not stop {}", part, e);
            }
        }
        started.clear();
    }

    /** @return whether any part is started */
    public synchronized boolean isRunning() {
        return !started.isEmpty();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}
