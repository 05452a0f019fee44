package dev.memsnap.core;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import dev.memsnap.api.ConfigException;
import dev.memsnap.api.Lifecycle;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.api.plugin.PluginConfig;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.api.plugin.StoreFactory;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.manager.ManagerModule;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adapts plugins to Guice: install it beside {@link MemorySnapshotModule} to use plugins in an injector of the host's
 * own ({@link Memsnap#start} installs it with the plugins it finds).
 * <pre>
 * ConfigFile config = ConfigFile.loadOrDefaults(Path.of("config.yaml"));
 * Injector injector = Guice.createInjector(new MemorySnapshotModule(config.memory()),
 *         new PluginModule(config, List.of(new PostgresStorePlugin())));
 * </pre>
 * Bindings: each plugin's stores join the {@code MapBinder<String, SnapshotStore>} that {@code memory.store} picks
 * from; their event listeners join the {@code Set<SnapshotEventListener>}; their services join the set
 * {@link MemsnapLifecycle#SERVICES}; their manager decorators wrap the manager, in the order the plugins are given.
 * {@link PluginConfig} and {@link PluginContext} are bound for them. Installing the module calls no factory: the
 * factories run when the injector makes the parts, and no part does I/O before {@link MemsnapLifecycle#start()}.
 */
public final class PluginModule extends AbstractModule {
    private final PluginConfig config;
    private final List<PluginLoader.Found> plugins;

    /**
     * @param config  the host's configuration, which the plugins read their sections from
     * @param plugins the plugins to install, in order
     * @throws ConfigException when two plugins share a name, or two stores do
     */
    public PluginModule(PluginConfig config, List<MemsnapPlugin> plugins) {
        this(plugins.stream().map(PluginLoader.Found::onClassPath).toList(), config);
    }

    PluginModule(List<PluginLoader.Found> plugins, PluginConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.plugins = List.copyOf(plugins);
        Map<String, String> names = new HashMap<>();
        Map<String, String> stores = new HashMap<>(Map.of(MemoryConfig.DEFAULT_STORE, "memsnap-core",
                "incremental", "memsnap-core"));
        for (PluginLoader.Found found : this.plugins) {
            String previous = names.putIfAbsent(found.plugin().name(), found.source());
            if (previous != null) {
                throw new ConfigException("two memsnap plugins are named \"" + found.plugin().name() + "\": "
                        + previous + " and " + found.source());
            }
            for (StoreFactory store : storeFactories(found)) {
                String owner = stores.putIfAbsent(store.name(), found.plugin().name());
                if (owner != null) {
                    throw new ConfigException("two stores are named \"" + store.name() + "\": " + owner + "'s and "
                            + found.plugin().name() + "'s");
                }
            }
        }
    }

    private static List<StoreFactory> storeFactories(PluginLoader.Found found) {
        return PluginParts.call(found.loader(), found.plugin()::storeFactories);
    }

    @Override
    protected void configure() {
        bind(PluginConfig.class).toInstance(config);
        MapBinder<String, SnapshotStore> stores = MapBinder.newMapBinder(binder(), String.class, SnapshotStore.class);
        for (PluginLoader.Found found : plugins) {
            for (StoreFactory factory : storeFactories(found)) {
                stores.addBinding(factory.name()).toProvider(new FactoryStore(found, factory, config)).in(Singleton.class);
            }
        }
        Multibinder.newSetBinder(binder(), SnapshotEventListener.class).addBinding().toProvider(
                new PartProvider<>(PluginParts::listener));
        Multibinder.newSetBinder(binder(), Lifecycle.class, MemsnapLifecycle.SERVICES).addBinding().toProvider(
                new PartProvider<>(PluginParts::service));
        Multibinder.newSetBinder(binder(), ManagerModule.DECORATOR).addBinding().toProvider(
                new PartProvider<>(PluginParts::decorator));
    }

    @Provides
    @Singleton
    PluginParts parts(PluginContext context) {
        return new PluginParts(plugins, config, context);
    }

    /** One of the plugin parts' composites, from the injector's one {@link PluginParts}. */
    private static final class PartProvider<T> implements jakarta.inject.Provider<T> {
        private final java.util.function.Function<PluginParts, T> part;
        @Inject
        private com.google.inject.Provider<PluginParts> parts;

        PartProvider(java.util.function.Function<PluginParts, T> part) {
            this.part = part;
        }

        @Override
        public T get() {
            return part.apply(parts.get());
        }
    }

    /** A plugin's store, made by its factory under the plugin's class loader. */
    private static final class FactoryStore implements jakarta.inject.Provider<SnapshotStore> {
        private final PluginLoader.Found plugin;
        private final StoreFactory factory;
        private final PluginConfig config;
        @Inject
        private PluginContext context;

        FactoryStore(PluginLoader.Found plugin, StoreFactory factory, PluginConfig config) {
            this.plugin = plugin;
            this.factory = factory;
            this.config = config;
        }

        @Override
        public SnapshotStore get() {
            SnapshotStore store = PluginParts.call(plugin.loader(), () -> factory.create(config, context));
            return Objects.requireNonNull(store, () -> plugin.source() + ": store factory " + factory.name()
                    + " returned null");
        }
    }
}
