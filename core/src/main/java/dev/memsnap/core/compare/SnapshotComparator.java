package dev.memsnap.core.compare;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.compare.SnapshotDiff.FieldChange;
import dev.memsnap.core.compare.SnapshotDiff.MemoryChange;
import dev.memsnap.core.compare.SnapshotDiff.TurnChange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes a {@link SnapshotDiff}. Turns are compared as sequences (a longest common subsequence, so a turn inserted
 * in the middle is one addition, not a shift of everything after it); memories are matched by id and compared field
 * by field.
 */
public final class SnapshotComparator {
    /** Above this many cells the turn comparison falls back to common prefix and suffix, to bound time and memory. */
    static final long MAX_LCS_CELLS = 4_000_000L;

    private SnapshotComparator() {
    }

    /**
     * @param before the earlier snapshot
     * @param after  the later snapshot
     * @return what changed from {@code before} to {@code after}
     */
    public static SnapshotDiff compare(MemorySnapshot before, MemorySnapshot after) {
        List<TurnChange> removed = new ArrayList<>();
        List<TurnChange> added = new ArrayList<>();
        diffTurns(before.shortTerm().turns(), after.shortTerm().turns(), removed, added);

        Map<String, Memory> a = before.longTerm().memories();
        Map<String, Memory> b = after.longTerm().memories();
        Map<String, Memory> memoriesRemoved = new LinkedHashMap<>();
        Map<String, Memory> memoriesAdded = new LinkedHashMap<>();
        List<MemoryChange> changed = new ArrayList<>();
        a.forEach((id, memory) -> {
            Memory other = b.get(id);
            if (other == null) {
                memoriesRemoved.put(id, memory);
            } else if (!memory.equals(other)) {
                changed.add(new MemoryChange(id, fieldChanges(memory, other)));
            }
        });
        b.forEach((id, memory) -> {
            if (!a.containsKey(id)) {
                memoriesAdded.put(id, memory);
            }
        });

        Set<String> topicsBefore = new LinkedHashSet<>(before.longTerm().topics());
        Set<String> topicsAfter = new LinkedHashSet<>(after.longTerm().topics());
        List<String> lost = topicsBefore.stream().filter(t -> !topicsAfter.contains(t)).toList();
        List<String> gained = topicsAfter.stream().filter(t -> !topicsBefore.contains(t)).toList();

        return new SnapshotDiff(before.snapshotId(), after.snapshotId(), removed, added, memoriesRemoved,
                memoriesAdded, changed, lost, gained, statsDelta(before, after));
    }

    private static List<FieldChange> fieldChanges(Memory before, Memory after) {
        List<FieldChange> fields = new ArrayList<>();
        compareField(fields, "content", before.content(), after.content());
        compareField(fields, "timestamp", before.timestamp(), after.timestamp());
        compareField(fields, "importance", before.importance(), after.importance());
        compareField(fields, Memory.SOURCE_TYPE, before.sourceType(), after.sourceType());
        compareField(fields, Memory.TOPICS, before.topics(), after.topics());
        Set<String> keys = new LinkedHashSet<>(before.metadata().keySet());
        keys.addAll(after.metadata().keySet());
        keys.remove(Memory.SOURCE_TYPE);
        keys.remove(Memory.TOPICS);
        for (String key : keys) {
            compareField(fields, "metadata." + key, before.metadata().get(key), after.metadata().get(key));
        }
        return fields;
    }

    private static void compareField(List<FieldChange> fields, String name, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            fields.add(new FieldChange(name, before, after));
        }
    }

    private static SnapshotDiff.StatsDelta statsDelta(MemorySnapshot before, MemorySnapshot after) {
        var sb = before.memoryStats();
        var sa = after.memoryStats();
        Map<String, Integer> sourceTypes = new TreeMap<>();
        Set<String> types = new LinkedHashSet<>(sb.longTerm().sourceTypes().keySet());
        types.addAll(sa.longTerm().sourceTypes().keySet());
        for (String type : types) {
            int delta = sa.longTerm().sourceTypes().getOrDefault(type, 0)
                    - sb.longTerm().sourceTypes().getOrDefault(type, 0);
            if (delta != 0) {
                sourceTypes.put(type, delta);
            }
        }
        return new SnapshotDiff.StatsDelta(
                after.shortTerm().turns().size() - before.shortTerm().turns().size(),
                after.longTerm().memories().size() - before.longTerm().memories().size(),
                after.longTerm().topics().size() - before.longTerm().topics().size(),
                sa.longTerm().averageImportance() - sb.longTerm().averageImportance(),
                sa.shortTerm().sessionDuration() - sb.shortTerm().sessionDuration(),
                sourceTypes);
    }

    /** Longest common subsequence over the middle that differs; the common prefix and suffix are trimmed first. */
    private static void diffTurns(List<Turn> a, List<Turn> b, List<TurnChange> removed, List<TurnChange> added) {
        int start = 0;
        while (start < a.size() && start < b.size() && a.get(start).equals(b.get(start))) {
            start++;
        }
        int endA = a.size();
        int endB = b.size();
        while (endA > start && endB > start && a.get(endA - 1).equals(b.get(endB - 1))) {
            endA--;
            endB--;
        }
        int n = endA - start;
        int m = endB - start;
        if ((long) n * m > MAX_LCS_CELLS) {
            for (int i = start; i < endA; i++) {
                removed.add(new TurnChange(i, a.get(i)));
            }
            for (int j = start; j < endB; j++) {
                added.add(new TurnChange(j, b.get(j)));
            }
            return;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(start + i).equals(b.get(start + j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(start + i).equals(b.get(start + j))) {
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                added.add(new TurnChange(start + j, b.get(start + j)));
                j++;
            } else {
                removed.add(new TurnChange(start + i, a.get(start + i)));
                i++;
            }
        }
    }
}
