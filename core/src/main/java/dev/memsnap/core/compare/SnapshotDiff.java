package dev.memsnap.core.compare;

import dev.memsnap.api.Memory;
import dev.memsnap.api.Turn;

import java.util.List;
import java.util.Map;

/**
 * The difference between two snapshots, from {@code before} to {@code after}.
 *
 * @param beforeId         the earlier snapshot's id ({@code live} for the live memory)
 * @param afterId          the later snapshot's id ({@code live} for the live memory)
 * @param turnsRemoved     turns of {@code before} not in {@code after}, with their positions in {@code before}
 * @param turnsAdded       turns of {@code after} not in {@code before}, with their positions in {@code after}
 * @param memoriesRemoved  memories whose id is only in {@code before}
 * @param memoriesAdded    memories whose id is only in {@code after}
 * @param memoriesChanged  memories in both whose fields differ, field by field
 * @param topicsLost       topics only in {@code before}
 * @param topicsGained     topics only in {@code after}
 * @param stats            how the statistics moved
 */
public record SnapshotDiff(String beforeId, String afterId, List<TurnChange> turnsRemoved,
                           List<TurnChange> turnsAdded, Map<String, Memory> memoriesRemoved,
                           Map<String, Memory> memoriesAdded, List<MemoryChange> memoriesChanged,
                           List<String> topicsLost, List<String> topicsGained, StatsDelta stats) {

    public SnapshotDiff {
        turnsRemoved = List.copyOf(turnsRemoved);
        turnsAdded = List.copyOf(turnsAdded);
        memoriesRemoved = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(memoriesRemoved));
        memoriesAdded = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(memoriesAdded));
        memoriesChanged = List.copyOf(memoriesChanged);
        topicsLost = List.copyOf(topicsLost);
        topicsGained = List.copyOf(topicsGained);
    }

    /** @return whether the two snapshots hold the same memory */
    public boolean isEmpty() {
        return turnsRemoved.isEmpty() && turnsAdded.isEmpty() && memoriesRemoved.isEmpty()
                && memoriesAdded.isEmpty() && memoriesChanged.isEmpty();
    }

    /**
     * A turn added or removed.
     *
     * @param index its position (0-based) in the snapshot that has it
     * @param turn  the turn
     */
    public record TurnChange(int index, Turn turn) {
    }

    /**
     * A memory present in both snapshots whose fields differ.
     *
     * @param memoryId the memory's id
     * @param fields   each field that differs
     */
    public record MemoryChange(String memoryId, List<FieldChange> fields) {
        public MemoryChange {
            fields = List.copyOf(fields);
        }
    }

    /**
     * One field's values before and after: {@code content}, {@code timestamp}, {@code importance},
     * {@code source_type}, {@code topics} or {@code metadata.<key>}.
     *
     * @param field  the field
     * @param before its value before ({@code null} when absent)
     * @param after  its value after ({@code null} when absent)
     */
    public record FieldChange(String field, Object before, Object after) {
    }

    /**
     * How the statistics moved: after minus before.
     *
     * @param turns             turn count delta
     * @param memories          memory count delta
     * @param topics            distinct topic count delta
     * @param averageImportance average importance delta
     * @param sessionDuration   session duration delta, seconds
     * @param sourceTypes       per source type, the change in memory count (only the types that changed)
     */
    public record StatsDelta(int turns, int memories, int topics, double averageImportance, double sessionDuration,
                             Map<String, Integer> sourceTypes) {
        public StatsDelta {
            sourceTypes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(sourceTypes));
        }
    }
}
