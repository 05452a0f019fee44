package dev.memsnap.websocket;

import dev.memsnap.api.ApplyOptions;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.Turn;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEvent.Action;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.event.SnapshotEventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Decorates any {@link EnhancedMemoryManager} so that its snapshot events reach an event backend (by default the
 * WebSocket server, which sends each to dashboards as the seed's {@code memory_snapshot} event). Every call is
 * delegated unchanged. Events take one path, whichever the delegate is:
 * <ul>
 *   <li>a delegate that is a {@link SnapshotEventSource} (core's manager is) produces the events itself, automatic
 *       snapshots included: the decorator subscribes the backend to it when it is made and emits nothing of its own,
 *       so each event arrives exactly once;</li>
 *   <li>any other manager (a host's own) cannot report its events, so the decorator makes them for the calls that
 *       pass through it: a create, save, load or list that returns emits one event, one that throws emits nothing;
 *       an apply that returns emits one with {@code success} true or false ({@code false}: no such snapshot, and
 *       then no metadata). Automatic snapshots taken inside such a manager are its own to publish.</li>
 * </ul>
 * A made event's metadata is looked up with {@link #getSnapshot}; should that fail, the event carries no metadata. A
 * backend that throws is logged and never fails the operation, which has already happened.
 *
 * <p>The subscription lasts as long as this decorator is reachable, which in memsnap is as long as the manager it
 * wraps (the two hold each other): core keeps the managers of memory ids other than the default one only while they
 * are used, and wraps a manager it makes again in a new decorator, whose own subscription then takes over, so that no
 * event reaches the backend twice.
 *
 * <p>The decorator is itself a {@link SnapshotEventSource}, so that wrapping a manager never hides its events from a
 * decorator applied after it: {@link #subscribe} reaches the delegate's events, or the ones this decorator makes.
 *
 * <p>Thread-safe when the delegate is. Holds no resources: the backend's lifecycle belongs to whoever made it (the
 * runtime, for {@link WebSocketPlugin}'s server).
 */
public final class WebSocketEnhancedMemoryManager implements EnhancedMemoryManager, SnapshotEventSource {
    private static final Logger log = LoggerFactory.getLogger(WebSocketEnhancedMemoryManager.class);

    private final EnhancedMemoryManager delegate;
    private final SnapshotEventListener backend;
    /** The delegate as an event source, or {@code null} when this decorator makes the events. */
    private final SnapshotEventSource source;
    /** Who else receives the events this decorator makes; unused when the delegate is a source. */
    private final List<SnapshotEventListener> subscribers = new CopyOnWriteArrayList<>();

    /**
     * @param delegate the manager that does the work; when it is a {@link SnapshotEventSource}, {@code backend} is
     *                 subscribed to it now
     * @param backend  where events go
     */
    public WebSocketEnhancedMemoryManager(EnhancedMemoryManager delegate, SnapshotEventListener backend) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.backend = Objects.requireNonNull(backend, "backend");
        if (delegate instanceof SnapshotEventSource events) {
            this.source = events;
            Forwarder forwarder = new Forwarder(this, backend);
            forwarder.subscription = events.subscribe(forwarder);
        } else {
            this.source = null;
            subscribers.add(backend);
        }
    }

    /** @return whether events come from the delegate (a {@link SnapshotEventSource}) rather than from this decorator */
    public boolean subscribed() {
        return source != null;
    }

    /** @return where events go */
    SnapshotEventListener backend() {
        return backend;
    }

    @Override
    public AutoCloseable subscribe(SnapshotEventListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (source != null) {
            return source.subscribe(listener);
        }
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    /** @return the decorated manager */
    public EnhancedMemoryManager delegate() {
        return delegate;
    }

    @Override
    public void addTurn(String role, String content) {
        delegate.addTurn(role, content);
    }

    @Override
    public void addTurn(Turn turn) {
        delegate.addTurn(turn);
    }

    @Override
    public String addMemory(String content, String sourceType, double importance, List<String> topics) {
        return delegate.addMemory(content, sourceType, importance, topics);
    }

    @Override
    public void putMemories(Map<String, Memory> memories) {
        delegate.putMemories(memories);
    }

    @Override
    public void putMemory(String key, Memory memory) {
        delegate.putMemory(key, memory);
    }

    @Override
    public int removeMemories(Collection<String> keys) {
        return delegate.removeMemories(keys);
    }

    @Override
    public List<Turn> turns() {
        return delegate.turns();
    }

    @Override
    public Map<String, Memory> memories() {
        return delegate.memories();
    }

    @Override
    public String createSnapshot() {
        String snapshotId = delegate.createSnapshot();
        emit(Action.CREATE, snapshotId, true, null, null, null);
        return snapshotId;
    }

    @Override
    public URI saveSnapshot(String snapshotId) {
        URI location = delegate.saveSnapshot(snapshotId);
        emit(Action.SAVE, snapshotId, true, location, null, null);
        return location;
    }

    @Override
    public String loadSnapshot(URI location) {
        String snapshotId = delegate.loadSnapshot(location);
        emit(Action.LOAD, snapshotId, true, location, null, null);
        return snapshotId;
    }

    @Override
    public String loadSnapshot(Path file) {
        String snapshotId = delegate.loadSnapshot(file);
        emit(Action.LOAD, snapshotId, true, file.toAbsolutePath().toUri(), null, null);
        return snapshotId;
    }

    @Override
    public boolean applySnapshot(String snapshotId) {
        boolean applied = delegate.applySnapshot(snapshotId);
        emit(Action.APPLY, snapshotId, applied, null, applied, null);
        return applied;
    }

    @Override
    public boolean applySnapshot(String snapshotId, ApplyOptions options) {
        boolean applied = delegate.applySnapshot(snapshotId, options);
        emit(Action.APPLY, snapshotId, applied, null, applied, null);
        return applied;
    }

    /** Delegated; around a manager that reports no events, the decorator cannot tell which snapshot it returned to,
     *  so it makes no event for an undo (core's manager publishes its own). */
    @Override
    public boolean undoApply() {
        return delegate.undoApply();
    }

    @Override
    public List<SnapshotMetadata> history(String snapshotId) {
        return delegate.history(snapshotId);
    }

    @Override
    public String memoryId() {
        return delegate.memoryId();
    }

    @Override
    public List<SnapshotMetadata> listSnapshots() {
        List<SnapshotMetadata> listing = delegate.listSnapshots();
        emit(Action.LIST, null, false, null, null, listing);
        return listing;
    }

    @Override
    public Optional<MemorySnapshot> getSnapshot(String snapshotId) {
        return delegate.getSnapshot(snapshotId);
    }

    @Override
    public void enableAutoSnapshot(int interval) {
        delegate.enableAutoSnapshot(interval);
    }

    @Override
    public void disableAutoSnapshot() {
        delegate.disableAutoSnapshot();
    }

    @Override
    public ManagerStats stats() {
        return delegate.stats();
    }

    @Override
    public String toString() {
        return "WebSocketEnhancedMemoryManager[" + delegate + " -> " + backend + "]";
    }

    /** The operation has succeeded by now; nothing about its event may turn that into a failure. */
    private SnapshotMetadata metadataOf(String snapshotId) {
        try {
            return delegate.getSnapshot(snapshotId).map(MemorySnapshot::metadata).orElse(null);
        } catch (RuntimeException e) {
            log.warn("Could not look up snapshot {} for its event; the event carries no metadata", snapshotId, e);
            return null;
        }
    }

    /**
     * Hands the delegate's events to the backend while the decorator that subscribed it is reachable; once that
     * decorator is gone (its manager was dropped and may be made again, with a decorator of its own), it ends its
     * subscription at the next event instead of delivering it a second time.
     */
    private static final class Forwarder implements SnapshotEventListener {
        private final WeakReference<WebSocketEnhancedMemoryManager> owner;
        private final SnapshotEventListener backend;
        volatile AutoCloseable subscription;

        Forwarder(WebSocketEnhancedMemoryManager owner, SnapshotEventListener backend) {
            this.owner = new WeakReference<>(owner);
            this.backend = backend;
        }

        @Override
        public void onEvent(SnapshotEvent event) {
            if (owner.get() != null) {
                backend.onEvent(event);
                return;
            }
            AutoCloseable ending = subscription;
            subscription = null;
            if (ending != null) {
                try {
                    ending.close();
                } catch (Exception e) {
                    log.debug("Could not end the subscription of {}", backend, e);
                }
            }
        }

        @Override
        public String toString() {
            return backend.toString();
        }
    }

    /** Makes the event of a call that returned, unless the delegate has published it already. */
    private void emit(Action action, String snapshotId, boolean withMetadata, URI location, Boolean success,
                      List<SnapshotMetadata> listing) {
        if (source != null) {
            return; // the delegate has published this event, to the backend among others
        }
        SnapshotMetadata metadata = withMetadata ? metadataOf(snapshotId) : null;
        SnapshotEvent event = new SnapshotEvent(action, snapshotId, metadata, location, success, false, listing,
                Instant.now(), delegate.memoryId());
        for (SnapshotEventListener listener : subscribers) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("Event backend {} failed on {} {}; the operation itself succeeded", listener,
                        action.wireName(), snapshotId, e);
            }
        }
    }
}
