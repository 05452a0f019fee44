package dev.memsnap.core;

import dev.memsnap.api.ConfigException;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.EncryptionConfig;
import dev.memsnap.core.codec.KeySource;
import dev.memsnap.core.prune.RetentionPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code memory:} section of {@code config.yaml} (see the README for every key):
 * <pre>
 * memory:
 *   snapshot_dir: data/memory/snapshots   # where snapshots are saved
 *   store: file                           # file, incremental, or a plugin's store such as postgres
 *   auto_snapshot: false                  # take a snapshot every snapshot_interval turns
 *   snapshot_interval: 10                 # turns between automatic snapshots, at least 1
 *   compression: none                     # none or gzip
 *   compression_level: 6                  # 1 (fastest) to 9 (smallest)
 *   encryption:                           # absent: snapshots are not encrypted
 *     key_file: /etc/memsnap/key          # or key_env: NAME, or passphrase_env: NAME
 *     previous: [{key_file: /etc/memsnap/old-key}]
 *   retention:                            # absent: prune keeps everything
 *     keep_last: 20
 *     keep_within: 7d
 *     keep_daily: 7
 *     max_total_size: 500MB
 *     after_auto_snapshot: true
 * </pre>
 * Other keys under {@code memory:} belong to the host and are ignored.
 *
 * @param snapshotDir            {@code snapshot_dir}, relative to the working directory unless absolute
 * @param store                  {@code store}: which store keeps snapshots
 * @param autoSnapshot           {@code auto_snapshot}
 * @param snapshotInterval       {@code snapshot_interval}
 * @param compression            {@code compression}
 * @param compressionLevel       {@code compression_level}
 * @param encryption             {@code encryption}, or {@code null} for none
 * @param retention              {@code retention}
 * @param pruneAfterAutoSnapshot {@code retention.after_auto_snapshot}
 * @param resume                 {@code resume}: where a memory id's live memory starts on its first use
 * @param maxLiveMemories        {@code max_live_memories}: beyond it the least recently used memory is saved and
 *                               dropped from the heap, and resumes from that snapshot on its next use
 */
