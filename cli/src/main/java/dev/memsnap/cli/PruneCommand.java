package dev.memsnap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.GarbageCollection;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.prune.PrunePlan;
import dev.memsnap.core.prune.RetentionPolicy;
import dev.memsnap.core.prune.Pruner;
import dev.memsnap.core.tools.SnapshotTools.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code memsnap prune}: deletes what the retention policy does not keep. */
@Command(name = "prune", header = "Delete what the retention rules do not keep.",
        description = {
                "Deletes the snapshots no retention rule keeps, and says why each goes (and, with --verbose, why "
                        + "each stays). A snapshot is kept when any rule keeps it; pinned snapshots are always kept.",
                "The rules are memory.retention of the config file, or the rule options given here, which then "
                        + "replace memory.retention entirely. With no rule at all prune refuses (exit 2) rather "
                        + "than do nothing silently. Durations count back from the newest snapshot, not from now.",
                "Snapshots that cannot be read are never deleted; they are named on stderr and make the exit "
                        + "code 4.",
                "Then collects what the deleted snapshots leave in a store that shares pieces between snapshots "
                        + "(as memsnap gc does); a dry run says what is collectable before its deletions.",
                "Prunes one memory's snapshots (--memory, default: default), or each memory's separately "
                        + "(--all-memories): the rules apply to each memory on its own.",
        })
final class PruneCommand extends BaseCommand {
    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the newest N snapshots.")
    Integer keepLast;

    @Option(names = "--keep-within", paramLabel = "SPAN", converter = Converters.Span.class,
            description = "Keep every snapshot taken within SPAN of the newest one, in restic's units: 36h, 7d, 2w, "
                    + "6m (months), 1y2m; minutes are min.")
    Duration keepWithin;

    @Option(names = "--keep-hourly", paramLabel = "N",
            description = "Keep the newest snapshot of each of the last N hours that have one.")
    Integer keepHourly;

    @Option(names = "--keep-daily", paramLabel = "N", description = "Likewise for days.")
    Integer keepDaily;

    @Option(names = "--keep-weekly", paramLabel = "N", description = "Likewise for ISO weeks.")
    Integer keepWeekly;

    @Option(names = "--keep-monthly", paramLabel = "N", description = "Likewise for months.")
    Integer keepMonthly;

    @Option(names = "--max-total-size", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Then prune the oldest kept snapshots (never a pinned one, never the newest) until the "
                    + "rest take at most SIZE: 500MB, 2GiB, or bytes.")
    Long maxTotalSize;

    @Option(names = "--dry-run", description = "Only say what would be pruned; delete nothing.")
    boolean dryRun;

    @Option(names = {"-v", "--verbose"}, description = "Also list the snapshots kept, with the rules that keep them.")
    boolean verbose;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Mixin
    ProgressOption progress;

    @Mixin
    MemoryOptions.OneOrAll memory;

    @Override
    int run() {
        RetentionPolicy policy = policy();
        if (policy.keepsAll()) {
            throw usage("no retention rule: set memory.retention in the config file, or give --keep-last, "
                    + "--keep-within, --keep-hourly, --keep-daily, --keep-weekly, --keep-monthly or "
                    + "--max-total-size");
        }
        String memoryId = memory.memoryId();
        StoreHandle handle = store(dryRun ? Workspace.Access.READ : Workspace.Access.MODIFY);
        RecordingStore recording = new RecordingStore(handle.store());
        // Retention applies to each memory on its own: keep-last 5 keeps each memory's newest 5.
        List<String> memoryIds = memoryId != null ? List.of(memoryId) : recording.memoryIds();
        List<String> stored = new ArrayList<>();
        List<PrunePlan> plans = new ArrayList<>();
        for (String id : memoryIds) {
            SnapshotStore scope = handle.memory(recording, id);
            stored.addAll(scope.storedIds());
            plans.add(Pruner.plan(scope.inventory(), policy)); // planned here, deleted below with progress
        }
        PrunePlan plan = new PrunePlan(plans.stream().flatMap(p -> p.keep().stream()).toList(),
                plans.stream().flatMap(p -> p.remove().stream()).toList());
        if (!dryRun) {
            plan = delete(recording, plan);
        }
        List<Verification> unreadable = recording.unreadable(stored);
        // what deleted snapshots leave in a store that shares pieces (the incremental store's chunks); a dry run
        // says what is collectable now, before the deletions it would make
        GarbageCollection collected = handle.store().collectGarbage(dryRun);

        if (json) {
            ObjectNode root = json(plan, policy, memoryId);
            root.set("garbage_collection", GcCommand.json(collected));
            printJson(root);
        } else {
            printText(plan, memoryId == null);
            if (collected.pieces() > 0) {
                out().println((dryRun ? "garbage collection, before these deletions: " : "garbage collection: ")
                        + GcCommand.describe(collected).replaceFirst("^dry run: ", ""));
            }
        }
        reportUnreadable(unreadable, "left alone, unreadable:");
        return unreadable.isEmpty() ? ExitCodes.OK : ExitCodes.DAMAGED;
    }

