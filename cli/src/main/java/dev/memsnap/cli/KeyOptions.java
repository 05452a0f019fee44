package dev.memsnap.cli;

import dev.memsnap.core.codec.KeySource;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Where a key comes from, as options name it: a file, or the name of an environment variable. There is deliberately
 * no option that takes a key or passphrase itself: its value would land in shell history and in {@code ps}.
 */
final class KeyOptions {
    private KeyOptions() {
    }

    /**
     * @return the source the options name, with a relative key file resolved against the working directory, or
     *         {@code null} when none is given
     */
    static KeySource source(CliContext context, Path file, String env, String passphraseEnv) {
        if (file != null) {
            return new KeySource.KeyFile(context.resolve(file));
        }
        if (env != null) {
            return new KeySource.KeyEnv(env);
        }
        return passphraseEnv != null ? new KeySource.PassphraseEnv(passphraseEnv) : null;
    }

    /** The key a command writes a copy with: {@code export --to-key-file} and the like, or {@code --no-encrypt}. */
    static final class Target {
        @Option(names = "--to-key-file", paramLabel = "FILE", required = true,
                description = "Encrypt the copy with the key in FILE.")
        Path file;

        @Option(names = "--to-key-env", paramLabel = "VAR", required = true,
                description = "Encrypt the copy with the key in environment variable VAR.")
        String env;

        @Option(names = "--to-passphrase-env", paramLabel = "VAR", required = true,
                description = "Encrypt the copy with the passphrase in environment variable VAR.")
        String passphraseEnv;

        @Option(names = "--no-encrypt", required = true,
                description = "Write the copy unencrypted.")
        boolean noEncrypt;

        KeySource source(CliContext context) {
            return KeyOptions.source(context, file, env, passphraseEnv);
        }
    }

    /** The key {@code import} reads its sources with, besides the configured ones. */
    static final class Source {
        @Option(names = "--from-key-file", paramLabel = "FILE", required = true,
                description = "Also decrypt the sources with the key in FILE.")
        Path file;

        @Option(names = "--from-key-env", paramLabel = "VAR", required = true,
                description = "Also decrypt the sources with the key in environment variable VAR.")
        String env;

        @Option(names = "--from-passphrase-env", paramLabel = "VAR", required = true,
                description = "Also decrypt the sources with the passphrase in environment variable VAR.")
        String passphraseEnv;

        KeySource source(CliContext context) {
            return KeyOptions.source(context, file, env, passphraseEnv);
        }
    }

    /** The key {@code rekey} re-encrypts with. */
    static final class New {
        @Option(names = "--new-key-file", paramLabel = "FILE", required = true,
                description = "Re-encrypt with the key in FILE (make one with: memsnap keygen FILE).")
        Path file;

        @Option(names = "--new-key-env", paramLabel = "VAR", required = true,
                description = "Re-encrypt with the key in environment variable VAR.")
        String env;

        @Option(names = "--new-passphrase-env", paramLabel = "VAR", required = true,
                description = "Re-encrypt with the passphrase in environment variable VAR.")
        String passphraseEnv;

        KeySource source(CliContext context) {
            return KeyOptions.source(context, file, env, passphraseEnv);
        }
    }
}
