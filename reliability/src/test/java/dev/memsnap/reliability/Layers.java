package dev.memsnap.reliability;

import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;

import java.util.List;

/**
 * The encodings a snapshot file can have: compression (none, gzip, zstd), each with or without encryption. Every test
 * that is about all encodings walks this list, so a new layer is added in one place.
 */
enum Layers {
    PLAIN(Compression.NONE, false),
    GZIP(Compression.GZIP, false),
    ZSTD(Compression.ZSTD, false),
    ENCRYPTED(Compression.NONE, true),
    GZIP_ENCRYPTED(Compression.GZIP, true),
    ZSTD_ENCRYPTED(Compression.ZSTD, true);

    private final Compression compression;
    private final boolean encrypted;

    Layers(Compression compression, boolean encrypted) {
        this.compression = compression;
        this.encrypted = encrypted;
    }

    /** @return whether files of this encoding need a key */
    boolean encrypted() {
        return encrypted;
    }

    /** @return the compression of this encoding */
    Compression compression() {
        return compression;
    }

    /**
     * @param keys the key ring to encrypt with; ignored when this encoding does not encrypt
     * @return a codec that writes this encoding and reads every encoding (encrypted ones with {@code keys})
     */
    SnapshotCodec codec(KeyRing keys) {
        return new SnapshotCodec(new SnapshotJson(), compression, 6, encrypted ? () -> keys : null);
    }

    /**
     * @param keys a key ring
     * @return a codec that writes plain JSON but reads every encoding, encrypted ones with {@code keys}
     */
    static SnapshotCodec reader(KeyRing keys) {
        return new SnapshotCodec(new SnapshotJson(), Compression.NONE, 6, () -> keys);
    }

    /** @return the encodings without encryption */
    static List<Layers> unencrypted() {
        return List.of(PLAIN, GZIP, ZSTD);
    }
}
