package dev.memsnap.cli;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.format.SnapshotJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code memsnap show}: one snapshot, whole. */
@Command(name = "show", header = "Show one snapshot: statistics, turns, memories.",
        description = "Shows one snapshot: its statistics, every turn and every memory.")
final class ShowCommand extends BaseCommand {
    @Parameters(paramLabel = "ID|FILE",
            description = "A stored snapshot's id (or latest, latest~N, or a unique prefix of its hex or time "
                    + "part), or a snapshot file (plain, gzip or encrypted).")
    String ref;

    @Mixin
    MemoryOptions.One memory;

    @Option(names = "--json", description = "Print the snapshot in the snapshot file format (plain JSON).")
    boolean json;

    @Override
    int run() throws Exception {
        SnapshotRefs.Loaded loaded = SnapshotRefs.load(ref, context(), workspace().codec(), workspace().config().snapshotDir(),
                () -> store(Workspace.Access.READ),
                memory.memoryId);
        if (json) {
            out().print(new String(new SnapshotJson().toBytes(loaded.snapshot()), StandardCharsets.UTF_8));
            out().println();
        } else {
            out().print(describe(loaded));
        }
        return ExitCodes.OK;
    }

    private static String describe(SnapshotRefs.Loaded loaded) {
        MemorySnapshot s = loaded.snapshot();
        MemorySnapshot.MemoryStats stats = s.memoryStats();
        MemorySnapshot.LongTermStats lt = stats.longTerm();
        StringBuilder out = new StringBuilder();
        field(out, "snapshot", s.snapshotId());
        field(out, "taken", Text.time(s.timestamp()));
        field(out, "memory", Text.line(s.memoryId()));
        if (s.parentSnapshotId() != null) {
            field(out, "parent", Text.line(s.parentSnapshotId()));
        }
        if (loaded.file() != null) {
            field(out, "file", Text.line(loaded.file().toString()));
        }
        if (loaded.tags() != null) {
            field(out, "labels", loaded.tags().labels().isEmpty() ? "-"
                    : Text.line(String.join(", ", loaded.tags().labels())));
            field(out, "pinned", loaded.tags().pinned() ? "yes" : "no");
        }
        field(out, "session", "started " + Text.time(s.shortTerm().sessionStart()) + ", "
                + String.format(Locale.ROOT, "%.1f s", stats.shortTerm().sessionDuration()) + " before the snapshot");
        field(out, "turns", String.valueOf(s.shortTerm().turns().size()));
        List<String> types = new ArrayList<>();
        lt.sourceTypes().forEach((type, n) -> types.add(Text.line(type) + " " + n));
        field(out, "memories", s.longTerm().memories().size()
                + (types.isEmpty() ? "" : " (" + String.join(", ", types) + ")")
                + String.format(Locale.ROOT, ", average importance %.3f", lt.averageImportance()));
        if (lt.oldestMemory() != null) {
            field(out, "formed", time(lt.oldestMemory()) + " to " + time(lt.newestMemory()));
        }
        field(out, "topics", list(s.longTerm().topics()));
        field(out, "recent", list(stats.recentTopics()));
        if (!lt.userSummaryKeys().isEmpty()) {
            field(out, "summary", list(lt.userSummaryKeys()));
        }
        field(out, "last tool", stats.lastToolUsed() == null ? "-" : Text.line(stats.lastToolUsed()));

        out.append("\nturns:\n");
        List<Turn> turns = s.shortTerm().turns();
        if (turns.isEmpty()) {
            out.append("  (none)\n");
        }
        for (int i = 0; i < turns.size(); i++) {
            Turn t = turns.get(i);
            String head = "  [" + i + "] " + Text.line(t.role()) + ": ";
            out.append(head).append(Text.block(t.content(), " ".repeat(head.length()))).append('\n');
        }

        out.append("\nmemories:\n");
        if (s.longTerm().memories().isEmpty()) {
            out.append("  (none)\n");
        }
        for (Map.Entry<String, Memory> e : s.longTerm().memories().entrySet()) {
            Memory m = e.getValue();
            out.append("  ").append(Text.line(e.getKey()))
                    .append("  ").append(m.sourceType() == null ? "-" : Text.line(m.sourceType()))
                    .append("  importance ").append(m.importance())
                    .append("  ").append(time(m.timestamp()))
                    .append("  topics ").append(list(m.topics())).append('\n');
            out.append("    ").append(Text.block(m.content(), "    ")).append('\n');
            m.metadata().forEach((key, value) -> {
                if (!key.equals(Memory.SOURCE_TYPE) && !key.equals(Memory.TOPICS)) {
                    out.append("    ").append(Text.line(key)).append(": ")
                            .append(Text.line(Text.abridged(Json.compact(value), METADATA_WIDTH)))
                            .append('\n');
                }
            });
        }
        return out.toString();
    }

    /**
     * How much of one metadata value the text view shows: an integration's value (LangChain4j keeps a segment's
     * vector, kilobytes of base64) would bury the memories; {@code --json} shows every value whole.
     */
    private static final int METADATA_WIDTH = 160;

    private static void field(StringBuilder out, String name, String value) {
        out.append(String.format("%-10s %s%n", name, value));
    }

    private static String time(LocalDateTime t) {
        return Text.time(t);
    }

    private static String list(List<String> values) {
        return values.isEmpty() ? "-" : Text.line(String.join(", ", values));
    }
}
