package dev.memsnap.api.event;

import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.SnapshotMetadata;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something that happened to a snapshot, as the seed's {@code memory_snapshot} event reports it.
 *
 * @param action     what happened
 * @param snapshotId the snapshot, or {@code null} for {@link Action#LIST}
 * @param metadata   the snapshot in brief, or {@code null} for {@link Action#LIST} and a failed apply
 * @param location   where it was saved or loaded from; {@code null} for other actions
 * @param success    for {@link Action#APPLY}, whether it was applied; {@code null} for other actions
 * @param automatic  whether an automatic snapshot caused it
 * @param snapshots  for {@link Action#LIST}, the listing; empty for other actions
 * @param occurredAt when it happened
 * @param memoryId   the memory it happened in; {@link MemoryManagers#DEFAULT} for a host's one memory
 */
public record SnapshotEvent(Action action, String snapshotId, SnapshotMetadata metadata, URI location, Boolean success,
                            boolean automatic, List<SnapshotMetadata> snapshots, Instant occurredAt,
                            String memoryId) {

    public SnapshotEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(occurredAt, "occurredAt");
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
        memoryId = memoryId != null ? memoryId : metadata != null ? metadata.memoryId() : MemoryManagers.DEFAULT;
    }

    /**
     * An event of the memory its metadata names (or the default memory).
     *
     * @param action     what happened
     * @param snapshotId the snapshot
     * @param metadata   the snapshot in brief
     * @param location   where it was saved or loaded from
     * @param success    for an apply, whether it was applied
     * @param automatic  whether an automatic snapshot caused it
     * @param snapshots  for a list, the listing
     * @param occurredAt when it happened
     */
    public SnapshotEvent(Action action, String snapshotId, SnapshotMetadata metadata, URI location, Boolean success,
                         boolean automatic, List<SnapshotMetadata> snapshots, Instant occurredAt) {
        this(action, snapshotId, metadata, location, success, automatic, snapshots, occurredAt, null);
    }

    /**
     * @param memory the memory it happened in
     * @return this event, of that memory
     */
    public SnapshotEvent inMemory(String memory) {
        return new SnapshotEvent(action, snapshotId, metadata, location, success, automatic, snapshots, occurredAt,
                memory);
    }

    /** What happened to a snapshot; {@link #wireName()} is the seed's {@code action} value. */
    public enum Action {
        CREATE, SAVE, LOAD, APPLY, LIST;

        /** @return the lowercase name the seed's event format uses */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param metadata  the new snapshot
     * @param automatic whether it was an automatic snapshot
     * @return a create event
     */
    public static SnapshotEvent created(SnapshotMetadata metadata, boolean automatic) {
        return new SnapshotEvent(Action.CREATE, metadata.snapshotId(), metadata, null, null, automatic, null,
                Instant.now());
    }

    /**
     * @param metadata  the saved snapshot
     * @param location  where it went
     * @param automatic whether it was an automatic snapshot
     * @return a save event
     */
    public static SnapshotEvent saved(SnapshotMetadata metadata, URI location, boolean automatic) {
        return new SnapshotEvent(Action.SAVE, metadata.snapshotId(), metadata, location, null, automatic, null,
                Instant.now());
    }

    /**
     * @param metadata the loaded snapshot
     * @param location where it came from
     * @return a load event
     */
    public static SnapshotEvent loaded(SnapshotMetadata metadata, URI location) {
        return new SnapshotEvent(Action.LOAD, metadata.snapshotId(), metadata, location, null, false, null,
                Instant.now());
    }

    /**
     * @param snapshotId the snapshot asked for
     * @param metadata   the applied snapshot, or {@code null} when there was none
     * @return an apply event, successful when {@code metadata} is present
     */
    public static SnapshotEvent applied(String snapshotId, SnapshotMetadata metadata) {
        return new SnapshotEvent(Action.APPLY, snapshotId, metadata, null, metadata != null, false, null,
                Instant.now());
    }

    /**
     * @param snapshots the listing
     * @return a list event
     */
    public static SnapshotEvent listed(List<SnapshotMetadata> snapshots) {
        return new SnapshotEvent(Action.LIST, null, null, null, null, false, snapshots, Instant.now());
    }
}
