package dev.memsnap.core.codec;

import java.util.Arrays;
import java.util.Locale;

/** How stored snapshots are compressed ({@code memory.compression}). Reading detects it from the content. */
public enum Compression {
    /** Plain JSON in the seed's layout: {@code <id>.json}. */
    NONE(".json"),
    /** gzip from the JDK: {@code <id>.json.gz}, readable with {@code zcat}. */
    GZIP(".json.gz"),
    /** Zstandard, in pure Java: {@code <id>.json.zst}, readable with {@code zstdcat}; about 10x gzip's speed. */
    ZSTD(".json.zst");

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    /** @return the file name suffix of a snapshot stored this way, unencrypted */
    public String suffix() {
        return suffix;
    }

    /**
     * @param name a config value: {@code none}, {@code gzip} or {@code zstd}
     * @return the compression
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Compression parse(String name) {
        for (Compression c : values()) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("expected one of " + Arrays.stream(values())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", got \"" + name + "\"");
    }
}
