package dev.memsnap.api;

import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole state of an assistant's memory at one instant, in the seed's snapshot layout. Immutable: collections
 * given to the records are copied, except those marked {@link Immutable}, which are kept and shared.
 *
 * <p>The JSON form (see the README) names each component in snake_case: {@code snapshot_id}, {@code timestamp},
 * {@code short_term}, {@code long_term}, {@code memory_stats}.
 *
 * @param snapshotId  the id, {@code snapshot_<yyyyMMdd>_<HHmmss>_<8 lowercase hex>}
 * @param timestamp   when it was taken
 * @param shortTerm   the conversation
 * @param longTerm    the long-term memories
 * @param memoryStats statistics about both, as the snapshot's writer computed them
 * @param memoryId    the memory it is a snapshot of; {@link MemoryManagers#DEFAULT} for a host's one memory
 * @param parentSnapshotId the snapshot its state descends from in that memory (created or applied just before),
 *                         or {@code null} when none
 */
public record MemorySnapshot(String snapshotId, LocalDateTime timestamp, ShortTerm shortTerm, LongTerm longTerm,
                             MemoryStats memoryStats, String memoryId, String parentSnapshotId) {

    public MemorySnapshot {
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(shortTerm, "shortTerm");
        Objects.requireNonNull(longTerm, "longTerm");
        Objects.requireNonNull(memoryStats, "memoryStats");
        memoryId = memoryId == null ? MemoryManagers.DEFAULT : MemoryManagers.requireValidMemoryId(memoryId);
    }

    /**
     * A snapshot of the default memory with no parent, as the seed's files hold.
     *
     * @param snapshotId  its id
     * @param timestamp   when it was taken
     * @param shortTerm   the conversation
     * @param longTerm    the memories
     * @param memoryStats statistics of both
     */
    public MemorySnapshot(String snapshotId, LocalDateTime timestamp, ShortTerm shortTerm, LongTerm longTerm,
                          MemoryStats memoryStats) {
        this(snapshotId, timestamp, shortTerm, longTerm, memoryStats, MemoryManagers.DEFAULT, null);
    }

    /**
     * @param newMemoryId the memory it belongs to
     * @param newParent   the snapshot it descends from, or {@code null}
     * @return this snapshot with that lineage
     */
    public MemorySnapshot withLineage(String newMemoryId, String newParent) {
        return new MemorySnapshot(snapshotId, timestamp, shortTerm, longTerm, memoryStats, newMemoryId, newParent);
    }

    /** @return this snapshot in brief, as events and listings show it */
    public SnapshotMetadata metadata() {
        return new SnapshotMetadata(snapshotId, timestamp, shortTerm.turns().size(), longTerm.memories().size(),
                longTerm.topics().size(), memoryId, parentSnapshotId);
    }

    /**
     * Short-term memory: the {@code short_term} object.
     *
     * @param turns        the turns, oldest first
     * @param turnCount    {@code turn_count}, the number of turns
     * @param sessionStart {@code session_start}, when the conversation began
     */
    public record ShortTerm(List<Turn> turns, int turnCount, LocalDateTime sessionStart) {
        public ShortTerm {
            turns = turns instanceof Immutable ? turns : List.copyOf(turns);
            Objects.requireNonNull(sessionStart, "sessionStart");
        }
    }

    /**
     * Long-term memory: the {@code long_term} object.
     *
     * @param memories    the memories by id, in the order they were stored
     * @param topics      the distinct topics of all memories, in order of first appearance
     * @param memoryCount {@code memory_count}, the number of memories
     */
    public record LongTerm(Map<String, Memory> memories, List<String> topics, int memoryCount) {
        public LongTerm {
            if (!(memories instanceof Immutable)) {
                memories = Collections.unmodifiableMap(new LinkedHashMap<>(memories));
                memories.forEach((id, m) -> {
                    Objects.requireNonNull(id, "memory id");
                    Objects.requireNonNull(m, "memory " + id);
                });
            }
            topics = topics instanceof Immutable ? topics : List.copyOf(topics);
        }
    }

    /**
     * The {@code memory_stats} object.
     *
     * @param shortTerm    {@code short_term}: turn count and session duration
     * @param longTerm     {@code long_term}: counts, source types, importance and age of the memories
     * @param recentTopics {@code recent_topics}: topics of the most recent memories
     * @param lastToolUsed {@code last_tool_used}: the last tool the assistant used, or {@code null}
     */
    public record MemoryStats(ShortTermStats shortTerm, LongTermStats longTerm, List<String> recentTopics,
                              String lastToolUsed) {
        public MemoryStats {
            Objects.requireNonNull(shortTerm, "shortTerm");
            Objects.requireNonNull(longTerm, "longTerm");
            recentTopics = List.copyOf(recentTopics);
        }
    }

    /**
     * The {@code memory_stats.short_term} object.
     *
     * @param turnCount       {@code turn_count}
     * @param sessionDuration {@code session_duration}, seconds from session start to the snapshot
     */
    public record ShortTermStats(int turnCount, double sessionDuration) {
    }

    /**
     * The {@code memory_stats.long_term} object.
     *
     * @param totalMemories     {@code total_memories}
     * @param sourceTypes       {@code source_types}: how many memories each source type has
     * @param averageImportance {@code average_importance}, 0 when there are no memories
     * @param oldestMemory      {@code oldest_memory}, or {@code null} when there are no memories
     * @param newestMemory      {@code newest_memory}, or {@code null} when there are no memories
     * @param topics            {@code topics}: the number of distinct topics
     * @param userSummaryKeys   {@code user_summary_keys}
     */
    public record LongTermStats(int totalMemories, Map<String, Integer> sourceTypes, double averageImportance,
                                LocalDateTime oldestMemory, LocalDateTime newestMemory, int topics,
                                List<String> userSummaryKeys) {
        public LongTermStats {
            sourceTypes = Collections.unmodifiableMap(new LinkedHashMap<>(sourceTypes));
            userSummaryKeys = List.copyOf(userSummaryKeys);
        }
    }
}
