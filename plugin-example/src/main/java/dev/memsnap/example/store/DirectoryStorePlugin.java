package dev.memsnap.example.store;

import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.api.plugin.StoreFactory;

import java.util.List;

/**
 * The {@code example-directory-store} plugin: a store, {@code memory.store: example-directory}, that keeps each
 * snapshot as one file in a directory of its own, encoded the way {@code memory:} says (compression, encryption)
 * through memsnap's {@link dev.memsnap.api.format.SnapshotEncoding}. It is the template for a store of your own (S3, a
 * key-value store): written against {@code memsnap-api} alone, and tested with core's {@code SnapshotStoreContract}.
 * <pre>
 * memory:
 *   store: example-directory
 *   example_directory:
 *     path: data/memory/example-directory
 * </pre>
 * When {@code memory.store} names another store, this factory is never called and the plugin costs nothing.
 */
public final class DirectoryStorePlugin implements MemsnapPlugin {
    /** The plugin's name, as {@code plugins.required} and the logs refer to it. */
    public static final String NAME = "example-directory-store";
    /** The value of {@code memory.store} that picks this store. */
    public static final String STORE_NAME = "example-directory";
    /** The section this store reads. */
    public static final String SECTION = "memory.example_directory";

    /** Called by {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
    public DirectoryStorePlugin() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** One store; the factory only reads its section: the directory is created in the store's {@code start()}. */
    @Override
    public List<StoreFactory> storeFactories() {
        return List.of(StoreFactory.of(STORE_NAME, (config, context) -> new DirectorySnapshotStore(
                config.bind(SECTION, DirectoryStoreSettings.class).path(), context)));
    }

    @Override
    public String toString() {
        return "DirectoryStorePlugin";
    }
}
