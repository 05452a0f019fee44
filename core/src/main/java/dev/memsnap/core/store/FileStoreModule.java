package dev.memsnap.core.store;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.ConfigException;
import dev.memsnap.core.MemoryConfig;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.TreeSet;

/**
 * Binds the {@link SnapshotStore}: the one {@code memory.store} names among the stores of the
 * {@code MapBinder<String, SnapshotStore>}: core's {@code file} (one JSON file per snapshot) and {@code incremental}
 * (content-addressed chunks and small manifests), each keeping the default memory in {@code snapshot_dir} and every
 * other memory id in a directory of its own under {@code snapshot_dir/memories/}; plugins add theirs with
 * {@code MapBinder.newMapBinder(binder, String.class, SnapshotStore.class).addBinding(name)}. An unknown name fails
 * with the list of known ones. A host or plugin that binds a store with
 * {@code OptionalBinder.newOptionalBinder(binder(), SnapshotStore.class).setBinding()} bypasses the choice.
 * Needs a bound {@link MemoryConfig}.
 */
public final class FileStoreModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, SnapshotStore> stores = MapBinder.newMapBinder(binder(), String.class, SnapshotStore.class);
        stores.addBinding(MemoryConfig.DEFAULT_STORE).toProvider(FileStoreProvider.class).in(Singleton.class);
        stores.addBinding(IncrementalSnapshotStore.NAME).toProvider(IncrementalStoreProvider.class)
                .in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), SnapshotStore.class).setDefault().toProvider(ChosenStore.class)
                .in(Singleton.class);
    }

    /** One JSON file per snapshot, a directory per memory id. */
    static final class FileStoreProvider implements Provider<SnapshotStore> {
        private final MemoryConfig config;
        private final dev.memsnap.core.codec.SnapshotCodec codec;

        @Inject
        FileStoreProvider(MemoryConfig config, dev.memsnap.core.codec.SnapshotCodec codec) {
            this.config = config;
            this.codec = codec;
        }

        @Override
        public SnapshotStore get() {
            if (FileStores.isIncremental(config.snapshotDir())) {
                throw new dev.memsnap.api.ConfigException("memory.store is file, but " + config.snapshotDir()
                        + " holds an incremental store (index.jsonl and manifests/): set memory.store: incremental,"
                        + " or give another snapshot_dir; plain files written there would be invisible to it");
            }
            return FileStores.partitioned(config.snapshotDir(), codec, FileSnapshotStore::new);
        }
    }

    /** Content-addressed chunks and manifests, a directory per memory id. */
    static final class IncrementalStoreProvider implements Provider<SnapshotStore> {
        private final MemoryConfig config;
        private final dev.memsnap.core.codec.SnapshotCodec codec;

        @Inject
        IncrementalStoreProvider(MemoryConfig config, dev.memsnap.core.codec.SnapshotCodec codec) {
            this.config = config;
            this.codec = codec;
        }

        @Override
        public SnapshotStore get() {
            return FileStores.partitioned(config.snapshotDir(), codec, IncrementalSnapshotStore::new);
        }
    }

    /** Picks the store {@code memory.store} names, as Druid's PolyBind does. */
    static final class ChosenStore implements Provider<SnapshotStore> {
        private final MemoryConfig config;
        private final Map<String, Provider<SnapshotStore>> stores;

        @Inject
        ChosenStore(MemoryConfig config, Map<String, Provider<SnapshotStore>> stores) {
            this.config = config;
            this.stores = stores;
        }

        @Override
        public SnapshotStore get() {
            Provider<SnapshotStore> chosen = stores.get(config.store());
            if (chosen == null) {
                throw new ConfigException("memory.store: no store named \"" + config.store() + "\"; known stores: "
                        + String.join(", ", new TreeSet<>(stores.keySet()))
                        + " (plugins add others, such as postgres from memsnap-store-postgres)");
            }
            return chosen.get();
        }
    }
}
