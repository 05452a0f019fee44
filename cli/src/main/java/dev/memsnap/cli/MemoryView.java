package dev.memsnap.cli;

import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A store as one memory id sees it: listing, reading, verifying and copying show only that memory's snapshots, so
 * that core's tooling ({@code SnapshotTools}, the pruner) works on one memory without knowing about memory ids. Saves
 * go to the store as they are: a snapshot carries its own memory id.
 *
 * <p>{@link #storedIds()} must include the memory's damaged snapshots, which no listing shows (a snapshot that
 * cannot be read cannot say which memory it is of); {@code damaged} supplies the ids stored in the memory's own place
 * when the store has one (a directory of a file or incremental store), see {@link StoreHandle#memory(String)}.
 */
final class MemoryView implements SnapshotStore {
    private final SnapshotStore store;
    private final String memoryId;
    private final Supplier<List<String>> placeIds;

    /**
     * @param store    the whole store
     * @param memoryId a valid memory id
     * @param placeIds every id stored in the memory's own place, damaged ones included; {@code null} when the store
     *                 keeps no such place (then only listed snapshots count)
     */
    MemoryView(SnapshotStore store, String memoryId, Supplier<List<String>> placeIds) {
        this.store = store;
        this.memoryId = MemoryManagers.requireValidMemoryId(memoryId);
        this.placeIds = placeIds;
    }

    /** @return the memory id this view shows */
    String memoryId() {
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

    @Override
    public List<String> storedIds() {
        Set<String> ids = new LinkedHashSet<>();
        list().forEach(m -> ids.add(m.snapshotId()));
        if (placeIds != null) {
            ids.addAll(placeIds.get());
        }
        return List.copyOf(ids);
    }

    @Override
    public boolean delete(String snapshotId) {
        return store.delete(snapshotId);
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
    public List<SnapshotMetadata> list(String otherMemoryId) {
        return otherMemoryId.equals(memoryId) ? list() : List.of();
    }

    @Override
    public Optional<MemorySnapshot> read(String otherMemoryId, String snapshotId) {
        return otherMemoryId.equals(memoryId) ? read(snapshotId) : Optional.empty();
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
    public String toString() {
        return store + " (memory " + Text.line(memoryId) + ")";
    }
}
