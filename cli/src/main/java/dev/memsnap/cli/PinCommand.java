package dev.memsnap.cli;

import dev.memsnap.api.store.SnapshotTags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memsnap pin}: keeps a stored snapshot from ever being pruned. */
@Command(name = "pin", header = "Keep a snapshot from ever being pruned.",
        description = "Pins a stored snapshot: prune always keeps it, whatever the rules say.")
class PinCommand extends BaseCommand {
    @Parameters(paramLabel = "ID",
            description = "A stored snapshot's id, latest, latest~N, or a unique prefix of its hex or time part.")
    String id;

    @Option(names = "--json", description = "Print the snapshot's labels and pin as JSON.")
    boolean json;

    /** @return whether this command pins (else it unpins) */
    boolean pinning() {
        return true;
    }

    @Override
    int run() {
        SnapshotRefs.requireRef(id);
        StoreHandle handle = store(Workspace.Access.MODIFY);
        String snapshotId = SnapshotRefs.resolve(id, handle.store());
        SnapshotTags tags = handle.tools().pin(snapshotId, pinning());
        print(this, snapshotId, tags, json);
        return ExitCodes.OK;
    }

    /** Prints a snapshot's tags after {@code label}, {@code pin} or {@code unpin}. */
    static void print(BaseCommand command, String id, SnapshotTags tags, boolean json) {
        if (json) {
            command.printJson(Json.tags(id, tags));
        } else {
            command.out().println(id + ": labels " + (tags.labels().isEmpty() ? "-"
                    : Text.line(String.join(", ", tags.labels()))) + "; " + (tags.pinned() ? "pinned" : "not pinned"));
        }
    }
}