    /**
     * Deletes what the plan prunes, with a progress bar: thousands of deletions take a while.
     *
     * @return the plan as carried out: a snapshot another instance labelled or pinned meanwhile is kept
     */
    private PrunePlan delete(RecordingStore store, PrunePlan plan) {
        Progress bar = progress(progress.progress, "prune");
        int total = plan.remove().size();
        PrunePlan done = Pruner.carryOut(store, plan, deleted -> bar.update(deleted, total));
        endProgress();
        return done;
    }

    /** @return the policy the options give, or else the config's */
    private RetentionPolicy policy() {
        boolean given = keepLast != null || keepWithin != null || keepHourly != null || keepDaily != null
                || keepWeekly != null || keepMonthly != null || maxTotalSize != null;
        if (!given) {
            return workspace().config().retention();
        }
        return new RetentionPolicy(count("--keep-last", keepLast), keepWithin, count("--keep-hourly", keepHourly),
                count("--keep-daily", keepDaily), count("--keep-weekly", keepWeekly),
                count("--keep-monthly", keepMonthly), maxTotalSize == null ? 0 : maxTotalSize);
    }

    private int count(String option, Integer value) {
        if (value != null && value < 0) {
            throw usage(option + " cannot be negative, got " + value);
        }
        return value == null ? 0 : value;
    }

    private void printText(PrunePlan plan, boolean allMemories) {
        List<Row> rows = new ArrayList<>();
        plan.remove().forEach(d -> rows.add(new Row(dryRun ? "would prune" : "pruned", d)));
        if (verbose) {
            plan.keep().forEach(d -> rows.add(new Row("keep", d)));
        }
        rows.sort(Comparator.comparing((Row r) -> r.decision.snapshot().metadata(), SnapshotMetadata.NEWEST_FIRST));
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows) {
            StoredSnapshot s = r.decision.snapshot();
            List<String> cell = new ArrayList<>();
            if (allMemories) {
                cell.add(Text.line(s.metadata().memoryId()));
            }
            cell.addAll(List.of(r.action, s.snapshotId(), Text.time(s.metadata().timestamp()),
                    Text.size(s.storedBytes()), Text.line(String.join(", ", r.decision.reasons()))));
            cells.add(cell);
        }
        if (!cells.isEmpty()) {
            List<String> header = new ArrayList<>(allMemories ? List.of("MEMORY") : List.of());
            header.addAll(List.of("ACTION", "ID", "TAKEN", "SIZE", "WHY"));
            boolean[] right = allMemories ? new boolean[] {false, false, false, false, true, false}
                    : new boolean[] {false, false, false, true, false};
            out().print(Text.table(header, right, cells));
        }
        String pruned = Text.count(plan.remove().size(), "snapshot") + " (" + Text.size(plan.bytesFreed()) + ")";
        String where = "";
        if (allMemories) {
            long memories = java.util.stream.Stream.concat(plan.keep().stream(), plan.remove().stream())
                    .map(d -> d.snapshot().metadata().memoryId()).distinct().count();
            where = " in " + Text.count(memories, "memory");
        }
        out().println(dryRun
                ? "dry run: would prune " + pruned + " and keep " + plan.keep().size() + where
                        + "; nothing was deleted"
                : "pruned " + pruned + ", kept " + plan.keep().size() + where);
    }

    private ObjectNode json(PrunePlan plan, RetentionPolicy policy, String memoryId) {
        ObjectNode root = Json.object();
        root.put("dry_run", dryRun);
        root.put("memory_id", memoryId);
        ObjectNode p = root.putObject("policy");
        p.put("keep_last", policy.keepLast());
        p.put("keep_within", policy.keepWithin() == null ? null : policy.keepWithin().toString());
        p.put("keep_hourly", policy.keepHourly());
        p.put("keep_daily", policy.keepDaily());
        p.put("keep_weekly", policy.keepWeekly());
        p.put("keep_monthly", policy.keepMonthly());
        p.put("max_total_size", policy.maxTotalBytes());
        ArrayNode pruned = root.putArray("pruned");
        plan.remove().forEach(d -> pruned.add(Json.decision(d)));
        ArrayNode kept = root.putArray("kept");
        plan.keep().forEach(d -> kept.add(Json.decision(d)));
        root.put("bytes_freed", plan.bytesFreed());
        return root;
    }

    private record Row(String action, PrunePlan.Decision decision) {
    }
}
