package dev.memsnap.core.manager;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.format.Limits;
import dev.memsnap.core.format.SnapshotIds;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.Snapshots;
import dev.memsnap.core.format.Timestamps;
import dev.memsnap.core.prune.Pruner;
import dev.memsnap.core.prune.RetentionPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Owns one memory's snapshots (the seed's {@code MemorySnapshotManager}): those held in memory, created or loaded,
 * and those in the store under this memory id. Knows nothing of live memory; the facade captures and restores that.
 */
final class MemorySnapshotManager {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MemorySnapshotManager.class);
    /** Ids are unique across memories: one generator for all. */
    private static final SnapshotIds IDS = new SnapshotIds();

    private final ConcurrentMap<String, MemorySnapshot> held = new ConcurrentHashMap<>();
    private final String memoryId;
    private final SnapshotStore store;
    private final SnapshotCodec codec;
    private final Clock clock;
    private final Totals totals;
    /** How often retention after automatic snapshots collects garbage, at most. */
    static final java.time.Duration COLLECT_EVERY = java.time.Duration.ofMinutes(10);
    /** When it last did ({@link System#nanoTime}), or 0. */
    private volatile long lastCollection;

    MemorySnapshotManager(String memoryId, SnapshotStore store, SnapshotCodec codec, Clock clock, Totals totals) {
        this.memoryId = memoryId;
        this.totals = totals;
        this.store = store;
        this.codec = codec;
        this.clock = clock;
    }

    /** Builds and holds a snapshot of state captured at {@code now} (perhaps a while ago: a pending snapshot). */
    MemorySnapshot create(LocalDateTime now, List<Turn> turns, LocalDateTime sessionStart,
                          Map<String, Memory> memories, String lastToolUsed, String parent) {
        String id = IDS.next(now, held::containsKey);
        MemorySnapshot snapshot = Snapshots.of(id, now, turns, sessionStart, memories, lastToolUsed)
                .withLineage(memoryId, parent);
        held.put(id, snapshot);
        return snapshot;
    }

    /** Holds a snapshot made elsewhere (a copy from another memory, say). */
    void hold(MemorySnapshot snapshot) {
        held.put(snapshot.snapshotId(), snapshot);
    }

    /** Every save of this memory's snapshots goes through here, and is timed into the host's totals. */
    URI save(MemorySnapshot snapshot) {
        long start = System.nanoTime();
        URI location = store.save(snapshot);
        totals.saved(System.nanoTime() - start);
        return location;
    }

    MemorySnapshot load(Path file) {
        MemorySnapshot snapshot;
        try (InputStream in = Limits.openRegularFile(file, SnapshotJson.MAX_DOCUMENT_BYTES, file.toString())) {
            snapshot = codec.read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new SnapshotNotFoundException("no snapshot file " + file);
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
        held.put(snapshot.snapshotId(), snapshot);
        return snapshot;
    }

    MemorySnapshot load(URI location) {
        MemorySnapshot snapshot;
        try {
            // a location the store gave: it knows its own layout (the incremental store's is a manifest)
            snapshot = store.read(location);
        } catch (SnapshotNotFoundException | IllegalArgumentException notTheStores) {
            if (!"file".equals(location.getScheme())) {
                throw notTheStores instanceof SnapshotNotFoundException e ? e
                        : new SnapshotNotFoundException("no snapshot at " + location);
            }
            Path file;
            try {
                file = Path.of(location);
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                throw new SnapshotNotFoundException("not a file location: " + location + " (" + e.getMessage() + ")");
            }
            return load(file); // any snapshot file, wherever it is
        }
        held.put(snapshot.snapshotId(), snapshot);
        return snapshot;
    }

    /** A snapshot of this memory, held or stored. */
    Optional<MemorySnapshot> get(String snapshotId) {
        SnapshotIds.requireValid(snapshotId);
        MemorySnapshot snapshot = held.get(snapshotId);
        return snapshot != null ? Optional.of(snapshot) : store.read(memoryId, snapshotId);
    }

    /** A stored snapshot of any memory: what a deliberate copy between memories reads. */
    Optional<MemorySnapshot> getStoredInAnyMemory(String snapshotId) {
        SnapshotIds.requireValid(snapshotId);
        return store.read(snapshotId);
    }

    /** @return whether a snapshot is held in memory only, not (yet) stored */
    boolean isHeld(String snapshotId) {
        return held.containsKey(snapshotId);
    }

    /** Drops a snapshot from memory once the store has it, so that automatic snapshots do not pile up in the heap. */
    void release(String snapshotId) {
        held.remove(snapshotId);
    }

    /**
     * Applies a retention policy to this memory's stored snapshots; those held in memory are not touched, nor is
     * {@code justSaved}.
     */
    void prune(RetentionPolicy policy, String justSaved) {
        var pruned = Pruner.prune(new dev.memsnap.core.store.OneMemoryStore(store, memoryId), policy, false, clock,
                Set.of(justSaved));
        if (!pruned.remove().isEmpty()) {
            collectGarbageNowAndThen();
        }
    }

    /**
     * After retention deleted something: frees what the deleted snapshots alone held, in stores whose snapshots share
     * pieces (the incremental store's chunks), at most once per {@link #COLLECT_EVERY}, since a collection reads
     * every manifest of the memory. A failure is logged: nothing is lost, the next collection frees it.
     */
    private void collectGarbageNowAndThen() {
        long now = System.nanoTime();
        long last = lastCollection;
        if (last != 0 && now - last < COLLECT_EVERY.toNanos()) {
            return;
        }
        lastCollection = now;
        try {
            var collected = store.collectGarbage(memoryId, false);
            if (collected.pieces() > 0) {
                log.debug("Collected {} unreferenced pieces ({} bytes) of memory {}", collected.pieces(),
                        collected.bytes(), memoryId);
            }
        } catch (RuntimeException e) {
            log.warn("Garbage collection after pruning memory {} failed; nothing was lost, the next one frees it",
                    memoryId, e);
        }
    }

    List<SnapshotMetadata> list() {
        // Held first, then the store: an automatic snapshot is stored before it is released from the heap, so one
        // that moves between the two while we look is seen in one or the other, never in neither.
        List<MemorySnapshot> heldNow = List.copyOf(held.values());
        List<SnapshotMetadata> stored = store.list(memoryId);
        if (heldNow.isEmpty() && isNewestFirst(stored)) {
            return List.copyOf(stored); // the store's listing as it is: no merge, no sort (10,000 snapshots, issue #17)
        }
        Map<String, SnapshotMetadata> all = new LinkedHashMap<>();
        for (MemorySnapshot snapshot : heldNow) {
            all.put(snapshot.snapshotId(), snapshot.metadata());
        }
        for (SnapshotMetadata m : stored) {
            all.putIfAbsent(m.snapshotId(), m);
        }
        List<SnapshotMetadata> sorted = new ArrayList<>(all.values());
        sorted.sort(SnapshotMetadata.NEWEST_FIRST);
        return List.copyOf(sorted);
    }

    /** Stores list newest first; a plugin's that does not is sorted here all the same. */
    private static boolean isNewestFirst(List<SnapshotMetadata> listing) {
        for (int i = 1; i < listing.size(); i++) {
            if (SnapshotMetadata.NEWEST_FIRST.compare(listing.get(i - 1), listing.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }
}
