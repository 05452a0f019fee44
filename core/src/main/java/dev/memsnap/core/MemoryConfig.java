package dev.memsnap.core;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code memory:} section of {@code config.yaml}:
 * <pre>
 * memory:
 *   snapshot_dir: data/memory/snapshots   # where snapshots are saved
 *   auto_snapshot: false                  # take a snapshot every snapshot_interval turns
 *   snapshot_interval: 10                 # turns between automatic snapshots, at least 1
 * </pre>
 * Other keys under {@code memory:} belong to the host and are ignored.
 *
 * @param snapshotDir      {@code snapshot_dir}, relative to the working directory unless absolute
 * @param autoSnapshot     {@code auto_snapshot}
 * @param snapshotInterval {@code snapshot_interval}
 */
public record MemoryConfig(Path snapshotDir, boolean autoSnapshot, int snapshotInterval) {
    /** The default {@code snapshot_dir}. */
    public static final Path DEFAULT_SNAPSHOT_DIR = Path.of("data", "memory", "snapshots");
    /** The default {@code snapshot_interval}. */
    public static final int DEFAULT_SNAPSHOT_INTERVAL = 10;

    public MemoryConfig {
        Objects.requireNonNull(snapshotDir, "snapshotDir");
        if (snapshotInterval < 1) {
            throw new IllegalArgumentException("snapshotInterval must be at least 1, got " + snapshotInterval);
        }
    }

    /** @return the seed's defaults: {@code data/memory/snapshots}, automatic snapshots off, interval 10 */
    public static MemoryConfig defaults() {
        return new MemoryConfig(DEFAULT_SNAPSHOT_DIR, false, DEFAULT_SNAPSHOT_INTERVAL);
    }

    /**
     * @param configYaml a host's {@code config.yaml}
     * @return its {@code memory:} section, with defaults for what it leaves out
     * @throws ConfigException when the file cannot be read or a value is wrong; the message names the key
     */
    public static MemoryConfig load(Path configYaml) {
        return ConfigFile.load(configYaml).memory();
    }

    /**
     * @param dir another snapshot directory
     * @return this configuration with that directory
     */
    public MemoryConfig withSnapshotDir(Path dir) {
        return new MemoryConfig(dir, autoSnapshot, snapshotInterval);
    }

    static MemoryConfig from(ConfigSection memory) {
        return new MemoryConfig(
                memory.path("snapshot_dir", DEFAULT_SNAPSHOT_DIR),
                memory.bool("auto_snapshot", false),
                memory.integer("snapshot_interval", DEFAULT_SNAPSHOT_INTERVAL, 1, Integer.MAX_VALUE));
    }
}
