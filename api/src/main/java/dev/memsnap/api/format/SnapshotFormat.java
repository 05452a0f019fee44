package dev.memsnap.api.format;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.event.SnapshotEvent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDateTime;

/**
 * The seed's snapshot JSON format, and the one JSON vocabulary memsnap writes snapshot metadata and events in:
 * {@code snapshot_id}, {@code timestamp}, {@code short_term_turns}, {@code long_term_memories}, {@code topics}.
 */
public interface SnapshotFormat {

    /**
     * @param snapshot a snapshot
     * @param out      where its JSON goes, UTF-8; not closed
     * @throws IOException when {@code out} fails
     */
    void write(MemorySnapshot snapshot, OutputStream out) throws IOException;

    /**
     * @param in     snapshot JSON, UTF-8; not closed
     * @param source what to call it in messages
     * @return the snapshot
     * @throws IOException                               when {@code in} fails
     * @throws dev.memsnap.api.SnapshotFormatException when it is not a valid snapshot
     */
    MemorySnapshot read(InputStream in, String source) throws IOException;

    /**
     * @param timestamp a time
     * @return it as snapshot files write it, {@code 2025-04-26T12:34:56.123456} (UTC, no zone)
     */
    String formatTimestamp(LocalDateTime timestamp);

    /**
     * @param metadata a snapshot in brief
     * @return it as one JSON object in the seed's key names
     */
    String metadataJson(SnapshotMetadata metadata);

    /**
     * @param event a snapshot event
     * @return the seed's {@code {"memory_snapshot": {...}}} event JSON
     */
    String eventJson(SnapshotEvent event);

    /**
     * @param before the earlier snapshot
     * @param after  the later one
     * @return what changed between them, as {@code memsnap diff --json} prints it: turns added and removed, memories
     *         added, removed and changed field by field, topics, statistics
     */
    String diffJson(MemorySnapshot before, MemorySnapshot after);

    /**
     * @param before a snapshot
     * @param live   a manager whose current memory is the later side
     * @return what changed since the snapshot, in the shape of {@link #diffJson}
     */
    String diffWithLiveJson(MemorySnapshot before, dev.memsnap.api.EnhancedMemoryManager live);
}
