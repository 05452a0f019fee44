package dev.memsnap.api;

import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.Objects;

/**
 * What a snapshot holds, in brief: the {@code metadata} object of the seed's {@code memory_snapshot} event.
 *
 * @param snapshotId       the snapshot's id
 * @param timestamp        when the snapshot was taken
 * @param shortTermTurns   how many turns of short-term memory it holds
 * @param longTermMemories how many long-term memories it holds
 * @param topics           how many distinct topics its long-term memories have
 * @param memoryId         the memory it is a snapshot of ({@link MemoryManagers#DEFAULT} for a host's one memory)
 * @param parentSnapshotId the snapshot this one's state descends from in its memory, or {@code null} when none
 */
public record SnapshotMetadata(String snapshotId, LocalDateTime timestamp, int shortTermTurns, int longTermMemories,
                               int topics, String memoryId, String parentSnapshotId) {
    /** The one order of listings: newest first, by timestamp, then by id (the later id first). */
    public static final Comparator<SnapshotMetadata> NEWEST_FIRST = new NewestFirst();

    public SnapshotMetadata {
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(timestamp, "timestamp");
        memoryId = memoryId == null ? MemoryManagers.DEFAULT : memoryId;
    }

    /**
     * A snapshot of the default memory with no parent: the seed's metadata.
     *
     * @param snapshotId       the snapshot's id
     * @param timestamp        when it was taken
     * @param shortTermTurns   its turns
     * @param longTermMemories its memories
     * @param topics           its distinct topics
     */
    public SnapshotMetadata(String snapshotId, LocalDateTime timestamp, int shortTermTurns, int longTermMemories,
                            int topics) {
        this(snapshotId, timestamp, shortTermTurns, longTermMemories, topics, MemoryManagers.DEFAULT, null);
    }

    /**
     * {@link #NEWEST_FIRST}, written out rather than composed of method references: this class is first used by a
     * process's first listing, where composing it spun two lambda classes and its comparisons, ten thousand in a
     * listing's check of its order, went through five calls each (hand-run.md section 19).
     */
    private static final class NewestFirst implements Comparator<SnapshotMetadata> {
        @Override
        public int compare(SnapshotMetadata a, SnapshotMetadata b) {
            int byTime = b.timestamp.compareTo(a.timestamp);
            return byTime != 0 ? byTime : b.snapshotId.compareTo(a.snapshotId);
        }
    }
}
