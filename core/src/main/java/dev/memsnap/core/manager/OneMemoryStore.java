package dev.memsnap.core.manager;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** A store as one memory sees it: its listings show only that memory's snapshots, so pruning touches no other. */
final class OneMemoryStore implements SnapshotStore {
    private final String memoryId;
    private final SnapshotStore store;

    OneMemoryStore(String memoryId, SnapshotStore store) {
        this.memoryId = memoryId;
        this.store = store;
    }

    @Override
    public URI save(MemorySnapshot snapshot) {
        if (!snapshot.memoryId().equals(memoryId)) {
            throw new IllegalArgumentException("snapshot of memory " + snapshot.memoryId() + " saved through "
                    + memoryId);
        }
        return store.save(snapshot);
    }

    @Override
    public Optional<MemorySnapshot> read(String snapshotId) {
        return store.read(memoryId, snapshotId);
    }

    @Override
    public MemorySnapshot read(URI location) {
        return store.read(location);
    }

    @Override
    public List<SnapshotMetadata> list() {
        return store.list(memoryId);
    }

    @Override
    public List<StoredSnapshot> inventory() {
        return store.inventory(memoryId);
    }

    @Override
    public List<String> storedIds() {
        return list().stream().map(SnapshotMetadata::snapshotId).toList();
    }

    @Override
    public boolean delete(String snapshotId) {
        return storedIds().contains(snapshotId) && store.delete(snapshotId);
    }

    @Override
    public Verification verify(String snapshotId) {
        return store.verify(snapshotId);
    }

    @Override
    public SnapshotTags tags(String snapshotId) {
        return store.tags(snapshotId);
    }

    @Override
    public void setTags(String snapshotId, SnapshotTags tags) {
        store.setTags(snapshotId, tags);
    }

    @Override
    public String toString() {
        return store + " (memory " + memoryId + ")";
    }
}
