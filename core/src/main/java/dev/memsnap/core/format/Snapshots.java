package dev.memsnap.core.format;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.MemorySnapshot.LongTerm;
import dev.memsnap.api.MemorySnapshot.LongTermStats;
import dev.memsnap.api.MemorySnapshot.MemoryStats;
import dev.memsnap.api.MemorySnapshot.ShortTerm;
import dev.memsnap.api.MemorySnapshot.ShortTermStats;
import dev.memsnap.api.Turn;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds snapshots from memory state, computing the derived parts: counts, topics and {@code memory_stats}. */
public final class Snapshots {
    /** How many of the newest memories {@code recent_topics} draws on. */
    static final int RECENT_MEMORIES = 10;

    private Snapshots() {
    }

    /**
     * @param snapshotId   the id
     * @param timestamp    when the state was captured
     * @param turns        short-term memory, oldest first
     * @param sessionStart when the conversation began
     * @param memories     long-term memory by id
     * @param lastToolUsed the last tool used, or {@code null}
     * @return the snapshot, with its statistics computed
     */
    public static MemorySnapshot of(String snapshotId, LocalDateTime timestamp, List<Turn> turns,
                                    LocalDateTime sessionStart, Map<String, Memory> memories, String lastToolUsed) {
        ShortTerm shortTerm = new ShortTerm(turns, turns.size(), sessionStart);
        // memsnap's own memory keeps its topics and statistics, and is shared rather than copied
        LongTerm longTerm = memories instanceof LongTermState state
                ? new LongTerm(state, state.topics(), state.size())
                : new LongTerm(memories, topicsOf(memories.values()), memories.size());
        return new MemorySnapshot(snapshotId, timestamp, shortTerm, longTerm,
                statsOf(timestamp, shortTerm, longTerm, lastToolUsed));
    }

    private static double sessionSeconds(LocalDateTime sessionStart, LocalDateTime timestamp) {
        Duration session = Duration.between(sessionStart, timestamp);
        // seconds and nanos apart: toNanos() overflows after 292 years, and a file may say anything
        return Math.max(0, session.getSeconds() + session.getNano() / 1e9);
    }

    /**
     * @param memories memories in the order stored
     * @return their distinct topics in order of first appearance
     */
    public static List<String> topicsOf(Iterable<Memory> memories) {
        Set<String> topics = new LinkedHashSet<>();
        for (Memory memory : memories) {
            topics.addAll(memory.topics());
        }
        return List.copyOf(topics);
    }

    /**
     * Computes {@code memory_stats} as memsnap writes it.
     *
     * @param timestamp    when the snapshot was taken
     * @param shortTerm    short-term memory
     * @param longTerm     long-term memory
     * @param lastToolUsed the last tool used, or {@code null}
     * @return the statistics
     */
    public static MemoryStats statsOf(LocalDateTime timestamp, ShortTerm shortTerm, LongTerm longTerm,
                                      String lastToolUsed) {
        if (longTerm.memories() instanceof LongTermState state) {
            return new MemoryStats(new ShortTermStats(shortTerm.turns().size(),
                    sessionSeconds(shortTerm.sessionStart(), timestamp)),
                    new LongTermStats(state.size(), state.sourceTypes(), state.averageImportance(), state.oldest(),
                            state.newest(), longTerm.topics().size(), List.of()),
                    topicsOf(state.recent()), lastToolUsed);
        }
        double sessionSeconds = sessionSeconds(shortTerm.sessionStart(), timestamp);

        Map<String, Integer> sourceTypes = new LinkedHashMap<>();
        double importanceSum = 0;
        LocalDateTime oldest = null;
        LocalDateTime newest = null;
        for (Memory memory : longTerm.memories().values()) {
            String sourceType = memory.sourceType() == null ? "unknown" : memory.sourceType();
            sourceTypes.merge(sourceType, 1, Integer::sum);
            importanceSum += memory.importance();
            oldest = oldest == null || memory.timestamp().isBefore(oldest) ? memory.timestamp() : oldest;
            newest = newest == null || memory.timestamp().isAfter(newest) ? memory.timestamp() : newest;
        }
        int count = longTerm.memories().size();
        double averageImportance = count == 0 ? 0.0 : importanceSum / count;
        if (Double.isInfinite(averageImportance)) {
            averageImportance = scaledAverage(longTerm.memories().values(), count);
        }

        LongTermStats longTermStats = new LongTermStats(count, sourceTypes, averageImportance, oldest, newest,
                longTerm.topics().size(), List.of());
        return new MemoryStats(new ShortTermStats(shortTerm.turns().size(), sessionSeconds), longTermStats,
                recentTopics(longTerm.memories().values()), lastToolUsed);
    }

    /** When the sum of huge importances overflows: the average of the scaled values, which cannot. */
    static double scaledAverage(Iterable<Memory> memories, int count) {
        double average = 0;
        for (Memory memory : memories) {
            average += memory.importance() / count;
        }
        return average;
    }

    /** The distinct topics of the newest memories, in the order those memories were formed. */
    private static List<String> recentTopics(Iterable<Memory> memories) {
        List<Memory> byTime = new ArrayList<>();
        memories.forEach(byTime::add);
        byTime.sort(Comparator.comparing(Memory::timestamp));
        List<Memory> recent = byTime.subList(Math.max(0, byTime.size() - RECENT_MEMORIES), byTime.size());
        return topicsOf(recent);
    }
}
