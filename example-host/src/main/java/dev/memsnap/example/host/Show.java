package dev.memsnap.example.host;

import dev.memsnap.api.Memory;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.core.format.Timestamps;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/** How the console shows memsnap's values: one place, so every command prints them alike. */
final class Show {
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

    /** @return a snapshot timestamp to the second, UTC as the format stores it */
    static String time(SnapshotMetadata m) {
        return Timestamps.format(m.timestamp()).substring(0, 19).replace('T', ' ');
    }

    static String oneLine(String text) {
        return text.replace("\n", " / ");
    }
}
