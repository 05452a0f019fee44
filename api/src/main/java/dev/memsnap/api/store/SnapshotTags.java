package dev.memsnap.api.store;

import java.util.Set;
import java.util.TreeSet;

/**
 * What a user attached to a stored snapshot: labels to find it by, and a pin that keeps it from ever being pruned.
 *
 * @param labels the labels, sorted
 * @param pinned whether pruning must keep it
 */
public record SnapshotTags(Set<String> labels, boolean pinned) {
    /** No labels, not pinned. */
    public static final SnapshotTags NONE = new SnapshotTags(Set.of(), false);

    public SnapshotTags {
        for (String label : labels) {
            if (label == null || label.isBlank() || label.length() > 200) {
                throw new IllegalArgumentException("a label must be 1 to 200 characters, not blank: " + label);
            }
        }
        labels = java.util.Collections.unmodifiableSet(new TreeSet<>(labels));
    }

    /** @return whether there is nothing to store */
    public boolean isEmpty() {
        return labels.isEmpty() && !pinned;
    }
}
