package dev.memsnap.cli;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.Limits;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.store.FileStores;
import dev.memsnap.core.tools.SnapshotTools;
import dev.memsnap.core.tools.SnapshotTools.CopyResult;
import dev.memsnap.core.tools.SnapshotTools.Progress;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code memsnap import}: copies snapshot directories and single snapshot files into the configured store. */
@Command(name = "import", header = "Copy snapshot directories and files into the store.",
        description = {
                "Copies snapshots into the configured store, written in its format: every snapshot of each "
                        + "snapshot directory given (with labels and pins), and each snapshot file given.",
                "Sources may be plain, gzip or encrypted; they are decrypted with the configured keys and any "
                        + "--from-key option. A snapshot already stored with the same id is replaced. Exits 3 "
                        + "(before importing anything) when a source does not exist, 4 when some snapshots could "
                        + "not be read; the rest are still imported.",
        })
final class ImportCommand extends BaseCommand {
    @Parameters(paramLabel = "DIR|FILE", arity = "1..*",
            description = "Snapshot directories and snapshot files to import.")
    List<Path> sources = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    KeyOptions.Source key;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Mixin
    ProgressOption progress;

    @Override
    int run() throws IOException {
        Workspace workspace = workspace();
        List<Path> dirs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path source : sources) {
            Path path = context().resolve(source);
            if (Files.isDirectory(path)) {
                if (ExportCommand.sameDirectory(path, workspace.snapshotDir())) {
                    throw usage(path + " is the snapshot directory itself: nothing to import");
                }
                dirs.add(path);
            } else if (Files.exists(path)) {
                files.add(path);
            } else {
                throw new SnapshotNotFoundException("no such snapshot file or directory: " + source);
            }
        }
        KeyRing configured = workspace.keyRing();
        KeyRing extra = key == null ? null : workspace.ring(key.source(context()));
        KeyRing reading = extra == null ? configured : configured == null ? extra : extra.readingAlso(configured);
        // Reading detects every layer; what it would write is never used.
        SnapshotCodec sourceCodec = new SnapshotCodec(new SnapshotJson(), Compression.NONE, 6,
                reading == null ? null : () -> reading);

        StoreHandle target = store(Workspace.Access.CREATE);
        RecordingStore recording = new RecordingStore(target.store());
        CopyReport report = new CopyReport();
        for (Path dir : dirs) {
            SnapshotStore source = FileStores.open(dir, sourceCodec); // only read: not started, nothing created
            CopyResult result = new SnapshotTools(source).copyTo(recording, progress(progress.progress, "import"));
            endProgress();
            report.add(result, recording, id -> dir.resolve(id).toString());
        }
        Progress fileProgress = files.isEmpty() ? Progress.NONE : progress(progress.progress, "import");
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            try (InputStream in = Limits.openRegularFile(file, SnapshotJson.MAX_DOCUMENT_BYTES, file.toString())) {
                MemorySnapshot snapshot = sourceCodec.read(in, file.toString());
                target.store().save(snapshot);
                report.copied++;
            } catch (SnapshotStoreException e) {
                throw e; // the target failed: stop, as every further file would fail the same way
            } catch (SnapshotException e) {
                report.failures.add(new CopyReport.Failure(file.toString(), e.getMessage()));
            }
            fileProgress.update(i + 1, files.size());
        }
        endProgress();

        if (json) {
            printJson(report.json(target.dir(), workspace.codec()));
        } else {
            out().println("imported " + Text.count(report.copied, "snapshot") + " into "
                    + Text.line(target.dir().toString()) + " (" + CopyReport.describe(workspace.codec()) + ")");
        }
        report.printFailures(this, "imported");
        return report.exitCode();
    }
}
