package dev.memsnap.cli;

import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.codec.KeySource;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.tools.SnapshotTools;
import dev.memsnap.core.tools.SnapshotTools.CopyResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code memsnap rekey}: re-encrypts the whole store under a new key. */
@Command(name = "rekey", header = "Re-encrypt every snapshot under a new key.",
        description = {
                "Re-encrypts every stored snapshot under a new key (and memory.compression), in place. The old "
                        + "keys are the configured ones (memory.encryption, or --key-file and the like); a store "
                        + "not yet encrypted is encrypted.",
                "Without a --new-key option, re-encrypts under the configured key itself: after a rotation, so "
                        + "that the keys under memory.encryption.previous are no longer needed, or to rewrite older "
                        + "files in the current encrypted format, each memory under its own data key.",
                "Each snapshot is replaced atomically, so an interrupted rekey loses nothing: every snapshot is "
                        + "then under the old key or the new one, and running rekey again finishes the job. "
                        + "Afterwards, point memory.encryption at the new key.",
        })
final class RekeyCommand extends BaseCommand {
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    KeyOptions.New key;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Mixin
    ProgressOption progress;

    @Override
    int run() {
        Workspace workspace = workspace();
        KeySource newSource = newKey(workspace);
        // Writes with the new key only; reads with it and the old ones, so that a re-run after an interruption
        // reads both.
        MemoryConfig rekeyed = workspace.config().withEncryption(
                Workspace.readingAlso(newSource, workspace.config().encryption()));
        StoreHandle handle = closeLater(workspace.open(rekeyed, Workspace.Access.MODIFY));
        SnapshotCodec codec = handle.codec();
        RecordingStore store = new RecordingStore(handle.store());
        CopyResult result = new SnapshotTools(store).copyTo(store, progress(progress.progress, "rekey"));
        endProgress();

        CopyReport report = new CopyReport();
        report.add(result, store, id -> id);
        if (json) {
            printJson(report.json(handle, codec));
        } else {
            out().println("re-encrypted " + Text.count(report.copied, "snapshot") + " in "
                    + Text.line(handle.where()) + " under key " + codec.writeKeyId() + " ("
                    + Text.line(newSource.describe()) + ")");
            if (report.failures.isEmpty() && key == null) {
                out().println("next: the keys under memory.encryption.previous are no longer needed for this "
                        + "directory, but keep them while backups made with them exist");
            } else if (report.failures.isEmpty()) {
                out().println("next: set memory.encryption to " + configLine(newSource) + " (or pass the same "
                        + "option as --key-file, --key-env or --passphrase-env); the old key is no longer needed "
                        + "for this directory, but keep it while backups made with it exist");
            }
        }
        report.printFailures(this, "re-encrypted");
        if (!report.failures.isEmpty()) {
            err().println("memsnap: " + Text.count(report.failures.size(), "snapshot") + " still use the old key "
                    + "or are damaged: keep the old key under memory.encryption.previous, and run rekey again "
                    + "once they can be read");
        }
        return report.exitCode();
    }

    /** @return the key given with a {@code --new-key} option, else the configured one */
    private KeySource newKey(Workspace workspace) {
        if (key != null) {
            return key.source(context());
        }
        if (workspace.config().encryption() == null) {
            throw usage("rekey needs a key to encrypt under: give --new-key-file, --new-key-env or "
                    + "--new-passphrase-env, or configure memory.encryption to re-encrypt under that key");
        }
        return workspace.config().encryption().key();
    }

    private static String configLine(KeySource source) {
        if (source instanceof KeySource.KeyFile file) {
            return "key_file: " + Text.line(file.file().toString());
        }
        if (source instanceof KeySource.KeyEnv env) {
            return "key_env: " + Text.line(env.variable());
        }
        return "passphrase_env: " + Text.line(((KeySource.PassphraseEnv) source).variable());
    }
}
