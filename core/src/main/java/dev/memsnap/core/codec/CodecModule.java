package dev.memsnap.core.codec;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.format.SnapshotJson;

/**
 * Binds the {@link SnapshotCodec} every store writes with, from {@code memory.compression}, {@code compression_level}
 * and {@code encryption}, with key variables from the bound {@link KeyEnvironment} (the process environment unless
 * replaced). Keys are read on first use (or when a store starts), never while the injector is built.
 */
public final class CodecModule extends AbstractModule {
    @Override
    protected void configure() {
        com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder(), KeyEnvironment.class).setDefault()
                .toProvider(KeyEnvironment::system);
    }

    @Provides
    @Singleton
    SnapshotCodec codec(MemoryConfig config, SnapshotJson json, KeyEnvironment env) {
        EncryptionConfig encryption = config.encryption();
        return new SnapshotCodec(json, config.compression(), config.compressionLevel(),
                encryption == null ? null : () -> encryption.keyRing(env.variables()));
    }
}
