package dev.memsnap.core.store;

import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.store.GarbageCollection;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A store as one memory sees it: reading, listing, pruning, labelling and deleting touch only that memory's
 * snapshots, so that tooling written for a whole store ({@code SnapshotTools}, the pruner) works on one memory without
 * knowing about memory ids. The one such view: the manager's per-memory pruning, the command line's {@code --memory}
 * and the example host's {@code /memory} all use it. Saves go to the store as they are: a snapshot carries its own
 * memory id.
 */
public final class OneMemoryStore implements SnapshotStore {
    private final SnapshotStore store;
    private final String memoryId;

    /**
     * @param store    the whole store
     * @param memoryId a valid memory id
     * @throws dev.memsnap.api.InvalidMemoryIdException when it is not one
     */
    public OneMemoryStore(SnapshotStore store, String memoryId) {
        this.store = store;
        this.memoryId = MemoryManagers.requireValidMemoryId(memoryId);
    }

    /** @return the memory id this view shows */
    public String memoryId() {
        return memoryId;
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

    /** This memory's stored ids, its damaged snapshots included where the store can tell whose they are. */
    @Override
    public List<String> storedIds() {
        return store.storedIds(memoryId);
    }

    private void requireHeld(String snapshotId) {
        if (!holds(snapshotId)) {
            throw new SnapshotNotFoundException("no stored snapshot with id " + snapshotId + " in memory " + memoryId);
        }
    }

    private boolean holds(String snapshotId) {
        return storedIds().contains(snapshotId);
    }

    @Override
    public boolean delete(String snapshotId) {
        return holds(snapshotId) && store.delete(snapshotId);
    }

    @Override
    public boolean deleteIfTagsAre(String snapshotId, SnapshotTags expected) {
        return holds(snapshotId) && store.deleteIfTagsAre(snapshotId, expected);
    }

    /**
     * Collects where this memory's pieces are kept (its directory, in core's file stores), or in the whole store
     * where pieces are shared: a piece no snapshot names belongs to no memory, so removing it loses none of
     * another memory's snapshots.
     */
    @Override
    public GarbageCollection collectGarbage(boolean dryRun) {
        return store.collectGarbage(memoryId, dryRun);
    }

    @Override
    public GarbageCollection collectGarbage(String memoryId, boolean dryRun) {
        return store.collectGarbage(memoryId, dryRun);
    }

    @Override
    public Verification verify(String snapshotId) {
        return store.verify(snapshotId);
    }

    @Override
    public SnapshotTags tags(String snapshotId) {
        return holds(snapshotId) ? store.tags(snapshotId) : SnapshotTags.NONE;
    }

    @Override
    public void setTags(String snapshotId, SnapshotTags tags) {
        requireHeld(snapshotId);
        store.setTags(snapshotId, tags);
    }

    @Override
    public boolean compareAndSetTags(String snapshotId, SnapshotTags expected, SnapshotTags tags) {
        requireHeld(snapshotId);
        return store.compareAndSetTags(snapshotId, expected, tags);
    }

    @Override
    public List<SnapshotMetadata> list(String otherMemoryId) {
        return otherMemoryId.equals(memoryId) ? list() : List.of();
    }

    @Override
    public Optional<MemorySnapshot> read(String otherMemoryId, String snapshotId) {
        return otherMemoryId.equals(memoryId) ? read(snapshotId) : Optional.empty();
    }

    @Override
    public List<String> storedIds(String otherMemoryId) {
        return otherMemoryId.equals(memoryId) ? storedIds() : List.of();
    }

    @Override
    public List<String> memoryIds() {
        return list().isEmpty() ? List.of() : List.of(memoryId);
    }

    @Override
    public List<StoredSnapshot> inventory(String otherMemoryId) {
        return otherMemoryId.equals(memoryId) ? inventory() : List.of();
    }

    @Override
    public int deleteMemory(String otherMemoryId) {
        return otherMemoryId.equals(memoryId) ? store.deleteMemory(memoryId) : 0;
    }

    @Override
    public int shredMemory(String otherMemoryId) {
        if (!otherMemoryId.equals(memoryId)) {
            throw new dev.memsnap.api.SnapshotStoreException(this + " holds memory " + memoryId + " only: it "
                    + "cannot shred another's");
        }
        return store.shredMemory(memoryId);
    }

    @Override
    public String toString() {
        return store + " (memory " + memoryId + ")";
    }
}
