package dev.memsnap.core.prune;

import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.core.format.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Applies a {@link RetentionPolicy}, as restic's {@code forget} does: each rule walks the snapshots newest first and
 * keeps what it must; a snapshot is kept when any rule or its pin keeps it. Bucket rules ({@code keep_hourly} and the
 * like) keep the newest snapshot of each of the last N hours (days, ISO weeks, months) that have one. Durations are
 * measured back from the newest snapshot, not from the clock, so a store left idle is not emptied by time alone; but
 * never from later than the clock: a snapshot dated in the future (a clock set wrong, or a planted file) is kept,
 * and steers no rule. The snapshots a caller protects (the one an automatic save just stored) are never pruned.
 */
public final class Pruner {
    private static final Logger log = LoggerFactory.getLogger(Pruner.class);
    /** Why a planned deletion was not carried out. */
    static final String RETAGGED = "its labels or pin changed while pruning";

    private Pruner() {
    }

    /**
     * @param snapshots the stored snapshots, in any order
     * @param policy    the policy
     * @return what to keep and what to prune
     */
    public static PrunePlan plan(List<StoredSnapshot> snapshots, RetentionPolicy policy) {
        return plan(snapshots, policy, Timestamps.now(Clock.systemDefaultZone()), Set.of());
    }

    /**
     * @param snapshots the stored snapshots, in any order
     * @param policy    the policy
     * @param now       the time now, as snapshot timestamps are written; later ones are kept and count for no rule
     * @param protect   ids never to prune, such as the snapshot just saved
     * @return what to keep and what to prune
     */
    public static PrunePlan plan(List<StoredSnapshot> snapshots, RetentionPolicy policy, LocalDateTime now,
                                 Set<String> protect) {
        List<StoredSnapshot> all = new ArrayList<>(snapshots);
        all.sort(Comparator.comparing((StoredSnapshot s) -> s.metadata().timestamp())
                .thenComparing(StoredSnapshot::snapshotId).reversed());
        List<StoredSnapshot> newestFirst = new ArrayList<>();
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (StoredSnapshot s : all) {
            List<String> why = new ArrayList<>();
            reasons.put(s.snapshotId(), why);
            if (s.metadata().timestamp().isAfter(now)) {
                why.add("dated in the future");
            } else {
                newestFirst.add(s);
            }
            if (protect.contains(s.snapshotId())) {
                why.add("just saved");
            }
        }
        plan(newestFirst, policy, reasons);
        if (policy.maxTotalBytes() > 0) {
            capTotalSize(all, reasons, policy.maxTotalBytes(), protect);
        }
        List<PrunePlan.Decision> keep = new ArrayList<>();
        List<PrunePlan.Decision> remove = new ArrayList<>();
        for (StoredSnapshot s : all) {
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

    /** Adds each keep rule's reasons to the snapshots, {@code newestFirst} being those it may consider. */
    private static void plan(List<StoredSnapshot> newestFirst, RetentionPolicy policy,
                             Map<String, List<String>> reasons) {
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
        return prune(store, policy, dryRun, Clock.systemDefaultZone(), Set.of());
    }

    /**
     * Plans and deletes, never deleting {@code protect}. A snapshot another process deleted meanwhile counts as pruned.
     *
     * @param store   the store
     * @param policy  the policy
     * @param dryRun  whether to only plan
     * @param clock   the time now; snapshots dated later are kept
     * @param protect ids never to prune, such as the snapshot just saved
     * @return the plan carried out (or that would be)
     */
    public static PrunePlan prune(SnapshotStore store, RetentionPolicy policy, boolean dryRun, Clock clock,
                                  Set<String> protect) {
        PrunePlan plan = plan(store.inventory(), policy, Timestamps.now(clock), protect);
        if (!dryRun) {
            return carryOut(store, plan, done -> { });
        }
        return plan;
    }

    /**
     * Deletes what a plan prunes, each only if its tags are still those the plan was made from: a snapshot another
     * instance labelled or pinned since is kept. A snapshot another process deleted meanwhile counts as pruned.
     *
     * @param store    the store the plan was made from
     * @param plan     the plan
     * @param progress told how many deletions are done after each
     * @return the plan as carried out
     */
    public static PrunePlan carryOut(SnapshotStore store, PrunePlan plan, IntConsumer progress) {
        List<PrunePlan.Decision> kept = new ArrayList<>(plan.keep());
        List<PrunePlan.Decision> removed = new ArrayList<>();
        for (PrunePlan.Decision d : plan.remove()) {
            if (deleteUnlessRetagged(store, d)) {
                removed.add(d);
                log.info("Pruned snapshot {} ({})", d.snapshot().snapshotId(), String.join(", ", d.reasons()));
            } else {
                kept.add(new PrunePlan.Decision(d.snapshot(), List.of(RETAGGED)));
            }
            progress.accept(removed.size() + kept.size() - plan.keep().size());
        }
        if (kept.size() > plan.keep().size()) {
            kept.sort(Comparator.comparing(d -> d.snapshot().metadata(), SnapshotMetadata.NEWEST_FIRST));
        }
        return new PrunePlan(kept, removed);
    }

    /** @return whether the planned snapshot is gone: deleted now, or by another process before */
    private static boolean deleteUnlessRetagged(SnapshotStore store, PrunePlan.Decision decision) {
        String id = decision.snapshot().snapshotId();
        if (store.deleteIfTagsAre(id, decision.snapshot().tags())) {
            return true;
        }
        boolean stillThere = store.storedIds().contains(id);
        if (stillThere) {
            log.info("Kept snapshot {}: {}", id, RETAGGED);
        }
        return !stillThere;
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

    /** Drops the oldest kept, unpinned, unprotected snapshots (never the newest) until the kept total fits. */
    private static void capTotalSize(List<StoredSnapshot> newestFirst, Map<String, List<String>> reasons, long cap,
                                     Set<String> protect) {
        long total = newestFirst.stream().filter(s -> !reasons.get(s.snapshotId()).isEmpty())
                .mapToLong(s -> Math.max(0, s.storedBytes())).sum();
        for (int i = newestFirst.size() - 1; i > 0 && total > cap; i--) {
            StoredSnapshot s = newestFirst.get(i);
            List<String> why = reasons.get(s.snapshotId());
            if (!why.isEmpty() && !s.tags().pinned() && !protect.contains(s.snapshotId())) {
                total -= Math.max(0, s.storedBytes());
                why.add(0, "over max_total_size " + cap + " bytes (would keep: " + String.join(", ", why) + ")");
            }
        }
    }
}
