package dev.memsnap.core;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.memsnap.api.ConfigException;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.plugin.PluginContext;

import java.util.List;

/**
 * Opens the store a configuration names, the same way the runtime does: {@code memory.store} picks among core's
 * stores and the plugins' (found on the class path and in {@code plugins.directory}). For tools that need the store
 * and nothing else — the command line, an export job — so that every tool reads and writes where the host does.
 * <pre>
 * try (SnapshotStores.Opened opened = SnapshotStores.open(ConfigFile.loadOrDefaults(Path.of("config.yaml")))) {
 *     opened.store().list();
 * }
 * </pre>
 */
public final class SnapshotStores {
    private SnapshotStores() {
    }

    /**
     * A started store; closing it stops the store.
     *
     * @param store   the store
     * @param context what the store was made with (its encoding, the format)
     * @param name    its {@code memory.store} name
     */
    public record Opened(SnapshotStore store, PluginContext context, String name, Runnable onClose)
            implements AutoCloseable {
        /**
         * @param store   the store
         * @param context what the store was made with
         * @param name    its {@code memory.store} name
         */
        public Opened(SnapshotStore store, PluginContext context, String name) {
            this(store, context, name, () -> { });
        }

        /** Stops the store and releases the plugin jars it was loaded from. */
        @Override
        public void close() {
            try {
                store.stop();
            } finally {
                onClose.run();
            }
        }
    }

    /**
     * @param config the host's configuration
     * @return the store {@code memory.store} names, started
     * @throws ConfigException   when the configuration is wrong or names no known store
     * @throws SnapshotException when the store cannot start
     */
    public static Opened open(ConfigFile config) {
        return open(config, config.memory(), SnapshotStores.class.getClassLoader());
    }

    /**
     * @param config the host's configuration, which plugins read their sections from
     * @param memory the {@code memory:} settings to use (a tool may override the directory or the keys)
     * @param loader where to look for plugins
     * @return the store those settings name, started
     */
    public static Opened open(ConfigFile config, MemoryConfig memory, ClassLoader loader) {
        return open(config, memory, loader, dev.memsnap.core.codec.KeyEnvironment.system(), true);
    }

    /**
     * For a tool with an environment of its own, or one that only reads: core's {@code file} and {@code incremental}
     * stores read without being started, so a tool that only reads prepares nothing on disk; a plugin's store may
     * need starting to read at all.
     *
     * @param config the host's configuration, which plugins read their sections from
     * @param memory the {@code memory:} settings to use
     * @param loader where to look for plugins
     * @param env    where {@code key_env} and {@code passphrase_env} are looked up
     * @param start  whether to start the store
     * @return the store those settings name
     */
    public static Opened open(ConfigFile config, MemoryConfig memory, ClassLoader loader,
                              dev.memsnap.core.codec.KeyEnvironment env, boolean start) {
        Memsnap.PluginSettings settings = config.bind("plugins", Memsnap.PluginSettings.class);
        PluginLoader.Loaded loaded = PluginLoader.load(loader, settings.directory());
        Injector injector;
        SnapshotStore store;
        try {
            injector = Guice.createInjector(new MemorySnapshotModule(memory), new PluginModule(loaded.plugins(), config),
                    binder -> com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder,
                            dev.memsnap.core.codec.KeyEnvironment.class).setBinding().toInstance(env));
            store = injector.getInstance(SnapshotStore.class);
        } catch (com.google.inject.CreationException | com.google.inject.ProvisionException e) {
            List<Throwable> causes = e instanceof com.google.inject.CreationException c
                    ? c.getErrorMessages().stream().map(m -> m.getCause()).toList()
                    : ((com.google.inject.ProvisionException) e).getErrorMessages().stream().map(m -> m.getCause())
                    .toList();
            for (Throwable cause : causes) {
                for (Throwable t = cause; t != null; t = t.getCause()) {
                    if (t instanceof SnapshotException s) {
                        throw s;
                    }
                }
            }
            throw e;
        }
        if (start) {
            store.start();
        }
        return new Opened(store, injector.getInstance(PluginContext.class), memory.store(), loaded::close);
    }
}
