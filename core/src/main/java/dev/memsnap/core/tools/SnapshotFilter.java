package dev.memsnap.core.tools;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.StoredSnapshot;

import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Set;

/**
 * Which snapshots to list. Every criterion given must hold; {@code null} (or an empty set) means any. The memory
 * criteria ({@code topic}, {@code sourceType}, {@code minImportance}) hold when one memory meets all of them.
 *
 * @param from          taken at or after this time
 * @param to            taken at or before this time
 * @param text          text in any turn or memory, case-insensitive
 * @param topic         a memory with this topic
 * @param sourceType    a memory with this source type
 * @param minImportance a memory at least this important
 * @param labels        labelled with every one of these
 * @param pinnedOnly    only pinned snapshots
 */
public record SnapshotFilter(LocalDateTime from, LocalDateTime to, String text, String topic, String sourceType,
                             Double minImportance, Set<String> labels, boolean pinnedOnly) {
    /** Matches every snapshot. */
    public static final SnapshotFilter ALL = new SnapshotFilter(null, null, null, null, null, null, Set.of(), false);

    public SnapshotFilter {
        labels = labels == null ? Set.of() : Set.copyOf(labels);
    }

    /** @return whether only the listing (time, labels, pin) is needed, not the snapshot's content */
    public boolean needsContent() {
        return text != null || topic != null || sourceType != null || minImportance != null;
    }

    /** @return whether a listed snapshot passes the criteria that need no content */
    boolean matchesListing(StoredSnapshot s) {
        LocalDateTime t = s.metadata().timestamp();
        return (from == null || !t.isBefore(from)) && (to == null || !t.isAfter(to))
                && s.tags().labels().containsAll(labels) && (!pinnedOnly || s.tags().pinned());
    }

    /** @return whether a snapshot's content passes the content criteria */
    boolean matchesContent(MemorySnapshot snapshot) {
        if (text != null) {
            String needle = text.toLowerCase(Locale.ROOT);
            boolean found = false;
            for (Turn turn : snapshot.shortTerm().turns()) {
                if (turn.content().toLowerCase(Locale.ROOT).contains(needle)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                found = snapshot.longTerm().memories().values().stream()
                        .anyMatch(m -> m.content().toLowerCase(Locale.ROOT).contains(needle));
            }
            if (!found) {
                return false;
            }
        }
        if (topic == null && sourceType == null && minImportance == null) {
            return true;
        }
        for (Memory m : snapshot.longTerm().memories().values()) {
            if ((topic == null || m.topics().contains(topic))
                    && (sourceType == null || sourceType.equals(m.sourceType()))
                    && (minImportance == null || m.importance() >= minImportance)) {
                return true;
            }
        }
        return false;
    }
}
