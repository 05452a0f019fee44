package dev.memsnap.core.manager;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Lifecycle;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.Turn;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.memory.LongTermMemory;
import dev.memsnap.api.memory.ShortTermMemory;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.format.Timestamps;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The facade. Every change to live memory, and every capture of it, happens under one lock, so a snapshot is one
 * instant of both memories and an apply is never seen half done. Snapshot work that needs no live state (saving,
 * loading, listing) runs outside the lock.
 */
final class DefaultEnhancedMemoryManager implements EnhancedMemoryManager, Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(DefaultEnhancedMemoryManager.class);

    private final Object stateLock = new Object();
    private final ShortTermMemory shortTerm;
    private final LongTermMemory longTerm;
    private final MemorySnapshotManager snapshots;
    private final EventPublisher events;
    private final AutoSnapshots auto;
    private final Clock clock;

    @Inject
    DefaultEnhancedMemoryManager(MemoryConfig config, ShortTermMemory shortTerm, LongTermMemory longTerm,
                                 MemorySnapshotManager snapshots, EventPublisher events, Clock clock) {
        this.shortTerm = shortTerm;
        this.longTerm = longTerm;
        this.snapshots = snapshots;
        this.events = events;
        this.clock = clock;
        Consumer<String> afterAutomaticSave = config.pruneAfterAutoSnapshot() && !config.retention().keepsAll()
                ? savedId -> snapshots.prune(config.retention(), savedId)
                : savedId -> { };
        this.auto = new AutoSnapshots(config.autoSnapshot(), config.snapshotInterval(), snapshots, events,
                afterAutomaticSave);
    }

    @Override
    public void stop() {
        auto.stop();
    }

    @Override
    public void addTurn(String role, String content) {
        Turn turn = new Turn(role, content);
        MemorySnapshot automatic = null;
        synchronized (stateLock) {
            shortTerm.add(turn);
            if (auto.turnAdded()) {
                try {
                    automatic = captureLocked();
                } catch (RuntimeException e) {
                    auto.captureFailed(e);
                }
            }
        }
        if (automatic != null) {
            events.publish(SnapshotEvent.created(automatic.metadata(), true));
            auto.saveInBackground(automatic);
        }
    }

    @Override
    public String addMemory(String content, String sourceType, double importance, List<String> topics) {
        Objects.requireNonNull(topics, "topics");
        Memory memory = Memory.of(content, Timestamps.now(clock), importance, sourceType, topics);
        synchronized (stateLock) {
            return longTerm.add(memory);
        }
    }

    @Override
    public List<Turn> turns() {
        synchronized (stateLock) {
            return shortTerm.turns();
        }
    }

    @Override
    public Map<String, Memory> memories() {
        synchronized (stateLock) {
            return longTerm.memories();
        }
    }

    @Override
    public String createSnapshot() {
        MemorySnapshot snapshot;
        synchronized (stateLock) {
            snapshot = captureLocked();
        }
        auto.counted();
        events.publish(SnapshotEvent.created(snapshot.metadata(), false));
        return snapshot.snapshotId();
    }

    private MemorySnapshot captureLocked() {
        return snapshots.create(shortTerm.turns(), shortTerm.sessionStart(), longTerm.memories(),
                shortTerm.lastToolUsed());
    }

    @Override
    public URI saveSnapshot(String snapshotId) {
        MemorySnapshot snapshot = snapshots.get(snapshotId).orElseThrow(
                () -> new SnapshotNotFoundException("no snapshot with id " + snapshotId));
        URI location = snapshots.save(snapshot);
        events.publish(SnapshotEvent.saved(snapshot.metadata(), location, false));
        return location;
    }

    @Override
    public String loadSnapshot(URI location) {
        MemorySnapshot snapshot = snapshots.load(location);
        events.publish(SnapshotEvent.loaded(snapshot.metadata(), location));
        return snapshot.snapshotId();
    }

    @Override
    public String loadSnapshot(Path file) {
        MemorySnapshot snapshot = snapshots.load(file);
        events.publish(SnapshotEvent.loaded(snapshot.metadata(), file.toUri()));
        return snapshot.snapshotId();
    }

    @Override
    public boolean applySnapshot(String snapshotId) {
        Optional<MemorySnapshot> found = snapshots.get(snapshotId);
        if (found.isEmpty()) {
            events.publish(SnapshotEvent.applied(snapshotId, null));
            return false;
        }
        MemorySnapshot snapshot = found.get();
        synchronized (stateLock) {
            List<Turn> previousTurns = shortTerm.turns();
            LocalDateTime previousStart = shortTerm.sessionStart();
            Map<String, Memory> previousMemories = longTerm.memories();
            try {
                shortTerm.restore(snapshot.shortTerm().turns(), snapshot.shortTerm().sessionStart());
                longTerm.restore(snapshot.longTerm().memories());
            } catch (RuntimeException e) {
                try {
                    shortTerm.restore(previousTurns, previousStart);
                    longTerm.restore(previousMemories);
                } catch (RuntimeException rollback) {
                    e.addSuppressed(rollback);
                    log.error("Could not roll back a failed apply of {}; memory may be inconsistent", snapshotId, e);
                }
                throw new SnapshotException("could not apply snapshot " + snapshotId
                        + "; memory was left as it was: " + e.getMessage(), e);
            }
        }
        events.publish(SnapshotEvent.applied(snapshotId, snapshot.metadata()));
        return true;
    }

    @Override
    public List<SnapshotMetadata> listSnapshots() {
        List<SnapshotMetadata> listing = snapshots.list();
        events.publish(SnapshotEvent.listed(listing));
        return listing;
    }

    @Override
    public Optional<MemorySnapshot> getSnapshot(String snapshotId) {
        return snapshots.get(snapshotId);
    }

    @Override
    public void enableAutoSnapshot(int interval) {
        synchronized (stateLock) {
            auto.enable(interval);
        }
    }

    @Override
    public void disableAutoSnapshot() {
        synchronized (stateLock) {
            auto.disable();
        }
    }

    @Override
    public ManagerStats stats() {
        synchronized (stateLock) {
            return auto.stats();
        }
    }
}
