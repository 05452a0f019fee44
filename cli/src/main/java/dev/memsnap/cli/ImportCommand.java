package dev.memsnap.cli;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.EncryptionConfig;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.Limits;
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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
        Set<String> existing = new HashSet<>(target.store().storedIds());
        for (Path dir : dirs) {
            StoreHandle source = closeLater(workspace.open(config.withSnapshotDir(dir).withStore(fromStore)
                    .withEncryption(sourceKeys), Workspace.Access.READ));
            CopyResult result = copy(scoped(source, source.store(), memoryId), recording, existing,
                    progress(progress.progress, "import"));
            endProgress();
            report.add(result, recording, id -> dir.resolve(id).toString());
        }
        Progress fileProgress = files.isEmpty() ? Progress.NONE : progress(progress.progress, "import");
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            try (InputStream in = Limits.openRegularFile(file, SnapshotJson.MAX_DOCUMENT_BYTES, file.toString())) {
                MemorySnapshot snapshot = sourceCodec.read(in, file.toString());
                Optional<Boolean> write = admit(target.store(), existing, snapshot);
                if (write.isEmpty()) {
                    report.failures.add(new CopyReport.Failure(file.toString(), conflict(snapshot, target)));
                } else {
                    if (write.get()) {
                        target.store().save(snapshot);
                        existing.add(snapshot.snapshotId());
                    }
                    report.copied++;
                }
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
     * Copies every snapshot of {@code source} and its tags, as {@link SnapshotTools#copyTo} does, but never replaces
     * a stored snapshot with a different one.
     */
    private CopyResult copy(SnapshotStore source, RecordingStore target, Set<String> existing, Progress progress) {
        SnapshotTools tools = new SnapshotTools(source);
        List<String> ids = new ArrayList<>(source.storedIds());
        ids.sort(null);
        int copied = 0;
        List<Verification> failures = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            try {
                MemorySnapshot snapshot;
                SnapshotTags tags;
                try {
                    snapshot = tools.get(id);
                    tags = source.tags(id);
                } catch (SnapshotNotFoundException gone) {
                    continue; // deleted by someone else meanwhile: nothing to copy
                } catch (SnapshotException unreadable) {
                    failures.add(new Verification(id, false, unreadable.getMessage()));
                    continue;
                }
                Optional<Boolean> write = admit(target, existing, snapshot);
                if (write.isEmpty()) {
                    failures.add(new Verification(id, false, conflict(snapshot, null)));
                    continue;
                }
                // a failure to write (a full disk, say) is the target's and would repeat: it stops the copy
                if (write.get()) {
                    target.save(snapshot);
                    existing.add(id);
                }
                if (!tags.isEmpty()) {
                    target.setTags(id, tags);
                }
                copied++;
            } finally {
                progress.update(i + 1, ids.size());
            }
        }
        return new CopyResult(copied, failures);
    }

    /**
     * Snapshots are immutable: one whose id is stored already is imported only when it is the same snapshot.
     *
     * @return whether to write it (false: the same snapshot is stored already), or empty when a different snapshot
     *         is stored under its id (or the stored one cannot be read to compare)
     */
    private static Optional<Boolean> admit(SnapshotStore target, Set<String> existing, MemorySnapshot snapshot) {
        if (!existing.contains(snapshot.snapshotId())) {
            return Optional.of(true);
        }
        Optional<MemorySnapshot> stored;
        try {
            stored = target.read(snapshot.snapshotId());
        } catch (SnapshotNotFoundException gone) {
            return Optional.of(true);
        } catch (SnapshotException unreadable) {
            return Optional.empty();
        }
        if (stored.isEmpty()) {
            return Optional.of(true);
        }
        return stored.get().equals(snapshot) ? Optional.of(false) : Optional.empty();
    }

    private static String conflict(MemorySnapshot snapshot, StoreHandle target) {
        return "snapshot " + snapshot.snapshotId() + " is already stored" + (target == null ? ""
                : " in " + target.dir()) + " with different content (or unreadable): snapshots are immutable, so it "
                + "was not imported; delete the stored one first to replace it";
    }

    /**
     * A snapshot file holds a snapshot of one memory, which it keeps when imported: one of another memory than the
     * one asked for stops the import before anything is written (exit 2), rather than land where it was not asked
     * for or be skipped unseen. A file that cannot be read is left to the import itself, which reports it.
     */
    private void requireMemory(List<Path> files, SnapshotCodec codec, String memoryId) throws IOException {
        for (Path file : files) {
            String of;
            // never a plain open: a FIFO would block here; what is not a small regular file the import refuses
            try (InputStream in = Limits.openRegularFile(file, SnapshotJson.MAX_DOCUMENT_BYTES, file.toString())) {
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
