package dev.memsnap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.tools.SnapshotFilter;
import dev.memsnap.core.tools.SnapshotTools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** {@code memsnap list}: the stored snapshots that pass the filters, newest first. */
@Command(name = "list", header = "List stored snapshots, with filters.",
        description = {
                "Lists the stored snapshots of one memory (--memory, default: default) or of every memory "
                        + "(--all-memories), newest first: those that pass every filter given.",
                "Snapshots that cannot be read (damaged, or encrypted with a key not given) are named on stderr "
                        + "and make the exit code 4; the listing shows the rest.",
        })
final class ListCommand extends BaseCommand {
    private static final List<String> HEADER =
            List.of("ID", "TAKEN", "TURNS", "MEMORIES", "TOPICS", "SIZE", "LABELS", "PIN");
    private static final boolean[] RIGHT = {false, false, true, true, true, true, false, false};

    @Option(names = "--from", paramLabel = "TIME", converter = Converters.From.class,
            description = "Taken at or after TIME: an ISO date-time (UTC unless it has an offset) or a date.")
    LocalDateTime from;

    @Option(names = "--to", paramLabel = "TIME", converter = Converters.To.class,
            description = "Taken at or before TIME; a date includes all of that day.")
    LocalDateTime to;

    @Option(names = "--text", paramLabel = "TEXT",
            description = "With TEXT in a turn or memory (case-insensitive).")
    String text;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "With a memory of topic TOPIC.")
    String topic;

    @Option(names = "--source-type", paramLabel = "TYPE",
            description = "With a memory of source type TYPE (fact, preference, ...).")
    String sourceType;

    @Option(names = "--min-importance", paramLabel = "X",
            description = "With a memory at least X important. With --topic and --source-type, one memory must "
                    + "meet all three.")
    Double minImportance;

    @Option(names = "--label", paramLabel = "LABEL",
            description = "Labelled LABEL; repeat it for snapshots with every label given.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--pinned", description = "Only pinned snapshots.")
    boolean pinned;

    @Option(names = "--json", description = "Print a JSON array, one object per snapshot.")
    boolean json;

    @Mixin
    MemoryOptions.OneOrAll memory;

    @Override
    int run() {
        SnapshotFilter filter = new SnapshotFilter(from, to, text, topic, sourceType, minImportance,
                new LinkedHashSet<>(labels), pinned);
        String memoryId = memory.memoryId();
        StoreHandle handle = store(Workspace.Access.READ);
        RecordingStore recording = new RecordingStore(handle.store());
        SnapshotStore scope = scoped(handle, recording, memoryId);
        List<String> stored = scope.storedIds();
        List<StoredSnapshot> found = new SnapshotTools(scope).find(filter);
        List<Verification> unreadable = recording.unreadable(stored);

        if (json) {
            ArrayNode array = Json.array();
            found.forEach(s -> array.add(Json.stored(s)));
            printJson(array);
        } else {
            printTable(found, stored.isEmpty(), memoryId == null);
        }
        reportUnreadable(unreadable, "cannot list");
        return unreadable.isEmpty() ? ExitCodes.OK : ExitCodes.DAMAGED;
    }

    private void printTable(List<StoredSnapshot> found, boolean storeEmpty, boolean allMemories) {
        if (found.isEmpty()) {
            out().println(storeEmpty ? "no snapshots" : "no snapshots match");
            return;
        }
        List<String> header = HEADER;
        boolean[] right = RIGHT;
        if (allMemories) {
            header = new ArrayList<>(List.of("MEMORY"));
            header.addAll(HEADER);
            right = new boolean[RIGHT.length + 1];
            System.arraycopy(RIGHT, 0, right, 1, RIGHT.length);
        }
        List<List<String>> rows = new ArrayList<>();
        long total = 0;
        for (StoredSnapshot s : found) {
            SnapshotMetadata m = s.metadata();
            total += Math.max(0, s.storedBytes());
            List<String> row = new ArrayList<>();
            if (allMemories) {
                row.add(Text.line(m.memoryId()));
            }
            row.addAll(List.of(m.snapshotId(), Text.time(m.timestamp()),
                    String.valueOf(m.shortTermTurns()), String.valueOf(m.longTermMemories()),
                    String.valueOf(m.topics()), Text.size(s.storedBytes()),
                    s.tags().labels().isEmpty() ? "-" : Text.line(String.join(",", s.tags().labels())),
                    s.tags().pinned() ? "yes" : "-"));
            rows.add(row);
        }
        out().print(Text.table(header, right, rows));
        String summary = Text.count(found.size(), "snapshot") + ", " + Text.size(total);
        if (allMemories) {
            summary += ", " + Text.count(found.stream().map(s -> s.metadata().memoryId()).distinct().count(),
                    "memory");
        }
        out().println(summary);
    }
}
