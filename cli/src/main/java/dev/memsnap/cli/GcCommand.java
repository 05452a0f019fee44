package dev.memsnap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.store.GarbageCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code memsnap gc}: frees the pieces deleted snapshots left in a store that shares pieces between snapshots. */
@Command(name = "gc", header = "Free what deleted snapshots left behind.",
        description = {
                "Removes the stored pieces no snapshot names any more: in the incremental store, chunks (a pack "
                        + "wholly unreferenced is deleted, one mostly unreferenced is repacked), in the postgres "
                        + "store, unreferenced rows. A store that keeps each snapshot whole (the file store) has "
                        + "nothing to collect. prune collects after it deletes; gc is for deletions made otherwise.",
                "A save in progress is never raced: collection waits for it, and the incremental store's chunk "
                        + "files from before packs are kept until 10 minutes after they were last used.",
        })
final class GcCommand extends BaseCommand {
    @Option(names = "--dry-run", description = "Only say what would be freed; remove nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    int run() {
        StoreHandle handle = store(dryRun ? Workspace.Access.READ : Workspace.Access.MODIFY);
        GarbageCollection collected = handle.store().collectGarbage(dryRun);
        if (json) {
            printJson(json(collected));
        } else {
            out().println(describe(collected));
        }
        return ExitCodes.OK;
    }

    /** @return one line saying what was or would be freed */
    static String describe(GarbageCollection collected) {
        if (collected.pieces() == 0) {
            return collected.dryRun() ? "dry run: nothing to collect" : "nothing to collect";
        }
        String freed = Text.count(collected.pieces(), "chunk") + " (" + Text.size(collected.bytes()) + ")";
        return collected.dryRun() ? "dry run: would free " + freed + "; nothing was removed" : "freed " + freed;
    }

    static ObjectNode json(GarbageCollection collected) {
        ObjectNode root = Json.object();
        root.put("dry_run", collected.dryRun());
        root.put("chunks", collected.pieces());
        root.put("bytes", collected.bytes());
        return root;
    }
}
