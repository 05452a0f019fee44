package dev.memsnap.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code memsnap forget --memory ID [--shred]}: deletes one memory's snapshots, or shreds them. */
@Command(name = "forget", header = "Delete one memory's snapshots; with --shred, destroy its key too.",
        description = {
                "Deletes every stored snapshot of the memory given by --memory (the right to erasure); other "
                        + "memories are untouched.",
                "With --shred (encrypted file, incremental and postgres stores), first destroys the memory's own "
                        + "data key (a file overwritten, deleted, the directory synced; or the row of "
                        + "memsnap_data_keys, deleted and committed), so that no copy of those snapshots taken "
                        + "before, in a backup or anywhere, can be read again. A backup that also holds "
                        + "snapshot_dir/.memsnap/keys (or the memsnap_data_keys table) keeps a copy of the key: "
                        + "exclude it from backups, or shred those too.",
        })
final class ForgetCommand extends BaseCommand {
    @Option(names = "--memory", paramLabel = "ID", required = true, converter = MemoryOptions.MemoryId.class,
            description = "The memory to forget.")
    String memoryId;

    @Option(names = "--shred", description = "Destroy the memory's data key before deleting its snapshots.")
    boolean shred;

    @Override
    int run() {
        StoreHandle handle = store(Workspace.Access.MODIFY);
        int deleted = shred ? handle.store().shredMemory(memoryId) : handle.store().deleteMemory(memoryId);
        out().println((shred ? "shredded memory " + Text.line(memoryId) + ": its data key is destroyed and "
                : "forgot memory " + Text.line(memoryId) + ": ") + Text.count(deleted, "snapshot") + " deleted");
        return ExitCodes.OK;
    }
}
