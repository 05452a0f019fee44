package dev.memsnap.core.codec;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an encryption key comes from. Only the place is held here, never the secret: the key or passphrase is read
 * when a {@link KeyRing} is built, so no configuration object, log line or event ever carries it.
 */
public sealed interface KeySource {

    /** @return a description safe to log: the kind and the place, never the secret */
    String describe();

    /**
     * A file holding a 256-bit key: 32 raw bytes, or their base64 or hex text.
     *
     * @param file the key file
     */
    record KeyFile(Path file) implements KeySource {
        public KeyFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String describe() {
            return "key file " + file;
        }
    }

    /**
     * An environment variable holding a 256-bit key as base64 or hex.
     *
     * @param variable the variable's name
     */
    record KeyEnv(String variable) implements KeySource {
        public KeyEnv {
            Objects.requireNonNull(variable, "variable");
        }

        @Override
        public String describe() {
            return "key in environment variable " + variable;
        }
    }

    /**
     * An environment variable holding a passphrase, stretched with PBKDF2-HMAC-SHA256.
     *
     * @param variable the variable's name
     */
    record PassphraseEnv(String variable) implements KeySource {
        public PassphraseEnv {
            Objects.requireNonNull(variable, "variable");
        }

        @Override
        public String describe() {
            return "passphrase in environment variable " + variable;
        }
    }
}
