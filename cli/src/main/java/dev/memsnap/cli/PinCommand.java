package dev.memsnap.cli;

import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.store.OneMemoryStore;
import dev.memsnap.core.tools.SnapshotTools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    MemoryOptions.One memory;

    /** @return whether this command pins (else it unpins) */
    boolean pinning() {
        return true;
    }

    @Override
    int run() {
        SnapshotRefs.requireRef(id);
        String snapshotId = SnapshotRefs.resolve(id, store(Workspace.Access.MODIFY).memory(memory.memoryId));
        SnapshotTags tags = new SnapshotTools(inMemory(this, snapshotId, memory.memoryId)).pin(snapshotId, pinning());
        print(this, snapshotId, tags, json);
        return ExitCodes.OK;
    }

    /**
     * @param command    the command, whose store to open for changes
     * @param snapshotId a valid snapshot id
     * @param memoryId   the memory it must be a snapshot of
     * @return the store as that memory sees it
     * @throws dev.memsnap.api.SnapshotNotFoundException when that memory has no such snapshot (a damaged one
     *                                                   counts, so that it can still be labelled)
     */
    static SnapshotStore inMemory(BaseCommand command, String snapshotId, String memoryId) {
        StoreHandle handle = command.store(Workspace.Access.MODIFY);
        OneMemoryStore view = handle.memory(memoryId);
        boolean there;
        try {
            there = view.read(snapshotId).isPresent();
        } catch (SnapshotException unreadable) {
            there = view.storedIds().contains(snapshotId);
        }
        if (!there) {
            throw BaseCommand.notInMemory(handle, memoryId, snapshotId);
        }
        return view;
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
