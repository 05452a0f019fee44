package dev.memsnap.core.prune;

import java.time.Duration;

/**
 * Which stored snapshots to keep, as backup tools put it ({@code memory.retention}). A snapshot is kept when any rule
 * keeps it or it is pinned; the others are pruned. Unset rules are 0 (or {@code null} for {@code keepWithin}); a
 * policy with no rule set keeps everything.
 *
 * @param keepLast      keep the newest N snapshots
 * @param keepWithin    keep every snapshot taken within this span before the newest one
 * @param keepHourly    for each of the last N hours that have snapshots, keep the newest of that hour
 * @param keepDaily     likewise per day
 * @param keepWeekly    likewise per ISO week
 * @param keepMonthly   likewise per month
 * @param maxTotalBytes after the rules, prune the oldest kept snapshots (never a pinned one, never the newest) until
 *                      the stored total is at most this; 0 for no cap
 */
public record RetentionPolicy(int keepLast, Duration keepWithin, int keepHourly, int keepDaily, int keepWeekly,
                              int keepMonthly, long maxTotalBytes) {

    /** Keeps everything. */
    public static final RetentionPolicy KEEP_ALL = new RetentionPolicy(0, null, 0, 0, 0, 0, 0);

    public RetentionPolicy {
        if (keepLast < 0 || keepHourly < 0 || keepDaily < 0 || keepWeekly < 0 || keepMonthly < 0
                || maxTotalBytes < 0) {
            throw new IllegalArgumentException("retention counts and sizes cannot be negative");
        }
        if (keepWithin != null && keepWithin.isNegative()) {
            throw new IllegalArgumentException("keepWithin cannot be negative");
        }
    }

    /** @return whether no rule is set, so that nothing would be pruned */
    public boolean keepsAll() {
        return keepLast == 0 && keepWithin == null && keepHourly == 0 && keepDaily == 0 && keepWeekly == 0
                && keepMonthly == 0 && maxTotalBytes == 0;
    }

    /** @return whether any rule other than the size cap is set */
    boolean hasKeepRules() {
        return keepLast > 0 || keepWithin != null || keepHourly > 0 || keepDaily > 0 || keepWeekly > 0
                || keepMonthly > 0;
    }
}
