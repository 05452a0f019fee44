package dev.memsnap.api.store;

import dev.memsnap.api.SnapshotMetadata;

import java.util.Objects;

/**
 * A snapshot as its store holds it: what it is, what it costs, what the user attached to it.
 *
 * @param metadata    the snapshot in brief
 * @param storedBytes its size in the store, or -1 where the store cannot tell
 * @param tags        its labels and pin
 */
public record StoredSnapshot(SnapshotMetadata metadata, long storedBytes, SnapshotTags tags) {
    public StoredSnapshot {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(tags, "tags");
    }

    /** @return the snapshot's id */
    public String snapshotId() {
        return metadata.snapshotId();
    }
}
