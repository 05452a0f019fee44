package dev.memsnap.cli;

import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.ConfigException;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.codec.EncryptionConfig;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.KeySource;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.store.FileStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What one run works on: the {@code memory:} configuration (from {@code --config}, {@code config.yaml} or the
 * defaults, then {@code --dir} and the key options over it), the codec it implies, and the snapshot directory.
 */
final class Workspace {
    private static final Logger log = LoggerFactory.getLogger(Workspace.class);
    private static final Path DEFAULT_CONFIG = Path.of("config.yaml");

    /** How a command uses the store, which decides what opening it checks and creates. */
    enum Access {
        /** Only reads: the directory must exist, and nothing in it is created or cleaned. */
        READ,
        /** Changes what is there (prune, label, rekey): the directory must exist. */
        MODIFY,
        /** Adds snapshots (import, export target): the directory is created when missing. */
        CREATE
    }

    private final CliContext context;
    private final MemoryConfig config;
    private final String configSource;
    private KeyRing keyRing;

    Workspace(CliContext context, Path configFile, Path dir, KeySource keyOverride) {
        this.context = context;
        ConfigFile file;
        if (configFile != null) {
            file = ConfigFile.load(context.resolve(configFile));
        } else if (Files.isRegularFile(context.resolve(DEFAULT_CONFIG))) {
            file = ConfigFile.load(context.resolve(DEFAULT_CONFIG));
        } else {
            file = ConfigFile.empty();
        }
        MemoryConfig memory = file.memory();
        memory = memory.withSnapshotDir(context.resolve(dir != null ? dir : memory.snapshotDir()));
        EncryptionConfig encryption = memory.encryption();
        if (keyOverride != null) {
            encryption = new EncryptionConfig(keyOverride, encryption == null ? List.of() : encryption.previous());
        }
        this.config = memory.withEncryption(encryption == null ? null : new EncryptionConfig(
                resolve(encryption.key()), encryption.previous().stream().map(this::resolve).toList()));
        this.configSource = file.source();
        log.debug("Config {}: snapshot directory {}, compression {}, encryption {}", configSource,
                config.snapshotDir(), config.compression(), config.encryption() == null ? "none"
                        : config.encryption().key().describe());
    }

    /** @return the {@code memory:} configuration in effect */
    MemoryConfig config() {
        return config;
    }

    /** @return the snapshot directory, absolute */
    Path snapshotDir() {
        return config.snapshotDir();
    }

    /**
     * @return the configured keys (current and previous), read on first call; {@code null} when the configuration
     *         has no encryption
     * @throws ConfigException when a key cannot be read
     */
    KeyRing keyRing() {
        if (keyRing == null && config.encryption() != null) {
            keyRing = config.encryption().keyRing(context.env());
        }
        return keyRing;
    }

    /**
     * @param source a key source
     * @return its key ring, read now
     */
    KeyRing ring(KeySource source) {
        return KeyRing.of(source, List.of(), context.env());
    }

    /** @return the codec the configuration implies: its compression, and its encryption when there is one */
    SnapshotCodec codec() {
        return new SnapshotCodec(new SnapshotJson(), config.compression(), config.compressionLevel(),
                config.encryption() == null ? null : this::keyRing);
    }

    /**
     * @param access how the command uses the store
     * @return the configured store, opened
     */
    StoreHandle open(Access access) {
        return open(snapshotDir(), codec(), access);
    }

    /**
     * @param dir    a snapshot directory
     * @param codec  how to write (reading detects every encoding)
     * @param access how the command uses the store
     * @return the store, opened
     * @throws SnapshotNotFoundException when the directory must exist and does not
     * @throws ConfigException           when a key cannot be read or the path is not a directory
     */
    StoreHandle open(Path dir, SnapshotCodec codec, Access access) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("not a snapshot directory: " + dir + " is a file");
        }
        if (access != Access.CREATE && !Files.isDirectory(dir)) {
            throw new SnapshotNotFoundException("no snapshot directory " + dir
                    + " (set memory.snapshot_dir in the config file, or give --dir)");
        }
        SnapshotStore store = FileStores.open(dir, codec);
        if (access == Access.READ) {
            codec.checkKeys(); // a bad key setting is a config error up front, not a damaged file per snapshot
        } else {
            store.start();
        }
        log.debug("Opened {} for {}", store, access);
        return new StoreHandle(dir, store);
    }

    private KeySource resolve(KeySource source) {
        return source instanceof KeySource.KeyFile file ? new KeySource.KeyFile(context.resolve(file.file())) : source;
    }
}
