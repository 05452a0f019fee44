package dev.memsnap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.store.GarbageCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code memsnap gc}: frees what deleted snapshots leave in stores whose snapshots share pieces. */
@Command(name = "gc", header = "Free the stored pieces no snapshot names any more.",
        description = {
                "Stores that keep each memory once and share it between snapshots (memory.store: incremental, "
                        + "and the PostgreSQL store) keep a deleted snapshot's pieces until they are collected: "
                        + "this removes those no snapshot names, and says how many and how much. prune collects "
                        + "by itself after it deletes; retention after automatic snapshots does too, now and then.",
                "A piece a save may still be writing or reusing is kept (the incremental store keeps what was "
                        + "written or reused in the last 10 minutes), so gc is safe while the host runs.",
                "The plain file store keeps every snapshot whole: there is nothing to collect.",
        })
final class GcCommand extends BaseCommand {
    @Option(names = "--dry-run", description = "Only say what would be freed; delete nothing.")
    boolean dryRun;

    @Option(names = "--memory", paramLabel = "ID", converter = MemoryOptions.MemoryId.class,
            description = "Collect only where this memory's pieces are kept apart (its directory). "
                    + "Default: the whole store.")
    String memoryId;

    @Option(names = "--json", description = "Print the outcome as JSON.")
    boolean json;

    @Override
    int run() {
        StoreHandle handle = store(dryRun ? Workspace.Access.READ : Workspace.Access.MODIFY);
        GarbageCollection collected = memoryId == null ? handle.store().collectGarbage(dryRun)
                : handle.store().collectGarbage(memoryId, dryRun);
        if (json) {
            ObjectNode root = Json.object();
            root.put("dry_run", dryRun);
            root.put("memory_id", memoryId);
            root.put("pieces", collected.pieces());
            root.put("bytes", collected.bytes());
            printJson(root);
        } else {
            out().println(describe(collected));
        }
        return ExitCodes.OK;
    }

    /** @return one line saying what a collection freed or would free */
    static String describe(GarbageCollection collected) {
        if (collected.pieces() == 0) {
            return collected.dryRun() ? "dry run: nothing to collect" : "nothing to collect";
        }
        String what = Text.count(collected.pieces(), "unreferenced piece") + " (" + Text.size(collected.bytes()) + ")";
        return collected.dryRun() ? "dry run: would free " + what + "; nothing was deleted" : "freed " + what;
    }
}
