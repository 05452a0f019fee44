package dev.memsnap.cli;

import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.ConfigException;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.SnapshotStores;
import dev.memsnap.core.codec.EncryptionConfig;
import dev.memsnap.core.codec.KeyEnvironment;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.KeySource;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What one run works on: the configuration (from {@code --config}, {@code config.yaml} or the defaults, then
 * {@code --store}, {@code --dir} and the key options over its {@code memory:} section), the codec it implies, and the
 * store it names, opened the one way every tool opens it ({@link SnapshotStores}).
 */
final class Workspace {
    private static final Logger log = LoggerFactory.getLogger(Workspace.class);
    private static final Path DEFAULT_CONFIG = Path.of("config.yaml");
    /** Core's stores, which keep snapshots in {@code memory.snapshot_dir}; a plugin's store keeps them elsewhere. */
    private static final Set<String> DIRECTORY_STORES = Set.of(MemoryConfig.DEFAULT_STORE, "incremental");

    /** How a command uses the store, which decides what opening it checks and creates. */
    enum Access {
        /** Only reads: a directory store's directory must exist. */
        READ,
        /** Changes what is there (prune, label, rekey): a directory store's directory must exist. */
        MODIFY,
        /** Adds snapshots (import, export target): a directory store's directory is created when missing. */
        CREATE
    }

    private final CliContext context;
    private final ConfigFile file;
    private final MemoryConfig config;
    private KeyRing keyRing;

    Workspace(CliContext context, Path configFile, String store, Path dir, KeySource keyOverride) {
        this.context = context;
        if (configFile != null) {
            file = ConfigFile.load(context.resolve(configFile));
        } else if (Files.isRegularFile(context.resolve(DEFAULT_CONFIG))) {
            file = ConfigFile.load(context.resolve(DEFAULT_CONFIG));
        } else {
            file = ConfigFile.empty();
        }
        for (String warning : file.warnings()) {
            context.err().println("memsnap: warning: " + Text.line(warning));
        }
        MemoryConfig memory = file.memory();
        if (store != null) {
            memory = memory.withStore(store);
        }
        memory = memory.withSnapshotDir(context.resolve(dir != null ? dir : memory.snapshotDir()));
        if (store == null && memory.store().equals(MemoryConfig.DEFAULT_STORE)
                && dev.memsnap.core.store.FileStores.isIncremental(memory.snapshotDir())) {
            // a directory in the incremental layout is read as one: a file store's view of it holds nothing, and a
            // check of it would pass for an all-clear
            memory = memory.withStore("incremental");
        }
        EncryptionConfig encryption = memory.encryption();
        if (keyOverride != null) {
            encryption = new EncryptionConfig(keyOverride, encryption == null ? List.of() : encryption.previous());
        }
        this.config = memory.withEncryption(encryption == null ? null : new EncryptionConfig(
                resolve(encryption.key()), encryption.previous().stream().map(this::resolve).toList()));
        log.debug("Config {}: store {}, snapshot directory {}, compression {}, encryption {}", file.source(),
                config.store(), config.snapshotDir(), config.compression(), config.encryption() == null ? "none"
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

    /** @return whether the configured store keeps its snapshots in the snapshot directory */
    boolean directoryStore() {
        return isDirectoryStore(config.store());
    }

    /** @return whether the store of that name keeps its snapshots in {@code memory.snapshot_dir} */
    static boolean isDirectoryStore(String name) {
        return DIRECTORY_STORES.contains(name);
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

    /**
     * @return the codec the configuration implies: its compression, and its encryption when there is one; what the
     *         command line reads snapshot files given by path with
     */
    SnapshotCodec codec() {
        return new SnapshotCodec(new SnapshotJson(), config.compression(), config.compressionLevel(),
                config.encryption() == null ? null : this::keyRing);
    }

    /**
     * @param current the key to write with
     * @param also    keys that read as well (their current and previous keys), or {@code null} for none
     * @return encryption under {@code current} that also reads what {@code also} reads
     */
    static EncryptionConfig readingAlso(KeySource current, EncryptionConfig also) {
        List<KeySource> reading = new ArrayList<>();
        if (also != null) {
            reading.add(also.key());
            reading.addAll(also.previous());
        }
        return new EncryptionConfig(current, reading);
    }

    /**
     * @param access how the command uses the store
     * @return the configured store, opened
     */
    StoreHandle open(Access access) {
        return open(config, access);
    }

    /**
     * Opens the store that {@code memory} names, through {@link SnapshotStores}: core's {@code file} and
     * {@code incremental} stores, or a plugin's (on the class path or in {@code plugins.directory}), which reads its
     * own section of the config file.
     *
     * @param memory the {@code memory:} settings: this run's, or ones derived from them (another directory, store
     *               or key, as {@code export --to} and {@code import DIR} give)
     * @param access how the command uses the store
     * @return the store, opened
     * @throws SnapshotNotFoundException when a directory store's directory must exist and does not
     * @throws ConfigException           when a key cannot be read, the store name is unknown, or the path is not a
     *                                   directory
     */
    StoreHandle open(MemoryConfig memory, Access access) {
        if (isDirectoryStore(memory.store())) {
            Path dir = memory.snapshotDir();
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new ConfigException("not a snapshot directory: " + dir + " is a file");
            }
            if (access != Access.CREATE && !Files.isDirectory(dir)) {
                throw new SnapshotNotFoundException("no snapshot directory " + dir
                        + " (set memory.snapshot_dir in the config file, or give --dir)");
            }
        }
        // Keys come from this run's environment. Core's directory stores read without being started, so a command
        // that only reads prepares nothing on disk (no hidden folder, no tidying); one that writes starts the store,
        // and a plugin's store (a database) is always started, since it may need that to read at all.
        boolean start = access != Access.READ || !isDirectoryStore(memory.store());
        SnapshotStores.Opened opened = SnapshotStores.open(file, memory, Workspace.class.getClassLoader(),
                new KeyEnvironment(context.env()), start);
        try {
            // a key that cannot be read (an unset variable, a short passphrase) is a setting error now, exit 2,
            // not a "wrong key" on every encrypted snapshot later; a started store has done this already
            opened.context().encoding().checkKeys();
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        log.debug("Opened {} store {} for {} ({})", opened.name(), opened.store(), access,
                start ? "started" : "not started");
        return new StoreHandle(memory, opened);
    }

    private KeySource resolve(KeySource source) {
        return source instanceof KeySource.KeyFile f ? new KeySource.KeyFile(context.resolve(f.file())) : source;
    }
}
