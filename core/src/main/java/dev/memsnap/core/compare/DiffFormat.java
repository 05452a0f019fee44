package dev.memsnap.core.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.Memory;
import dev.memsnap.core.compare.SnapshotDiff.FieldChange;
import dev.memsnap.core.compare.SnapshotDiff.MemoryChange;
import dev.memsnap.core.compare.SnapshotDiff.TurnChange;
import dev.memsnap.core.format.Timestamps;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link SnapshotDiff} as JSON (snake_case keys, for scripts and dashboards) and as text (for people). */
public final class DiffFormat {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN_CHARS = 100;

    private DiffFormat() {
    }

    /**
     * @param diff a difference
     * @return it as a JSON tree
     */
    public static ObjectNode toJson(SnapshotDiff diff) {
        ObjectNode root = JSON.createObjectNode();
        root.put("before", diff.beforeId());
        root.put("after", diff.afterId());
        root.put("identical", diff.isEmpty());
        ObjectNode turns = root.putObject("turns");
        turnsJson(turns.putArray("added"), diff.turnsAdded());
        turnsJson(turns.putArray("removed"), diff.turnsRemoved());
        ObjectNode memories = root.putObject("memories");
        memoriesJson(memories.putObject("added"), diff.memoriesAdded());
        memoriesJson(memories.putObject("removed"), diff.memoriesRemoved());
        ArrayNode changed = memories.putArray("changed");
        for (MemoryChange change : diff.memoriesChanged()) {
            ObjectNode c = changed.addObject();
            c.put("memory_id", change.memoryId());
            ArrayNode fields = c.putArray("fields");
            for (FieldChange f : change.fields()) {
                ObjectNode field = fields.addObject();
                field.put("field", f.field());
                field.set("before", value(f.before()));
                field.set("after", value(f.after()));
            }
        }
        ObjectNode topics = root.putObject("topics");
        diff.topicsGained().forEach(topics.putArray("gained")::add);
        diff.topicsLost().forEach(topics.putArray("lost")::add);
        ObjectNode stats = root.putObject("stats");
        stats.put("turns", diff.stats().turns());
        stats.put("memories", diff.stats().memories());
        stats.put("topics", diff.stats().topics());
        stats.put("average_importance", diff.stats().averageImportance());
        stats.put("session_duration", diff.stats().sessionDuration());
        ObjectNode sourceTypes = stats.putObject("source_types");
        diff.stats().sourceTypes().forEach(sourceTypes::put);
        return root;
    }

    /**
     * @param diff a difference
     * @return it as readable lines: {@code +} added, {@code -} removed, {@code ~} changed
     */
    public static String toText(SnapshotDiff diff) {
        StringBuilder out = new StringBuilder();
        out.append(diff.beforeId()).append(" -> ").append(diff.afterId());
        if (diff.isEmpty()) {
            return out.append(": identical memory\n").toString();
        }
        out.append('\n');
        out.append(String.format("turns: +%d -%d%n", diff.turnsAdded().size(), diff.turnsRemoved().size()));
        diff.turnsRemoved().forEach(t -> out.append("  - [").append(t.index()).append("] ").append(t.turn().role())
                .append(": ").append(shorten(t.turn().content())).append('\n'));
        diff.turnsAdded().forEach(t -> out.append("  + [").append(t.index()).append("] ").append(t.turn().role())
                .append(": ").append(shorten(t.turn().content())).append('\n'));
        out.append(String.format("memories: +%d -%d ~%d%n", diff.memoriesAdded().size(),
                diff.memoriesRemoved().size(), diff.memoriesChanged().size()));
        diff.memoriesRemoved().forEach((id, m) -> out.append("  - ").append(describe(id, m)).append('\n'));
        diff.memoriesAdded().forEach((id, m) -> out.append("  + ").append(describe(id, m)).append('\n'));
        for (MemoryChange change : diff.memoriesChanged()) {
            out.append("  ~ ").append(change.memoryId()).append(": ");
            List<String> parts = change.fields().stream()
                    .map(f -> f.field() + " " + shown(f.before()) + " -> " + shown(f.after())).toList();
            out.append(String.join("; ", parts)).append('\n');
        }
        if (!diff.topicsGained().isEmpty() || !diff.topicsLost().isEmpty()) {
            out.append("topics:");
            diff.topicsGained().forEach(t -> out.append(" +").append(t));
            diff.topicsLost().forEach(t -> out.append(" -").append(t));
            out.append('\n');
        }
        SnapshotDiff.StatsDelta s = diff.stats();
        out.append(String.format(Locale.ROOT, "stats: turns %+d, memories %+d, topics %+d, average importance %+.3f, "
                + "session %+.1f s", s.turns(), s.memories(), s.topics(), s.averageImportance(), s.sessionDuration()));
        s.sourceTypes().forEach((type, delta) -> out.append(String.format(", %s %+d", type, delta)));
        return out.append('\n').toString();
    }

    private static void turnsJson(ArrayNode array, List<TurnChange> turns) {
        for (TurnChange t : turns) {
            ObjectNode node = array.addObject();
            node.put("index", t.index());
            node.put("role", t.turn().role());
            node.put("content", t.turn().content());
        }
    }

    private static void memoriesJson(ObjectNode object, Map<String, Memory> memories) {
        memories.forEach((id, m) -> {
            ObjectNode node = object.putObject(id);
            node.put("content", m.content());
            node.put("timestamp", Timestamps.format(m.timestamp()));
            node.put("importance", m.importance());
            node.set("metadata", JSON.valueToTree(m.metadata()));
        });
    }

    private static JsonNode value(Object value) {
        return value instanceof LocalDateTime t ? JSON.getNodeFactory().textNode(Timestamps.format(t))
                : JSON.valueToTree(value);
    }

    private static String describe(String id, Memory m) {
        return id + " (" + m.sourceType() + ", " + m.importance() + "): " + shorten(m.content());
    }

    private static String shown(Object value) {
        if (value instanceof LocalDateTime t) {
            return Timestamps.format(t);
        }
        return value instanceof String s ? '"' + shorten(s) + '"' : String.valueOf(value);
    }

    private static String shorten(String text) {
        String oneLine = text.replace("\n", "\\n");
        return oneLine.length() <= SHOWN_CHARS ? oneLine : oneLine.substring(0, SHOWN_CHARS) + "...";
    }
}
