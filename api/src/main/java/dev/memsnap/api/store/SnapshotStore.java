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
     * Stores a snapshot atomically and durably: when this returns, the snapshot survives a crash; when it throws, the
     * store holds what it held before. Saving an id that is already stored replaces it.
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
}
