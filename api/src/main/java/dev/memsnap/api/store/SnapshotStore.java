package dev.memsnap.api.store;

import dev.memsnap.api.Lifecycle;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where snapshots are kept: the storage backend. memsnap's default keeps one JSON file per snapshot in
 * {@code snapshot_dir}; a host replaces it with a Guice binding.
 *
 * <p>Every implementation must pass core's {@code SnapshotStoreContract} test, and must be safe for concurrent use.
 * Errors are {@link dev.memsnap.api.SnapshotException}s: {@link dev.memsnap.api.SnapshotStoreException} for I/O,
 * {@link dev.memsnap.api.SnapshotFormatException} for stored data that does not read back.
 */
public interface SnapshotStore extends Lifecycle {

    /**
     * Stores a snapshot atomically and durably: when this returns, the snapshot survives a crash. When it throws, a
     * snapshot of a new id is not stored, and one that replaced a stored id is there whole in its old or its new
     * version, never torn (after the atomic replacing rename, a failing directory fsync can undo the rename durably no
     * more than it can make it durable, so the store reports the save as unfinished and does not promise which
     * version a crash leaves); every other snapshot is untouched. Saving an id that is already stored replaces it.
     *
     * @param snapshot the snapshot
     * @return where it was stored; {@link #read(URI)} reads it back
     */
    URI save(MemorySnapshot snapshot);

    /**
     * @param snapshotId a valid snapshot id
     * @return the stored snapshot, or empty when none has this id
     */
    Optional<MemorySnapshot> read(String snapshotId);

    /**
     * @param location a location {@link #save} returned
     * @return the snapshot stored there
     * @throws dev.memsnap.api.SnapshotNotFoundException when nothing is there or the location is not this store's
     */
    MemorySnapshot read(URI location);

    /** @return every stored snapshot in brief, newest first; a damaged entry is left out and logged */
    List<SnapshotMetadata> list();

    /**
     * @param snapshotId a valid snapshot id
     * @return whether a snapshot was deleted
     */
    boolean delete(String snapshotId);

    /**
     * Every stored snapshot with its size and tags, newest first. Stores that keep sizes and tags override this;
     * the default lists with {@link #list()}, sizes unknown.
     *
     * @return the inventory
     */
    default List<StoredSnapshot> inventory() {
        return list().stream().map(m -> new StoredSnapshot(m, -1, tags(m.snapshotId()))).toList();
    }

    /**
     * The ids of everything stored, damaged snapshots included (which {@link #list()} leaves out), so that a check
     * can read each one and report the damaged.
     *
     * @return the ids, in no particular order
     */
    default List<String> storedIds() {
        return list().stream().map(SnapshotMetadata::snapshotId).toList();
    }

    /**
     * Reads a stored snapshot whole and checks everything that can be checked: its checksum, each layer of its
     * encoding, its content. Never throws for a damaged snapshot: that is the answer.
     *
     * @param snapshotId a stored snapshot's id
     * @return whether it is intact, and what was found
     */
    default Verification verify(String snapshotId) {
        try {
            return read(snapshotId)
                    .map(s -> new Verification(snapshotId, true, "ok"))
                    .orElseGet(() -> new Verification(snapshotId, false, "not found"));
        } catch (dev.memsnap.api.SnapshotException e) {
            return new Verification(snapshotId, false, e.getMessage());
        }
    }

    /**
     * @param snapshotId a stored snapshot's id
     * @return its labels and pin; {@link SnapshotTags#NONE} when it has none or the store cannot keep tags
     */
    default SnapshotTags tags(String snapshotId) {
        return SnapshotTags.NONE;
    }

