package dev.memsnap.cli;

import dev.memsnap.api.MemoryManagers;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.EncryptionConfig;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.tools.SnapshotTools;
import dev.memsnap.core.tools.SnapshotTools.CopyResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code memsnap export}: copies the store, labels and pins included, into another directory and format. */
@Command(name = "export", header = "Copy the store into another directory and format.",
        description = {
                "Copies the stored snapshots of one memory (--memory, default: default) or of every memory "
                        + "(--all-memories) of the configured store (file, incremental or a plugin's), with their "
                        + "labels, pins and memory ids, into directory DIR (created if missing), as a file store "
                        + "unless --to-store says incremental, in the format chosen: compression, and the key to "
                        + "encrypt with or none.",
                "Without a --to-key option or --no-encrypt, the copy is encrypted as the configured store is "
                        + "(so an encrypted store is never exported in the clear by accident). A snapshot already "
                        + "in DIR with the same id is replaced. Exits 4 if some snapshots could not be read; "
                        + "the rest are still exported.",
        })
final class ExportCommand extends BaseCommand {
    @Option(names = "--to", paramLabel = "DIR", required = true, description = "Where to copy to.")
    Path to;

    @Option(names = "--compression", paramLabel = "none|gzip|zstd", converter = Converters.CompressionName.class,
            description = "Compression of the copy. Default: memory.compression.")
    Compression compression;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    KeyOptions.Target key;

    @Option(names = "--to-store", paramLabel = "NAME", defaultValue = MemoryConfig.DEFAULT_STORE,
            description = "The kind of store to write in DIR: file (one snapshot file each) or incremental. "
                    + "Default: file.")
    String toStore;

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
        Path target = context().resolve(to);
        if (!Workspace.isDirectoryStore(toStore)) {
            throw usage("--to-store must be file or incremental, a store in a directory, not \"" + Text.line(toStore)
                    + "\"; to copy into another kind of store, import into it");
        }
        StoreHandle source = store(Workspace.Access.READ);
        if (source.dir() != null && sameDirectory(source.dir(), target)) {
            throw usage("--to is the snapshot directory itself; to re-encrypt it in place, use rekey");
        }
        MemoryConfig config = workspace.config();
        EncryptionConfig encryption;
        if (key == null) {
            encryption = config.encryption();
        } else if (key.noEncrypt) {
            encryption = null;
        } else {
            encryption = new EncryptionConfig(key.source(context()), List.of());
        }
        MemoryConfig copyConfig = config.withSnapshotDir(target).withStore(toStore)
                .withCompression(compression != null ? compression : config.compression(), config.compressionLevel())
                .withEncryption(encryption);
        StoreHandle copy = closeLater(workspace.open(copyConfig, Workspace.Access.CREATE));
        SnapshotCodec codec = copy.codec();
        RecordingStore recording = new RecordingStore(copy.store());
        // Each snapshot keeps its memory id (it is in its JSON), so the copy keeps the memories apart as the store does.
        CopyResult result = new SnapshotTools(scoped(source, source.store(), memoryId))
                .copyTo(recording, progress(progress.progress, "export"));
        endProgress();

        CopyReport report = new CopyReport();
        report.add(result, recording, id -> id);
        if (json) {
            printJson(report.json(copy, codec));
        } else {
            out().println("exported " + Text.count(report.copied, "snapshot")
                    + (memoryId == null ? " of every memory" : memoryId.equals(MemoryManagers.DEFAULT) ? ""
                    : " of memory " + MemoryOptions.quote(memoryId)) + " to " + Text.line(copy.where())
                    + " (" + CopyReport.describe(codec) + ")");
        }
        report.printFailures(this, "exported");
        return report.exitCode();
    }

    static boolean sameDirectory(Path a, Path b) throws IOException {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    }
}
