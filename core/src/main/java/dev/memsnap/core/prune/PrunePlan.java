package dev.memsnap.core.prune;

import dev.memsnap.api.store.StoredSnapshot;

import java.util.List;

/**
 * What a retention policy keeps and what it prunes, each with the reasons, newest first. A dry run shows this and
 * deletes nothing.
 *
 * @param keep   the snapshots kept
 * @param remove the snapshots pruned
 */
public record PrunePlan(List<Decision> keep, List<Decision> remove) {
    public PrunePlan {
        keep = List.copyOf(keep);
        remove = List.copyOf(remove);
    }

    /**
     * One snapshot's fate.
     *
     * @param snapshot the snapshot
     * @param reasons  why it is kept (the rules that keep it) or pruned
     */
    public record Decision(StoredSnapshot snapshot, List<String> reasons) {
        public Decision {
            reasons = List.copyOf(reasons);
        }
    }

    /** @return bytes the pruned snapshots take (unknown sizes count as 0) */
    public long bytesFreed() {
        return remove.stream().mapToLong(d -> Math.max(0, d.snapshot().storedBytes())).sum();
    }
}