    /**
     * Replaces a stored snapshot's labels and pin, atomically.
     *
     * @param snapshotId a stored snapshot's id
     * @param tags       the new tags
     * @throws dev.memsnap.api.SnapshotNotFoundException when no snapshot with that id is stored
     * @throws UnsupportedOperationException             when the store cannot keep tags
     */
    default void setTags(String snapshotId, SnapshotTags tags) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot label or pin snapshots");
    }

    /**
     * Replaces a snapshot's tags only if they are still those the caller read (compare-and-set), so that two
     * instances labelling or pinning one snapshot at once never lose each other's change: the one that finds the tags
     * changed reads them again and retries.
     *
     * <p>The default checks and then sets, which is atomic only within one instance and only when no other caller of
     * this store calls {@link #setTags} meanwhile; a store that instances share (memsnap's file, incremental and
     * PostgreSQL stores) overrides it to be atomic across instances and processes.
     *
     * @param snapshotId a stored snapshot's id
     * @param expected   the tags the caller read
     * @param tags       the new tags
     * @return {@code false}, changing nothing, when its tags are no longer {@code expected}
     * @throws dev.memsnap.api.SnapshotNotFoundException when no snapshot with that id is stored
     * @throws UnsupportedOperationException             when the store cannot keep tags
     */
    default boolean compareAndSetTags(String snapshotId, SnapshotTags expected, SnapshotTags tags) {
        if (!tags(snapshotId).equals(expected)) {
            return false;
        }
        setTags(snapshotId, tags);
        return true;
    }

    /**
     * Deletes a snapshot only if its tags are still those the caller read, so that pruning never deletes a snapshot
     * that another instance pinned after the prune listed it. Atomic across instances in the stores that override
     * it (as for {@link #compareAndSetTags}); the default checks and then deletes.
     *
     * @param snapshotId a valid snapshot id
     * @param expected   the tags the caller read
     * @return whether it was deleted: {@code false} when it is not stored or its tags are no longer {@code expected}
     */
    default boolean deleteIfTagsAre(String snapshotId, SnapshotTags expected) {
        if (!tags(snapshotId).equals(expected)) {
            return false;
        }
        return delete(snapshotId);
    }

    // ------------------------------------------------------------------------------------------ memory ids

    /**
     * One memory's snapshots. Stores that keep memories apart (core's file stores keep each memory in a directory
     * of its own; the PostgreSQL store has a column) override this to list one memory without reading the others.
     *
     * @param memoryId a memory id
     * @return that memory's stored snapshots in brief, newest first
     */
    default List<SnapshotMetadata> list(String memoryId) {
        return list().stream().filter(m -> m.memoryId().equals(memoryId)).toList();
    }

    /**
     * @param memoryId   the memory the snapshot must belong to
     * @param snapshotId a valid snapshot id
     * @return the stored snapshot, or empty when that memory has none with this id
     */
    default Optional<MemorySnapshot> read(String memoryId, String snapshotId) {
        return read(snapshotId).filter(s -> s.memoryId().equals(memoryId));
    }

    /**
     * The ids of one memory's stored snapshots, damaged ones included where the store can tell whose they are (core's
     * file stores can: a memory's snapshots lie in its own directory), so that a check reads each and reports the
     * damaged. The default: the ids {@link #list(String)} shows.
     *
     * @param memoryId a memory id
     * @return the ids, in no particular order
     */
    default List<String> storedIds(String memoryId) {
        return list(memoryId).stream().map(SnapshotMetadata::snapshotId).toList();
    }

    /** @return the memory ids that have stored snapshots, sorted */
    default List<String> memoryIds() {
        return list().stream().map(SnapshotMetadata::memoryId).distinct().sorted().toList();
    }

    /**
     * @param memoryId a memory id
     * @return that memory's stored snapshots with sizes and tags, newest first
     */
    default List<StoredSnapshot> inventory(String memoryId) {
        return inventory().stream().filter(s -> s.metadata().memoryId().equals(memoryId)).toList();
    }

    /**
     * Removes stored pieces that no snapshot names any more (after {@link #delete}, a store that shares pieces between
     * snapshots keeps them until this runs), or with {@code dryRun} only reports what it would remove. It never races
     * a save in progress, in this instance or another on the same storage: each store says how (a grace period, a
     * lock). {@code memsnap prune} runs it after deleting; {@code memsnap gc --dry-run} reports it. The default, for a
     * store that keeps each snapshot whole, removes nothing.
     *
     * @param dryRun whether to report only
     * @return what was (or would be) removed
     */
    default GarbageCollection collectGarbage(boolean dryRun) {
        return GarbageCollection.none(dryRun);
    }

    /**
     * As {@link #collectGarbage(boolean)}, but only where one memory's pieces are kept apart from the others' (core's
     * file stores keep a directory per memory id): what the retention after a memory's automatic snapshot runs, so
     * that it does not walk every memory's pieces. The default collects in the whole store.
     *
     * @param memoryId a valid memory id
     * @param dryRun   whether to report only
     * @return what was (or would be) removed
     */
    default GarbageCollection collectGarbage(String memoryId, boolean dryRun) {
        return collectGarbage(dryRun);
    }

    /**
     * Deletes every stored snapshot of one memory; the others' are untouched.
     *
     * @param memoryId a memory id
     * @return how many snapshots were deleted
     */
    default int deleteMemory(String memoryId) {
        int deleted = 0;
        for (SnapshotMetadata m : list(memoryId)) {
            if (delete(m.snapshotId())) {
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Crypto-shredding, for the right to erasure: destroys the key one memory's snapshots are encrypted under, then
     * deletes them, so that no copy of them anywhere (a backup of the snapshot files, a file copied away) can be read
     * again, while every other memory's snapshots still read. Only a store that encrypts each memory under a key of
     * its own can; the default refuses, deleting nothing.
     *
     * @param memoryId a memory id
     * @return how many snapshots were deleted
     * @throws dev.memsnap.api.SnapshotStoreException when this store cannot shred (no encryption, or no key per
     *                                                 memory), or the key cannot be destroyed
     */
    default int shredMemory(String memoryId) {
        throw new dev.memsnap.api.SnapshotStoreException(this + " cannot shred a memory: it keeps no encryption key "
                + "per memory (core's file and incremental stores and the postgres store do, with memory.encryption "
                + "set); nothing was deleted");
    }
}
