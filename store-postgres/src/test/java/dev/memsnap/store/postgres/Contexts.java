package dev.memsnap.store.postgres;

import dev.memsnap.api.format.SnapshotEncoding;
import dev.memsnap.api.format.SnapshotFormat;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.api.plugin.PluginRuntime;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotIds;
import dev.memsnap.core.format.SnapshotJson;

import java.time.Clock;

/** What memsnap hands the store's factory, made from core's parts for tests that build a store by hand. */
final class Contexts {
    private Contexts() {
    }

    /**
     * @param codec the encoding the store writes with, as {@code memory:} would configure it
     * @return a context with core's id rules and format; its runtime is not there, as before start
     */
    static PluginContext of(SnapshotCodec codec) {
        return of((SnapshotEncoding) codec);
    }

    /** @param codec the encoding the store writes with: core's, or another plugin SPI encoding */
    static PluginContext of(SnapshotEncoding codec) {
        SnapshotJson json = new SnapshotJson();
        return new PluginContext() {
            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public SnapshotEncoding encoding() {
                return codec;
            }

            @Override
            public SnapshotFormat format() {
                return json;
            }

            @Override
            public boolean isValidSnapshotId(String snapshotId) {
                return SnapshotIds.isValid(snapshotId);
            }

            @Override
            public PluginRuntime runtime() {
                throw new IllegalStateException("a store made by hand runs without a memsnap runtime");
            }
        };
    }

    /**
     * @param codec core's codec, with encryption
     * @return it as a plugin saw it before V5: an encoding without keys per memory, everything under the master key
     */
    static SnapshotEncoding masterKeyOnly(SnapshotCodec codec) {
        return new SnapshotEncoding() {
            @Override
            public String suffix() {
                return codec.suffix();
            }

            @Override
            public byte[] encode(dev.memsnap.api.MemorySnapshot snapshot) {
                return codec.encode(snapshot);
            }

            @Override
            public dev.memsnap.api.MemorySnapshot decode(byte[] stored, String source) {
                return codec.decode(stored, source);
            }

            @Override
            public void checkKeys() {
                codec.checkKeys();
            }
        };
    }
}
