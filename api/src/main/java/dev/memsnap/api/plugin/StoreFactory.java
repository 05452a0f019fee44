package dev.memsnap.api.plugin;

import dev.memsnap.api.store.SnapshotStore;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Makes a {@link SnapshotStore}. memsnap creates the one store whose factory's {@link #name()} equals
 * {@code memory.store}, once, and every tool (the runtime, the command line, the dashboard) opens it the same way.
 */
public interface StoreFactory {

    /** @return the value of {@code memory.store} that picks this store, for example {@code postgres} */
    String name();

    /**
     * Makes the store; does no I/O (the store connects or creates directories in {@code start()}).
     *
     * @param config  the host's configuration; a store reads its own section, such as {@code memory.postgres}
     * @param context what memsnap offers a backend
     * @return the store, not yet started
     * @throws dev.memsnap.api.ConfigException when its configuration is wrong
     */
    SnapshotStore create(PluginConfig config, PluginContext context);

    /**
     * @param name   the store's name
     * @param create how to make it
     * @return a factory of that name
     */
    static StoreFactory of(String name, BiFunction<PluginConfig, PluginContext, SnapshotStore> create) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(create, "create");
        return new StoreFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public SnapshotStore create(PluginConfig config, PluginContext context) {
                return create.apply(config, context);
            }

            @Override
            public String toString() {
                return "StoreFactory[" + name + "]";
            }
        };
    }
}
