package dev.memsnap.store.postgres;

import dev.memsnap.api.ConfigException;
import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.api.plugin.PluginConfig;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.api.plugin.StoreFactory;
import dev.memsnap.api.store.SnapshotStore;

import java.util.List;

/**
 * How memsnap finds this store: listed in {@code META-INF/services/dev.memsnap.api.plugin.MemsnapPlugin}, so that
 * with this jar on the class path (or in the plugin directory) it offers one store, named
 * {@value PostgresStoreConfig#STORE_NAME}. memsnap creates it when {@code memory.store} names it, from the
 * {@code memory.postgres:} section; otherwise the factory is never called and the section is not read. Every tool
 * that opens the configured store ({@code Memsnap.start}, {@code SnapshotStores.open}, the command line) gets it the
 * same way.
 */
public final class PostgresStorePlugin implements MemsnapPlugin {
    /** The plugin's name. */
    public static final String NAME = "postgres-store";

    /** Called by {@link java.util.ServiceLoader}. */
    public PostgresStorePlugin() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return the {@value PostgresStoreConfig#STORE_NAME} store */
    @Override
    public List<StoreFactory> storeFactories() {
        return List.of(StoreFactory.of(PostgresStoreConfig.STORE_NAME, PostgresStorePlugin::store));
    }

    /**
     * Makes the store, connecting to nothing: it opens its pool and migrates the schema in {@code start()}.
     *
     * @throws ConfigException when the {@code memory.postgres:} section is missing or wrong; the message names the key
     */
    private static SnapshotStore store(PluginConfig config, PluginContext context) {
        if (!config.has(PostgresStoreConfig.SECTION)) {
            throw new ConfigException(config.source() + ": " + PostgresStoreConfig.SECTION + ": memory.store is "
                    + PostgresStoreConfig.STORE_NAME + ", so this section is required, with at least url");
        }
        PostgresStoreConfig postgres = config.bind(PostgresStoreConfig.SECTION, PostgresStoreConfig.class);
        try {
            postgres.requireUrl();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.source() + ": " + PostgresStoreConfig.SECTION + "." + e.getMessage());
        }
        return new PostgresSnapshotStore(postgres, context);
    }

    @Override
    public String toString() {
        return "PostgresStorePlugin";
    }
}
