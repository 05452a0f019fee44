package dev.memsnap.cli;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.EncryptionConfig;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
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
                "Copies snapshots into the configured store (file, incremental or a plugin's), written in its "
                        + "format: the snapshots of one memory (--memory, default: default) or of every memory "
                        + "(--all-memories) of each snapshot directory given (with labels and pins; a file "
                        + "store unless --from-store says incremental), and each snapshot file given. Every "
                        + "snapshot keeps its memory id; a file of another memory than --memory stops the import "
                        + "before anything is written (exit 2).",
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

    @Option(names = "--from-store", paramLabel = "NAME", defaultValue = MemoryConfig.DEFAULT_STORE,
            description = "The kind of store the directories given are: file (snapshot files, as export writes "
                    + "them) or incremental. Default: file.")
    String fromStore;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Mixin
    ProgressOption progress;

    @Mixin
    MemoryOptions.OneOrAll memory;

    @Override
    int run() throws IOException {
        String memoryId = memory.memoryId();
        Workspace workspace = workspace();
        if (!Workspace.isDirectoryStore(fromStore)) {
            throw usage("--from-store must be file or incremental, a store in a directory, not \""
                    + Text.line(fromStore) + "\"");
        }
        List<Path> dirs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path source : sources) {
            Path path = context().resolve(source);
            if (Files.isDirectory(path)) {
                if (workspace.directoryStore() && ExportCommand.sameDirectory(path, workspace.snapshotDir())) {
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
        if (memoryId != null) {
            requireMemory(files, sourceCodec, memoryId);
        }
        // Directories are opened as stores, with the same keys: the --from key, then the configured ones.
        MemoryConfig config = workspace.config();
        EncryptionConfig sourceKeys = key == null ? config.encryption()
                : Workspace.readingAlso(key.source(context()), config.encryption());

        StoreHandle target = store(Workspace.Access.CREATE);
        RecordingStore recording = new RecordingStore(target.store());
        CopyReport report = new CopyReport();
        for (Path dir : dirs) {
            StoreHandle source = closeLater(workspace.open(config.withSnapshotDir(dir).withStore(fromStore)
                    .withEncryption(sourceKeys), Workspace.Access.READ));
            CopyResult result = new SnapshotTools(scoped(source, source.store(), memoryId))
                    .copyTo(recording, progress(progress.progress, "import"));
            endProgress();
            report.add(result, recording, id -> dir.resolve(id).toString());
        }
        Progress fileProgress = files.isEmpty() ? Progress.NONE : progress(progress.progress, "import");
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            try (InputStream in = Files.newInputStream(file)) {
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
            printJson(report.json(target, target.codec()));
        } else {
            out().println("imported " + Text.count(report.copied, "snapshot") + " into "
                    + Text.line(target.where()) + " (" + CopyReport.describe(target.codec()) + ")");
        }
        report.printFailures(this, "imported");
        return report.exitCode();
    }

    /**
     * A snapshot file holds a snapshot of one memory, which it keeps when imported: one of another memory than the
     * one asked for stops the import before anything is written (exit 2), rather than land where it was not asked
     * for or be skipped unseen. A file that cannot be read is left to the import itself, which reports it.
     */
    private void requireMemory(List<Path> files, SnapshotCodec codec, String memoryId) throws IOException {
        for (Path file : files) {
            String of;
            try (InputStream in = Files.newInputStream(file)) {
                of = codec.readMetadata(in, file.toString()).memoryId();
            } catch (SnapshotException | IOException unreadable) {
                continue;
            }
            if (!of.equals(memoryId)) {
                throw usage(Text.line(file.toString()) + " holds a snapshot of memory " + MemoryOptions.quote(of)
                        + ", not of memory " + MemoryOptions.quote(memoryId) + ": give --memory " + Text.line(of)
                        + ", or --all-memories to import each snapshot into its own memory");
            }
        }
    }
}