public record MemoryConfig(Path snapshotDir, String store, boolean autoSnapshot, int snapshotInterval,
                           Compression compression,
                           int compressionLevel, EncryptionConfig encryption, RetentionPolicy retention,
                           boolean pruneAfterAutoSnapshot, Resume resume, int maxLiveMemories) {
    /** The default {@code snapshot_dir}. */
    public static final Path DEFAULT_SNAPSHOT_DIR = Path.of("data", "memory", "snapshots");
    /** The default {@code snapshot_interval}. */
    public static final int DEFAULT_SNAPSHOT_INTERVAL = 10;
    /** The default {@code compression_level}: deflate's own default, about 3x smaller JSON at about 40 MB/s. */
    public static final int DEFAULT_COMPRESSION_LEVEL = 6;
    /** The default {@code store}: one JSON file per snapshot in {@code snapshot_dir}. */
    public static final String DEFAULT_STORE = "file";
    /** The default {@code max_live_memories}. */
    public static final int DEFAULT_MAX_LIVE_MEMORIES = 1000;

    /** Where a memory's live state starts when its memory id is first used in a process. */
    public enum Resume {
        /** Empty, as in the seed. */
        NONE,
        /** From the memory's newest snapshot, so a restarted host carries on where it stopped. */
        LATEST
    }

    public MemoryConfig {
        Objects.requireNonNull(snapshotDir, "snapshotDir");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(retention, "retention");
        if (snapshotInterval < 1) {
            throw new IllegalArgumentException("snapshotInterval must be at least 1, got " + snapshotInterval);
        }
        if (compressionLevel < 1 || compressionLevel > 9) {
            throw new IllegalArgumentException("compressionLevel must be 1 to 9, got " + compressionLevel);
        }
        Objects.requireNonNull(resume, "resume");
        if (maxLiveMemories < 1) {
            throw new IllegalArgumentException("maxLiveMemories must be at least 1, got " + maxLiveMemories);
        }
    }

    /**
     * Everything but the memory-id settings, which take their defaults.
     *
     * @param snapshotDir            {@code snapshot_dir}
     * @param store                  {@code store}
     * @param autoSnapshot           {@code auto_snapshot}
     * @param snapshotInterval       {@code snapshot_interval}
     * @param compression            {@code compression}
     * @param compressionLevel       {@code compression_level}
     * @param encryption             {@code encryption}, or {@code null}
     * @param retention              {@code retention}
     * @param pruneAfterAutoSnapshot {@code retention.after_auto_snapshot}
     */
    public MemoryConfig(Path snapshotDir, String store, boolean autoSnapshot, int snapshotInterval,
                        Compression compression, int compressionLevel, EncryptionConfig encryption,
                        RetentionPolicy retention, boolean pruneAfterAutoSnapshot) {
        this(snapshotDir, store, autoSnapshot, snapshotInterval, compression, compressionLevel, encryption, retention,
                pruneAfterAutoSnapshot, Resume.NONE, DEFAULT_MAX_LIVE_MEMORIES);
    }

    /**
     * The seed's three settings, with plain files, no encryption and no pruning.
     *
     * @param snapshotDir      {@code snapshot_dir}
     * @param autoSnapshot     {@code auto_snapshot}
     * @param snapshotInterval {@code snapshot_interval}
     */
    public MemoryConfig(Path snapshotDir, boolean autoSnapshot, int snapshotInterval) {
        this(snapshotDir, DEFAULT_STORE, autoSnapshot, snapshotInterval, Compression.NONE, DEFAULT_COMPRESSION_LEVEL, null,
                RetentionPolicy.KEEP_ALL, false);
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
        return new MemoryConfig(dir, store, autoSnapshot, snapshotInterval, compression, compressionLevel, encryption,
                retention, pruneAfterAutoSnapshot, resume, maxLiveMemories);
    }

    /**
     * @param name a store's name, such as {@code file} or {@code incremental}
     * @return this configuration with that store
     */
    public MemoryConfig withStore(String name) {
        return new MemoryConfig(snapshotDir, name, autoSnapshot, snapshotInterval, compression, compressionLevel,
                encryption, retention, pruneAfterAutoSnapshot, resume, maxLiveMemories);
    }

    /**
     * @param newCompression how to compress
     * @param level          the deflate level
     * @return this configuration with that compression
     */
    public MemoryConfig withCompression(Compression newCompression, int level) {
        return new MemoryConfig(snapshotDir, store, autoSnapshot, snapshotInterval, newCompression, level, encryption,
                retention, pruneAfterAutoSnapshot, resume, maxLiveMemories);
    }

    /**
     * @param newEncryption the keys, or {@code null} for none
     * @return this configuration with that encryption
     */
    public MemoryConfig withEncryption(EncryptionConfig newEncryption) {
        return new MemoryConfig(snapshotDir, store, autoSnapshot, snapshotInterval, compression, compressionLevel,
                newEncryption, retention, pruneAfterAutoSnapshot, resume, maxLiveMemories);
    }

    /**
     * @param policy      the retention policy
     * @param afterAuto   whether to prune after every automatic snapshot
     * @return this configuration with that retention
     */
    public MemoryConfig withRetention(RetentionPolicy policy, boolean afterAuto) {
        return new MemoryConfig(snapshotDir, store, autoSnapshot, snapshotInterval, compression, compressionLevel,
                encryption, policy, afterAuto, resume, maxLiveMemories);
    }

    /** The keys of {@code memory:} that are memsnap's; the host may keep others there, as the seed does. */
    public static final java.util.Set<String> KEYS = java.util.Set.of("snapshot_dir", "store", "auto_snapshot",
            "snapshot_interval", "compression", "compression_level", "encryption", "retention", "postgres", "resume",
            "max_live_memories");
    private static final java.util.Set<String> ENCRYPTION_KEYS = java.util.Set.of("key_file", "key_env",
            "passphrase_env", "previous");
    private static final java.util.Set<String> KEY_SOURCE_KEYS = java.util.Set.of("key_file", "key_env",
            "passphrase_env");
    private static final java.util.Set<String> RETENTION_KEYS = java.util.Set.of("keep_last", "keep_within",
            "keep_hourly", "keep_daily", "keep_weekly", "keep_monthly", "max_total_size", "after_auto_snapshot");

    /**
     * @param newResume       where memories start on first use
     * @param newMaxLive      how many memories stay in the heap
     * @return this configuration with those settings
     */
    public MemoryConfig withMemories(Resume newResume, int newMaxLive) {
        return new MemoryConfig(snapshotDir, store, autoSnapshot, snapshotInterval, compression, compressionLevel,
                encryption, retention, pruneAfterAutoSnapshot, newResume, newMaxLive);
    }

    static MemoryConfig from(ConfigSection memory) {
        Compression compression;
        try {
            compression = Compression.parse(memory.string("compression", "none"));
        } catch (IllegalArgumentException e) {
            throw memory.error("compression", e.getMessage());
        }
        ConfigSection retention = memory.child("retention").map(r -> r.requireOnly(RETENTION_KEYS)).orElse(null);
        return new MemoryConfig(
                memory.path("snapshot_dir", DEFAULT_SNAPSHOT_DIR),
                memory.string("store", DEFAULT_STORE),
                memory.bool("auto_snapshot", false),
                memory.integer("snapshot_interval", DEFAULT_SNAPSHOT_INTERVAL, 1, Integer.MAX_VALUE),
                compression,
                memory.integer("compression_level", DEFAULT_COMPRESSION_LEVEL, 1, 9),
                memory.child("encryption").map(MemoryConfig::encryption).orElse(null),
                retention == null ? RetentionPolicy.KEEP_ALL : retention(retention),
                retention != null && retention.bool("after_auto_snapshot", false),
                resume(memory),
                memory.integer("max_live_memories", DEFAULT_MAX_LIVE_MEMORIES, 1, Integer.MAX_VALUE));
    }

    private static Resume resume(ConfigSection memory) {
        String value = memory.string("resume", "none");
        return switch (value) {
            case "none" -> Resume.NONE;
            case "latest" -> Resume.LATEST;
            default -> throw memory.error("resume", "expected none or latest, got \"" + value + "\"");
        };
    }

    private static EncryptionConfig encryption(ConfigSection section) {
        section.requireOnly(ENCRYPTION_KEYS);
        List<KeySource> previous = new ArrayList<>();
        for (ConfigSection p : section.children("previous")) {
            previous.add(keySource(p.requireOnly(KEY_SOURCE_KEYS)));
        }
        return new EncryptionConfig(keySource(section), previous);
    }

    private static KeySource keySource(ConfigSection section) {
        List<KeySource> given = new ArrayList<>();
        if (section.has("key_file")) {
            given.add(new KeySource.KeyFile(section.path("key_file", null)));
        }
        if (section.has("key_env")) {
            given.add(new KeySource.KeyEnv(section.string("key_env", null)));
        }
        if (section.has("passphrase_env")) {
            given.add(new KeySource.PassphraseEnv(section.string("passphrase_env", null)));
        }
        if (given.size() != 1) {
            throw section.error("key_file", "give exactly one of key_file, key_env or passphrase_env");
        }
        return given.get(0);
    }

    private static RetentionPolicy retention(ConfigSection r) {
        return new RetentionPolicy(
                r.integer("keep_last", 0, 0, Integer.MAX_VALUE),
                r.has("keep_within") ? duration(r, "keep_within") : null,
                r.integer("keep_hourly", 0, 0, Integer.MAX_VALUE),
                r.integer("keep_daily", 0, 0, Integer.MAX_VALUE),
                r.integer("keep_weekly", 0, 0, Integer.MAX_VALUE),
                r.integer("keep_monthly", 0, 0, Integer.MAX_VALUE),
                r.has("max_total_size") ? size(r, "max_total_size") : 0);
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)?");

    /**
     * @param text in restic's units: {@code 1y} (365 days), {@code 6m} (months of 30 days), {@code 2w}, {@code 7d},
     *             {@code 36h}, or a combination such as {@code 1d12h}; minutes and seconds, which restic lacks, are
     *             {@code min} and {@code s}, so {@code 1m} is never a minute
     * @return the duration
     * @throws IllegalArgumentException when it is not one
     */
    public static Duration parseDuration(String text) {
        // restic's units, as in forget --keep-within: y, m (months: 1m is never one minute), w, d, h. Retention
        // counts a fixed span back from the newest snapshot, so a month is 30 days and a year 365. Minutes and
        // seconds, which restic has not, are the unambiguous min and s.
        String compact = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = Pattern.compile("(\\d{1,12})\\s*(min|[ymwdhs])").matcher(compact);
        Duration total = Duration.ZERO;
        int end = 0;
        try {
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "y" -> Duration.ofDays(Math.multiplyExact(365, n));
                    case "m" -> Duration.ofDays(Math.multiplyExact(30, n));
                    case "w" -> Duration.ofDays(Math.multiplyExact(7, n));
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "min" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
                end = m.end();
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration too long: \"" + text + "\"");
        }
        if (end == 0 || end != compact.length()) {
            throw new IllegalArgumentException("expected a duration in restic's units y, m (months), w, d, h (or "
                    + "min, s), such as 7d, 2w, 6m or 1y2m, got \"" + text + "\"");
        }
        return total;
    }

    /**
     * @param text for example {@code 500MB}, {@code 2GiB} or a number of bytes
     * @return the size in bytes (KB = 1000 bytes, KiB = 1024)
     * @throws IllegalArgumentException when it is not one
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 500MB or 2GiB, got \"" + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        long factor = switch (unit) {
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            case "TIB" -> 1L << 40;
            default -> 1L;
        };
        return Math.multiplyExact(n, factor);
    }

    private static Duration duration(ConfigSection section, String key) {
        try {
            return parseDuration(section.rawText(key));
        } catch (IllegalArgumentException e) {
            throw section.error(key, e.getMessage());
        }
    }

    private static long size(ConfigSection section, String key) {
        try {
            return parseSize(section.rawText(key));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw section.error(key, e.getMessage() == null ? "too large" : e.getMessage());
        }
    }
}
