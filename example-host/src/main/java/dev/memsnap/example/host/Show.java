package dev.memsnap.example.host;

import dev.memsnap.api.Memory;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.core.compare.SnapshotDiff;
import dev.memsnap.langchain4j.SegmentMemories;

import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** How the console shows memsnap's values: one place, so every command prints them alike. */
final class Show {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);
    private Show() {
    }

    /** @return a location as a person reads it: a file's path for {@code file:} URIs, the URI otherwise */
    static String where(URI location) {
        return "file".equals(location.getScheme()) ? Path.of(location).toString() : location.toString();
    }

    /** @return for example {@code memory_3  fact        0.8  [user, name]  The user's name is Alice.} */
    static String memory(String id, Memory m) {
        return String.format(Locale.ROOT, "%-10s %-10s %.1f  %-36s %s", id, m.sourceType(), m.importance(),
                m.topics(), oneLine(m.content()));
    }

    /**
     * @return the diff with each changed memory's {@value SegmentMemories#METADATA_KEY} metadata (what
     *         memsnap-langchain4j keeps to put a segment back) shown without its vector, 2 KB of base64: the vector as
     *         its size and first characters, the segment's metadata as it is
     */
    static SnapshotDiff readable(SnapshotDiff diff) {
        String field = "metadata." + SegmentMemories.METADATA_KEY;
        return new SnapshotDiff(diff.beforeId(), diff.afterId(), diff.turnsRemoved(), diff.turnsAdded(),
                diff.memoriesRemoved(), diff.memoriesAdded(), diff.memoriesChanged().stream()
                .map(change -> new SnapshotDiff.MemoryChange(change.memoryId(), change.fields().stream()
                        .map(f -> f.field().equals(field) ? new SnapshotDiff.FieldChange(f.field(),
                                withoutVector(f.before()), withoutVector(f.after())) : f)
                        .toList()))
                .toList(), diff.topicsLost(), diff.topicsGained(), diff.stats());
    }

    private static Object withoutVector(Object kept) {
        if (kept instanceof Map<?, ?> map && map.get("vector") instanceof String vector) {
            Map<Object, Object> shown = new LinkedHashMap<>(map);
            shown.put("vector", "<" + vector.length() * 3 / 4 / Float.BYTES + " floats: "
                    + vector.substring(0, Math.min(8, vector.length())) + "...>");
            return shown;
        }
        return kept;
    }

    /** @return for example {@code 12 turns, 1 memory, 9 topics} */
    static String counts(SnapshotMetadata m) {
        return count(m.shortTermTurns(), "turn") + ", " + count(m.longTermMemories(), "memory", "memories") + ", "
                + count(m.topics(), "topic");
    }

    /** @return for example {@code 1 turn} or {@code 2 turns} */
    static String count(int n, String one) {
        return count(n, one, one + "s");
    }

    static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /**
     * @return a snapshot's time to the second with its zone, {@code 2025-04-26 12:34:56 UTC}: the one style of every
     *         time the console prints, as the {@code memsnap} command line prints them
     */
    static String time(SnapshotMetadata m) {
        return time(m.timestamp());
    }

    /** @return a timestamp (UTC, as the format stores it) to the second with its zone */
    static String time(LocalDateTime t) {
        return TIME.format(t);
    }

    /** @return {@code text} on one line, at most {@code max} characters, control characters as {@code ?} */
    static String abbreviated(String text, int max) {
        StringBuilder b = new StringBuilder();
        text.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        String shown = b.length() > max ? b.substring(0, max) + "... (" + text.length() + " characters)" : b.toString();
        return "\"" + shown + "\"";
    }

    static String oneLine(String text) {
        return text.replace("\n", " / ");
    }
}
