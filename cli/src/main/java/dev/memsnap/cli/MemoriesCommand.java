package dev.memsnap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code memsnap memories}: the memory ids of the store, with their snapshot counts and sizes. */
@Command(name = "memories", header = "List the memory ids, with their snapshot counts and sizes.",
        description = {
                "Lists every memory id that has stored snapshots (a host keeps one memory per user, conversation "
                        + "or agent), sorted, with how many snapshots it has and the bytes they take.",
                "Snapshots that cannot be read are named on stderr and make the exit code 4.",
        })
final class MemoriesCommand extends BaseCommand {
    @Option(names = "--json", description = "Print a JSON array, one object per memory.")
    boolean json;

    /**
     * One memory.
     *
     * @param memoryId its id
     * @param count    its snapshots that can be listed
     * @param bytes    the bytes they take, or {@code -1} when the store does not know a size
     */
    record Row(String memoryId, int count, long bytes) {
    }

    @Override
    int run() {
        StoreHandle handle = store(Workspace.Access.READ);
        RecordingStore recording = new RecordingStore(handle.store());
        List<String> stored = recording.storedIds();
        List<Row> rows = new ArrayList<>();
        for (String memoryId : recording.memoryIds().stream().sorted().toList()) {
            List<StoredSnapshot> inventory = recording.inventory(memoryId);
            long bytes = inventory.stream().anyMatch(s -> s.storedBytes() < 0) ? -1
                    : inventory.stream().mapToLong(StoredSnapshot::storedBytes).sum();
            rows.add(new Row(memoryId, inventory.size(), bytes));
        }
        List<Verification> unreadable = recording.unreadable(stored);

        if (json) {
            ArrayNode array = Json.array();
            rows.forEach(r -> array.addObject().put("memory_id", r.memoryId()).put("snapshots", r.count())
                    .put("stored_bytes", r.bytes()));
            printJson(array);
        } else if (rows.isEmpty()) {
            out().println("no memories: the store holds no snapshots");
        } else {
            List<List<String>> cells = new ArrayList<>();
            long snapshots = 0;
            long bytes = 0;
            for (Row r : rows) {
                cells.add(List.of(Text.line(r.memoryId()), String.valueOf(r.count()), Text.size(r.bytes())));
                snapshots += r.count();
                bytes += Math.max(0, r.bytes());
            }
            out().print(Text.table(List.of("MEMORY", "SNAPSHOTS", "SIZE"), new boolean[] {false, true, true},
                    cells));
            out().println(Text.count(rows.size(), "memory") + ", " + Text.count(snapshots, "snapshot") + ", "
                    + Text.size(bytes));
        }
        reportUnreadable(unreadable, "cannot list");
        return unreadable.isEmpty() ? ExitCodes.OK : ExitCodes.DAMAGED;
    }
}
