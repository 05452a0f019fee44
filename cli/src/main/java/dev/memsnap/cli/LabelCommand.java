package dev.memsnap.cli;

import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.core.tools.SnapshotTools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code memsnap label}: adds and removes a stored snapshot's labels. */
@Command(name = "label", header = "Add and remove labels of a snapshot.",
        description = "Adds and removes labels of a stored snapshot (list --label finds them), and prints its "
                + "labels afterwards.")
final class LabelCommand extends BaseCommand {
    @Parameters(paramLabel = "ID",
            description = "A stored snapshot's id, latest, latest~N, or a unique prefix of its hex or time part.")
    String id;

    @Option(names = "--add", paramLabel = "LABEL", description = "Add LABEL; repeatable.")
    List<String> add = new ArrayList<>();

    @Option(names = "--remove", paramLabel = "LABEL", description = "Remove LABEL; repeatable.")
    List<String> remove = new ArrayList<>();

    @Option(names = "--json", description = "Print the snapshot's labels and pin as JSON.")
    boolean json;

    @Mixin
    MemoryOptions.One memory;

    @Override
    int run() {
        if (add.isEmpty() && remove.isEmpty()) {
            throw usage("give --add LABEL or --remove LABEL");
        }
        for (String label : add) {
            if (label.isBlank() || label.length() > 200 || !Text.line(label).equals(label)) {
                throw usage("a label must be 1 to 200 characters, not blank, without control characters: \""
                        + Text.line(label) + "\"");
            }
        }
        SnapshotRefs.requireRef(id); // a malformed id is a usage error even where there is no store
        String snapshotId = SnapshotRefs.resolve(id, store(Workspace.Access.MODIFY).memory(memory.memoryId));
        SnapshotTags tags = new SnapshotTools(PinCommand.inMemory(this, snapshotId, memory.memoryId))
                .label(snapshotId, new LinkedHashSet<>(add), Set.copyOf(remove));
        PinCommand.print(this, snapshotId, tags, json);
        return ExitCodes.OK;
    }
}
