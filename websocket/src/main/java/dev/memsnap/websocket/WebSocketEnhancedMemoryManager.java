package dev.memsnap.websocket;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.Turn;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEvent.Action;
import dev.memsnap.api.event.SnapshotEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decorates any {@link EnhancedMemoryManager}: every call is delegated, and after a create, save, load, apply or list
 * succeeds, a {@link SnapshotEvent} is handed to the event backend (by default the WebSocket server, which sends it
 * to dashboards as the seed's {@code memory_snapshot} event).
 *
 * <p>What is emitted:
 * <ul>
 *   <li>a create, save, load or list that returns emits one event; one that throws emits nothing;</li>
 *   <li>an apply that returns emits one event with {@code success} true or false ({@code false}: no such snapshot,
 *       and then no metadata); one that throws (an invalid id, a memory that could not be restored) emits
 *       nothing;</li>
 *   <li>automatic snapshots happen inside the delegate, where a decorator cannot see them; with core's manager,
 *       {@link WebSocketModule} forwards their events to the same backend, so each event is sent once.</li>
 * </ul>
 * An event's metadata is looked up with {@link #getSnapshot}; should that fail, the event carries no metadata. A
 * backend that throws is logged and never fails the operation, which has already happened.
 *
 * <p>Thread-safe when the delegate is. Holds no resources: the backend's lifecycle belongs to whoever made it.
 */
public final class WebSocketEnhancedMemoryManager implements EnhancedMemoryManager {
    private static final Logger log = LoggerFactory.getLogger(WebSocketEnhancedMemoryManager.class);

    private final EnhancedMemoryManager delegate;
    private final SnapshotEventListener backend;

    /**
     * @param delegate the manager that does the work
     * @param backend  where events go
     */
    public WebSocketEnhancedMemoryManager(EnhancedMemoryManager delegate, SnapshotEventListener backend) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.backend = Objects.requireNonNull(backend, "backend");
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
        emit(Action.CREATE, snapshotId, metadataOf(snapshotId), null, null, null);
        return snapshotId;
    }

    @Override
    public URI saveSnapshot(String snapshotId) {
        URI location = delegate.saveSnapshot(snapshotId);
        emit(Action.SAVE, snapshotId, metadataOf(snapshotId), location, null, null);
        return location;
    }

    @Override
    public String loadSnapshot(URI location) {
        String snapshotId = delegate.loadSnapshot(location);
        emit(Action.LOAD, snapshotId, metadataOf(snapshotId), location, null, null);
        return snapshotId;
    }

    @Override
    public String loadSnapshot(Path file) {
        String snapshotId = delegate.loadSnapshot(file);
        emit(Action.LOAD, snapshotId, metadataOf(snapshotId), file.toAbsolutePath().toUri(), null, null);
        return snapshotId;
    }

    @Override
    public boolean applySnapshot(String snapshotId) {
        boolean applied = delegate.applySnapshot(snapshotId);
        emit(Action.APPLY, snapshotId, applied ? metadataOf(snapshotId) : null, null, applied, null);
        return applied;
    }

    @Override
    public List<SnapshotMetadata> listSnapshots() {
        List<SnapshotMetadata> listing = delegate.listSnapshots();
        emit(Action.LIST, null, null, null, null, listing);
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

    private void emit(Action action, String snapshotId, SnapshotMetadata metadata, URI location, Boolean success,
                      List<SnapshotMetadata> listing) {
        try {
            backend.onEvent(new SnapshotEvent(action, snapshotId, metadata, location, success, false, listing,
                    Instant.now()));
        } catch (RuntimeException e) {
            log.warn("Event backend {} failed on {} {}; the operation itself succeeded", backend, action.wireName(),
                    snapshotId, e);
        }
    }
}
