package dev.memsnap.cli;

import dev.memsnap.core.codec.KeySource;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The {@code memsnap} command itself: the global options every subcommand inherits (they may be given before or
 * after the subcommand's name), and the list of subcommands.
 */
@Command(name = "memsnap",
        scope = ScopeType.INHERIT, // help, version, footer and sorting are the same on every subcommand
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        headerHeading = "%n",
        synopsisHeading = "Usage: ",
        descriptionHeading = "%n",
        parameterListHeading = "%nParameters:%n",
        optionListHeading = "%nOptions:%n",
        commandListHeading = "%nCommands:%n",
        footer = {
                "",
                "The store is memory.store of the config file (file unless it says otherwise), or --store; a file "
                        + "or incremental store's directory is memory.snapshot_dir, or --dir. Commands work on one "
                        + "memory's snapshots (--memory ID, default: default). Keys are never given on "
                        + "the command line (they would land in shell history and ps): only a key file, or the "
                        + "NAME of an environment variable that holds the key or passphrase.",
                "",
                "Exit codes:",
                "  0   success (verify: all intact; diff: identical)",
                "  1   verify found damage; diff found differences",
                "  2   usage error, malformed id, or bad config or key setting",
                "  3   no such snapshot, file or snapshot directory",
                "  4   snapshot damaged, invalid, or encrypted with another key",
                "  5   I/O or store error",
                "  70  internal error (a bug: rerun with --debug and report it)",
        },
        description = "Lists, shows, compares, prunes, verifies, exports, imports, labels, pins and re-encrypts "
                + "memsnap snapshots, and lists memories and draws their history.",
        subcommands = {
                ListCommand.class, ShowCommand.class, DiffCommand.class, PruneCommand.class, GcCommand.class,
                VerifyCommand.class,
                ExportCommand.class, ImportCommand.class, LabelCommand.class, PinCommand.class, UnpinCommand.class,
                RekeyCommand.class, KeygenCommand.class, MemoriesCommand.class, LogCommand.class,
                CompletionCommand.class, HelpCommand.class,
        })
final class MemsnapCommand implements Callable<Integer> {
    private final CliContext context;
    private Workspace workspace;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 100,
            description = "Config file (YAML, its memory: section). Default: config.yaml in the working directory "
                    + "if there is one, else built-in defaults.")
    Path configFile;

    @Option(names = "--dir", paramLabel = "DIR", scope = ScopeType.INHERIT, order = 101,
            description = "Snapshot directory; overrides memory.snapshot_dir.")
    Path dir;

    @Option(names = "--store", paramLabel = "NAME", scope = ScopeType.INHERIT, order = 101,
            description = "Store to use: file, incremental, or a plugin's such as postgres; overrides memory.store.")
    String store;

    @Option(names = "--key-file", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 102,
            description = "Key to read and write with (a 256-bit key file, see keygen); replaces the current key "
                    + "of memory.encryption, keeping its previous keys.")
    Path keyFile;

    @Option(names = "--key-env", paramLabel = "VAR", scope = ScopeType.INHERIT, order = 103,
            description = "Like --key-file, with the key (base64 or hex) in environment variable VAR.")
    String keyEnv;

    @Option(names = "--passphrase-env", paramLabel = "VAR", scope = ScopeType.INHERIT, order = 104,
            description = "Like --key-file, with a passphrase in environment variable VAR.")
    String passphraseEnv;

    @Option(names = "--debug", scope = ScopeType.INHERIT, order = 105,
            description = "Print stack traces and debug logs.")
    boolean debug;

    MemsnapCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing a command, such as list, show, diff or verify");
    }

    /** @return where this run reads and writes */
    CliContext context() {
        return context;
    }

    /** @return the configuration this run's options select, loaded on first use */
    Workspace workspace() {
        if (workspace == null) {
            workspace = new Workspace(context, configFile, store, dir, keyOverride());
        }
        return workspace;
    }

    /** @return the key the global options name, or {@code null} when they name none */
    private KeySource keyOverride() {
        int given = (keyFile != null ? 1 : 0) + (keyEnv != null ? 1 : 0) + (passphraseEnv != null ? 1 : 0);
        if (given > 1) {
            throw new ParameterException(spec.commandLine(),
                    "give at most one of --key-file, --key-env and --passphrase-env");
        }
        return KeyOptions.source(context, keyFile, keyEnv, passphraseEnv);
    }
}
