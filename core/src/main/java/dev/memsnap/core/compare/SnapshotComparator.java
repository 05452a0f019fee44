package dev.memsnap.core.compare;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.Patch;
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
 * Computes a {@link SnapshotDiff}. Turns are compared as sequences (Myers' diff, so a turn inserted in the middle is
 * one addition, not a shift of everything after it); memories are matched by id and compared field
 * by field.
 */
public final class SnapshotComparator {
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

    /**
     * Myers' diff (java-diff-utils) of the turns: memory and time grow with the size of the change, not with the
     * product of the two conversations' lengths, so a long conversation diffs as precisely as a short one.
     */
    private static void diffTurns(List<Turn> a, List<Turn> b, List<TurnChange> removed, List<TurnChange> added) {
        Patch<Turn> patch = DiffUtils.diff(a, b);
        for (AbstractDelta<Turn> delta : patch.getDeltas()) {
            Chunk<Turn> source = delta.getSource();
            for (int i = 0; i < source.size(); i++) {
                removed.add(new TurnChange(source.getPosition() + i, source.getLines().get(i)));
            }
            Chunk<Turn> target = delta.getTarget();
            for (int j = 0; j < target.size(); j++) {
                added.add(new TurnChange(target.getPosition() + j, target.getLines().get(j)));
            }
        }
    }
}
