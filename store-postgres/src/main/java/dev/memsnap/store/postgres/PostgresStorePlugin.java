package dev.memsnap.store.postgres;

import com.google.inject.Module;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.ConfigSection;
import dev.memsnap.core.MemsnapPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * How core finds this store: listed in {@code META-INF/services/dev.memsnap.core.MemsnapPlugin}, so that with this
 * jar on the class path (or in the plugin directory) {@code Memsnap.start} asks it for bindings. It reads
 * {@code memory.store}: {@code postgres} installs {@link PostgresStoreModule} with the {@code memory.postgres:}
 * section; {@code file}, or no value, contributes nothing and core's file store stays.
 */
public final class PostgresStorePlugin implements MemsnapPlugin {
    /** The plugin's name. */
    public static final String NAME = "postgres-store";
    private static final Logger log = LoggerFactory.getLogger(PostgresStorePlugin.class);

    /** Called by {@link java.util.ServiceLoader}. */
    public PostgresStorePlugin() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @param config the host's configuration; this plugin reads {@code memory.store} and {@code memory.postgres}
     * @return {@link PostgresStoreModule} when {@code memory.store} is {@code postgres}, else a module that binds
     *         nothing (core checks other values against the stores it knows)
     * @throws dev.memsnap.core.ConfigException when the {@code memory.postgres:} section is wrong
     */
    @Override
    public Module module(ConfigFile config) {
        ConfigSection memory = config.section("memory");
        if (!PostgresStoreConfig.STORE_NAME.equals(memory.string("store", "file"))) {
            return binder -> { };
        }
        PostgresStoreConfig postgres = PostgresStoreConfig.from(memory);
        if (memory.has("snapshot_dir")) {
            log.info("memory.store is postgres: memory.snapshot_dir in {} is not used", config.source());
        }
        return new PostgresStoreModule(postgres);
    }

    @Override
    public String toString() {
        return "PostgresStorePlugin";
    }
}
