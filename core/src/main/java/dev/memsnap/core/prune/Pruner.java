package dev.memsnap.core.prune;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.StoredSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Applies a {@link RetentionPolicy}, as restic's {@code forget} does: each rule walks the snapshots newest first and
 * keeps what it must; a snapshot is kept when any rule or its pin keeps it. Bucket rules ({@code keep_hourly} and the
 * like) keep the newest snapshot of each of the last N hours (days, ISO weeks, months) that have one. Durations are
 * measured back from the newest snapshot, not from the clock, so a store left idle is not emptied by time alone.
 */
public final class Pruner {
    private static final Logger log = LoggerFactory.getLogger(Pruner.class);

    private Pruner() {
    }

    /**
     * @param snapshots the stored snapshots, in any order
     * @param policy    the policy
     * @return what to keep and what to prune
     */
    public static PrunePlan plan(List<StoredSnapshot> snapshots, RetentionPolicy policy) {
        List<StoredSnapshot> newestFirst = new ArrayList<>(snapshots);
        newestFirst.sort(Comparator.comparing((StoredSnapshot s) -> s.metadata().timestamp())
                .thenComparing(StoredSnapshot::snapshotId).reversed());
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        newestFirst.forEach(s -> reasons.put(s.snapshotId(), new ArrayList<>()));

        if (policy.keepsAll() || !policy.hasKeepRules()) {
            newestFirst.forEach(s -> reasons.get(s.snapshotId()).add("no keep rules set"));
        }
        for (int i = 0; i < Math.min(policy.keepLast(), newestFirst.size()); i++) {
            reasons.get(newestFirst.get(i).snapshotId()).add("last " + policy.keepLast());
        }
        if (policy.keepWithin() != null && !newestFirst.isEmpty()) {
            LocalDateTime since = newestFirst.get(0).metadata().timestamp().minus(policy.keepWithin());
            for (StoredSnapshot s : newestFirst) {
                if (!s.metadata().timestamp().isBefore(since)) {
                    reasons.get(s.snapshotId()).add("within " + policy.keepWithin());
                }
            }
        }
        keepBuckets(newestFirst, reasons, policy.keepHourly(), "hourly",
                t -> t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00")));
        keepBuckets(newestFirst, reasons, policy.keepDaily(), "daily", t -> t.toLocalDate().toString());
        keepBuckets(newestFirst, reasons, policy.keepWeekly(), "weekly",
                t -> t.get(IsoFields.WEEK_BASED_YEAR) + "-W" + String.format("%02d", t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
        keepBuckets(newestFirst, reasons, policy.keepMonthly(), "monthly",
                t -> t.format(DateTimeFormatter.ofPattern("yyyy-MM")));
        for (StoredSnapshot s : newestFirst) {
            if (s.tags().pinned()) {
                reasons.get(s.snapshotId()).add("pinned");
            }
        }

        if (policy.maxTotalBytes() > 0) {
            capTotalSize(newestFirst, reasons, policy.maxTotalBytes());
        }

        List<PrunePlan.Decision> keep = new ArrayList<>();
        List<PrunePlan.Decision> remove = new ArrayList<>();
        for (StoredSnapshot s : newestFirst) {
            List<String> why = reasons.get(s.snapshotId());
            if (why.isEmpty()) {
                remove.add(new PrunePlan.Decision(s, List.of("no rule keeps it")));
            } else if (why.get(0).startsWith("over max_total_size")) {
                remove.add(new PrunePlan.Decision(s, why));
            } else {
                keep.add(new PrunePlan.Decision(s, why));
            }
        }
        return new PrunePlan(keep, remove);
    }

    /**
     * Plans and deletes. A snapshot another process deleted meanwhile counts as pruned.
     *
     * @param store  the store
     * @param policy the policy
     * @param dryRun whether to only plan
     * @return the plan carried out (or that would be)
     */
    public static PrunePlan prune(SnapshotStore store, RetentionPolicy policy, boolean dryRun) {
        PrunePlan plan = plan(store.inventory(), policy);
        if (!dryRun) {
            for (PrunePlan.Decision d : plan.remove()) {
                store.delete(d.snapshot().snapshotId());
                log.info("Pruned snapshot {} ({})", d.snapshot().snapshotId(), String.join(", ", d.reasons()));
            }
        }
        return plan;
    }

    private static void keepBuckets(List<StoredSnapshot> newestFirst, Map<String, List<String>> reasons, int count,
                                    String rule, Function<LocalDateTime, String> bucketOf) {
        String last = null;
        int kept = 0;
        for (StoredSnapshot s : newestFirst) {
            if (kept == count) {
                return;
            }
            String bucket = bucketOf.apply(s.metadata().timestamp());
            if (!bucket.equals(last)) {
                reasons.get(s.snapshotId()).add(rule + " " + bucket);
                last = bucket;
                kept++;
            }
        }
    }

    /** Drops the oldest kept, unpinned snapshots (never the newest) until the kept total fits. */
    private static void capTotalSize(List<StoredSnapshot> newestFirst, Map<String, List<String>> reasons, long cap) {
        long total = newestFirst.stream().filter(s -> !reasons.get(s.snapshotId()).isEmpty())
                .mapToLong(s -> Math.max(0, s.storedBytes())).sum();
        for (int i = newestFirst.size() - 1; i > 0 && total > cap; i--) {
            StoredSnapshot s = newestFirst.get(i);
            List<String> why = reasons.get(s.snapshotId());
            if (!why.isEmpty() && !s.tags().pinned()) {
                total -= Math.max(0, s.storedBytes());
                why.add(0, "over max_total_size " + cap + " bytes (would keep: " + String.join(", ", why) + ")");
            }
        }
    }
}
