package dev.memsnap.core;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import dev.memsnap.api.ConfigException;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.api.store.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A running memsnap: the injector, with the plugins found on the class path and in the plugin directory installed,
 * and every part that holds resources started through the one {@link MemsnapLifecycle}. Close it to stop them in
 * reverse order: queued automatic saves finish, sockets close.
 * <pre>
 * try (Memsnap memsnap = Memsnap.start(ConfigFile.loadOrDefaults(Path.of("config.yaml")))) {
 *     EnhancedMemoryManager memory = memsnap.manager();
 *     ...
 * }
 * </pre>
 */
public final class Memsnap implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Memsnap.class);

    private final Injector injector;
    private final List<MemsnapPlugin> plugins;
    private final List<String> problems;
    private final MemsnapLifecycle lifecycle;

    private final Runnable releasePlugins;

    private Memsnap(Injector injector, List<MemsnapPlugin> plugins, List<String> problems, Runnable releasePlugins) {
        this.releasePlugins = releasePlugins;
        this.injector = injector;
        this.plugins = List.copyOf(plugins);
        this.problems = List.copyOf(problems);
        this.lifecycle = injector.getInstance(MemsnapLifecycle.class);
    }

    /**
     * The {@code plugins:} section.
     *
     * @param directory where plugin jars are dropped, or {@code null} for none
     * @param required  plugins without which memsnap must not start
     */
    record PluginSettings(Path directory, List<String> required) {
        PluginSettings {
            required = required == null ? List.of() : List.copyOf(required);
        }
    }

    /**
     * Starts memsnap with the plugins found by this class's class loader, and those in the plugin directory of
     * {@code plugins.directory}; {@code plugins.required} lists plugins without which it must not start.
     *
     * @param config      the host's configuration
     * @param hostModules bindings of the host's own, installed last (to replace defaults use
     *                    {@code OptionalBinder.setBinding()})
     * @return the running instance
     */
    public static Memsnap start(ConfigFile config, Module... hostModules) {
        return start(config, Memsnap.class.getClassLoader(), hostModules);
    }

    /**
     * @param config       the host's configuration
     * @param pluginLoader where to look for {@code META-INF/services/dev.memsnap.api.plugin.MemsnapPlugin}
     * @param hostModules  bindings of the host's own
     * @return the running instance
     */
    public static Memsnap start(ConfigFile config, ClassLoader pluginLoader, Module... hostModules) {
        config.warnings().forEach(log::warn);
        PluginSettings settings = config.bind("plugins", PluginSettings.class);
        PluginLoader.Loaded loaded = PluginLoader.load(pluginLoader, settings.directory());
        List<String> problems = new ArrayList<>(loaded.problems());
        List<Module> modules = new ArrayList<>();
        modules.add(new MemorySnapshotModule(config.memory()));
        modules.add(new PluginModule(loaded.plugins(), config));
        Collections.addAll(modules, hostModules);
        Injector injector;
        try {
            injector = Guice.createInjector(modules);
        } catch (com.google.inject.CreationException e) {
            throw unwrap(e, e.getErrorMessages().stream().map(m -> m.getCause()).toList());
        }
        Memsnap memsnap;
        try {
            PluginParts parts = injector.getInstance(PluginParts.class);
            problems.addAll(parts.problems());
            List<MemsnapPlugin> working = loaded.plugins().stream().map(PluginLoader.Found::plugin)
                    .filter(p -> parts.problems().stream().noneMatch(problem -> problem.contains(
                            "plugin \"" + p.name() + "\" failed"))).toList();
            List<String> missing = settings.required().stream()
                    .filter(name -> working.stream().noneMatch(p -> p.name().equals(name))).toList();
            if (!missing.isEmpty()) {
                throw new ConfigException(config.source() + ": plugins.required names plugins that did not load: "
                        + missing + (problems.isEmpty() ? "" : "; problems: " + String.join("; ", problems)));
            }
            memsnap = new Memsnap(injector, working, problems, loaded::close);
            memsnap.lifecycle.start();
        } catch (com.google.inject.ProvisionException e) {
            throw unwrap(e, e.getErrorMessages().stream().map(m -> m.getCause()).toList());
        }
        log.info("memsnap started with store {} and plugins {}", injector.getInstance(SnapshotStore.class),
                memsnap.plugins.stream().map(MemsnapPlugin::name).toList());
        return memsnap;
    }

    /** A configuration mistake found while making a part: report it, not Guice's wrapping. */
    private static RuntimeException unwrap(RuntimeException guice, List<Throwable> causes) {
        for (Throwable cause : causes) {
            for (Throwable c = cause; c != null; c = c.getCause()) {
                if (c instanceof SnapshotException snapshotException) {
                    return snapshotException;
                }
            }
        }
        return guice;
    }

    /** @return the memory manager, decorated by whatever plugins decorate it */
    public EnhancedMemoryManager manager() {
        return injector.getInstance(EnhancedMemoryManager.class);
    }

    /** @return every memory of this host, one manager per memory id; {@link #manager()} is the default one's */
    public dev.memsnap.api.MemoryManagers memories() {
        return injector.getInstance(dev.memsnap.api.MemoryManagers.class);
    }

    /** @return the store {@code memory.store} chose */
    public SnapshotStore store() {
        return injector.getInstance(SnapshotStore.class);
    }

    /** @return the injector, for the host's own lookups */
    public Injector injector() {
        return injector;
    }

    /** @return the plugins installed, in the order found */
    public List<MemsnapPlugin> plugins() {
        return plugins;
    }

    /** @return why plugins in the plugin directory were not used, one message per jar naming it; empty when none */
    public List<String> problems() {
        return problems;
    }

    /** Stops every started part in reverse order; a part that fails to stop is logged and the rest still stop. */
    @Override
    public void close() {
        try {
            lifecycle.stop();
        } finally {
            releasePlugins.run();
        }
    }
}
