package dev.memsnap.core.codec;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.format.SnapshotJson;

/**
 * Binds the {@link SnapshotCodec} every store writes with, from {@code memory.compression}, {@code compression_level}
 * and {@code encryption}. Keys are read on first use (or when a store starts), never while the injector is built.
 */
public final class CodecModule extends AbstractModule {
    @Provides
    @Singleton
    SnapshotCodec codec(MemoryConfig config, SnapshotJson json) {
        EncryptionConfig encryption = config.encryption();
        return new SnapshotCodec(json, config.compression(), config.compressionLevel(),
                encryption == null ? null : () -> encryption.keyRing(System.getenv()));
    }
}
