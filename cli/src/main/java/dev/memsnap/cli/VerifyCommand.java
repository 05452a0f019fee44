package dev.memsnap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.tools.SnapshotTools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;

/** {@code memsnap verify}: reads every stored snapshot whole and reports the damaged. */
@Command(name = "verify", header = "Check every stored snapshot (exit 1 on damage).",
        description = {
                "Reads every stored snapshot of one memory (--memory, default: default) or of every memory "
                        + "(--all-memories) whole and checks everything that can be checked: its checksum, each "
                        + "layer of its encoding (gzip CRC, encryption tags), its content.",
                "Prints each damaged snapshot with the reason, then a summary. Exits 0 when all are intact, 1 when "
                        + "any is damaged (a snapshot encrypted with a key not given counts as damaged).",
        })
final class VerifyCommand extends BaseCommand {
    @Option(names = {"-v", "--verbose"}, description = "Also list the intact snapshots.")
    boolean verbose;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Mixin
    ProgressOption progress;

    @Mixin
    MemoryOptions.OneOrAll memory;

    @Override
    int run() {
        String memoryId = memory.memoryId();
        StoreHandle handle = store(Workspace.Access.READ);
        long started = System.nanoTime();
        List<Verification> results = new SnapshotTools(scoped(handle, handle.store(), memoryId))
                .verify(progress(progress.progress, "verify"));
        double seconds = (System.nanoTime() - started) / 1e9;
        endProgress();
        long damaged = results.stream().filter(v -> !v.intact()).count();

        if (json) {
            ObjectNode root = Json.object();
            root.put("memory_id", memoryId);
            root.put("checked", results.size());
            root.put("intact", results.size() - damaged);
            root.put("damaged", damaged);
            ArrayNode array = root.putArray("results");
            results.forEach(v -> array.add(Json.verification(v)));
            printJson(root);
        } else {
            for (Verification v : results) {
                if (!v.intact() || verbose) {
                    out().println((v.intact() ? "ok       " : "DAMAGED  ") + v.snapshotId() + "  "
                            + Text.line(v.detail()));
                }
            }
            out().println(String.format(Locale.ROOT, "verified %s in %.1f s: %d intact, %d damaged",
                    Text.count(results.size(), "snapshot"), seconds, results.size() - damaged, damaged));
        }
        return damaged == 0 ? ExitCodes.OK : ExitCodes.DIFFERENT;
    }
}
