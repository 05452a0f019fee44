package dev.memsnap.store.postgres;

import com.google.inject.Module;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.ConfigSection;
import dev.memsnap.core.MemsnapPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * How core finds this store: listed in {@code META-INF/services/dev.memsnap.core.MemsnapPlugin}, so that with this
 * jar on the class path (or in the plugin directory) {@code Memsnap.start} asks it for bindings. It reads
 * {@code memory.store}: {@code postgres} installs {@link PostgresStoreModule} with the {@code memory.postgres:}
 * section; {@code file}, or no value, contributes nothing and core's file store stays.
 */
public final class PostgresStorePlugin implements MemsnapPlugin {
    /** The plugin's name. */
    public static final String NAME = "postgres-store";
    /** The {@code memory.store} values this plugin knows: core's default, and its own. */
    static final List<String> KNOWN_STORES = List.of("file", PostgresStoreConfig.STORE_NAME);
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
     *         nothing
     * @throws dev.memsnap.core.ConfigException when {@code memory.store} is another value, or the
     *                                          {@code memory.postgres:} section is wrong
     */
    @Override
    public Module module(ConfigFile config) {
        ConfigSection memory = config.section("memory");
        String store = memory.string("store", "file");
        if (store.equals("file")) {
            return binder -> { };
        }
        if (!store.equals(PostgresStoreConfig.STORE_NAME)) {
            throw memory.error("store", "expected one of " + String.join(", ", KNOWN_STORES) + ", got \""
                    + store + "\"");
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
