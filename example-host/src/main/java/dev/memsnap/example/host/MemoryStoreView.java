package dev.memsnap.example.host;

import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;

import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The store as the console's current memory sees it, so that {@code /list}, {@code /label}, {@code /pin},
 * {@code /prune} and {@code /verify} (core's {@code SnapshotTools} over this view) touch only that memory's
 * snapshots. The default memory's {@link #storedIds()} also counts the stored ids no memory lists (damaged files
 * cannot say whose they are), so that {@code /verify} still reports them.
 */
final class MemoryStoreView implements SnapshotStore {
    private final SnapshotStore store;
    private final String memoryId;

    MemoryStoreView(SnapshotStore store, String memoryId) {
        this.store = store;
        this.memoryId = MemoryManagers.requireValidMemoryId(memoryId);
    }

    @Override
    public URI save(MemorySnapshot snapshot) {
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

    private Set<String> listedIds() {
        Set<String> ids = new LinkedHashSet<>();
        list().forEach(m -> ids.add(m.snapshotId()));
        return ids;
    }

    @Override
    public List<String> storedIds() {
        Set<String> ids = listedIds();
        if (memoryId.equals(MemoryManagers.DEFAULT)) {
            Set<String> others = new HashSet<>();
            for (String other : store.memoryIds()) {
                if (!other.equals(memoryId)) {
                    store.list(other).forEach(m -> others.add(m.snapshotId()));
                }
            }
            for (String id : store.storedIds()) {
                if (!others.contains(id)) {
                    ids.add(id);
                }
            }
        }
        return List.copyOf(ids);
    }

    @Override
    public boolean delete(String snapshotId) {
        return listedIds().contains(snapshotId) && store.delete(snapshotId);
    }

    @Override
    public Verification verify(String snapshotId) {
        return store.verify(snapshotId);
    }

    @Override
    public SnapshotTags tags(String snapshotId) {
        return listedIds().contains(snapshotId) ? store.tags(snapshotId) : SnapshotTags.NONE;
    }

    @Override
    public void setTags(String snapshotId, SnapshotTags tags) {
        if (!listedIds().contains(snapshotId)) {
            throw new SnapshotNotFoundException("no stored snapshot with id " + snapshotId + " in memory "
                    + memoryId);
        }
        store.setTags(snapshotId, tags);
    }

    @Override
    public String toString() {
        return store + " (memory " + memoryId + ")";
    }
}
