package dev.memsnap.cli;

import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.compare.DiffFormat;
import dev.memsnap.core.compare.SnapshotComparator;
import dev.memsnap.core.compare.SnapshotDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memsnap diff}: what changed between two snapshots; exits like diff(1). */
@Command(name = "diff", header = "Compare two snapshots (exit 1 when they differ).",
        description = {
                "Shows what changed from snapshot A to snapshot B: turns added and removed, memories added, "
                        + "removed and changed field by field, topics gained and lost, and how the statistics moved.",
                "Exits 0 when both hold identical memory (ids and times may differ), 1 when they differ.",
        })
final class DiffCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "A", description = "The earlier snapshot: an id (or latest~N, or a unique prefix) or a snapshot file.")
    String before;

    @Parameters(index = "1", paramLabel = "B", description = "The later snapshot: an id (or latest, or a unique prefix) or a snapshot file.")
    String after;

    @Mixin
    MemoryOptions.One memory;

    @Option(names = "--json", description = "Print the difference as JSON.")
    boolean json;

    @Override
    int run() throws Exception {
        SnapshotCodec codec = workspace().codec();
        var a = SnapshotRefs.load(before, context(), codec, workspace().config().snapshotDir(),
                () -> store(Workspace.Access.READ),
                memory.memoryId);
        var b = SnapshotRefs.load(after, context(), codec, workspace().config().snapshotDir(),
                () -> store(Workspace.Access.READ),
                memory.memoryId);
        SnapshotDiff diff = SnapshotComparator.compare(a.snapshot(), b.snapshot());
        if (json) {
            printJson(DiffFormat.toJson(diff));
        } else {
            // Snapshot text goes to a terminal: control characters are escaped, line structure kept.
            out().print(Text.safe(DiffFormat.toText(diff), true));
        }
        return diff.isEmpty() ? ExitCodes.OK : ExitCodes.DIFFERENT;
    }
}
