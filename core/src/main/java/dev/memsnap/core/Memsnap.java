package dev.memsnap.core;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Lifecycle;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.manager.ManagerModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A running memsnap: the injector, with the plugins found on the class path installed, and every part that holds
 * resources started. Close it to stop them in reverse order: queued automatic saves finish, sockets close.
 * <pre>
 * try (Memsnap memsnap = Memsnap.start(ConfigFile.load(Path.of("config.yaml")))) {
 *     EnhancedMemoryManager memory = memsnap.manager();
 *     ...
 * }
 * </pre>
 */
public final class Memsnap implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Memsnap.class);

    private final Injector injector;
    private final List<MemsnapPlugin> plugins;
    private final List<Lifecycle> started = new ArrayList<>();

    private final List<String> problems;

    private Memsnap(Injector injector, List<MemsnapPlugin> plugins, List<String> problems) {
        this.injector = injector;
        this.plugins = List.copyOf(plugins);
        this.problems = List.copyOf(problems);
    }

    /**
     * Starts memsnap with the plugins found by this class's class loader, and those in the plugin directory of
     * {@code plugins.directory}; {@code plugins.required} lists plugins without which it must not start.
     *
     * @param config     the host's configuration
     * @param hostModules bindings of the host's own, installed last (to replace defaults use
     *                    {@code OptionalBinder.setBinding()})
     * @return the running instance
     */
    public static Memsnap start(ConfigFile config, Module... hostModules) {
        return start(config, Memsnap.class.getClassLoader(), hostModules);
    }

    /**
     * @param config      the host's configuration
     * @param pluginLoader where to look for {@code META-INF/services/dev.memsnap.core.MemsnapPlugin}
     * @param hostModules bindings of the host's own
     * @return the running instance
     */
    public static Memsnap start(ConfigFile config, ClassLoader pluginLoader, Module... hostModules) {
        ConfigSection pluginConfig = config.section("plugins");
        Path directory = pluginConfig.path("directory", null);
        List<String> required = pluginConfig.strings("required");
        PluginLoader.Loaded loaded = PluginLoader.load(pluginLoader, directory);

        List<MemsnapPlugin> plugins = new ArrayList<>();
        List<String> problems = new ArrayList<>(loaded.problems());
        List<Module> modules = new ArrayList<>();
        modules.add(new MemorySnapshotModule(config.memory()));
        for (PluginLoader.Found found : loaded.plugins()) {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(found.loader());
            try {
                modules.add(found.plugin().module(config));
                plugins.add(found.plugin());
            } catch (RuntimeException | LinkageError e) {
                if (found.loader() == pluginLoader || e instanceof ConfigException) {
                    throw e; // a class path plugin, or a plugin's config: the host's own mistake
                }
                problems.add(found.source() + ": plugin \"" + found.plugin().name() + "\" failed: " + e);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
        List<String> missing = required.stream()
                .filter(name -> plugins.stream().noneMatch(p -> p.name().equals(name))).toList();
        if (!missing.isEmpty()) {
            throw new ConfigException(config.source() + ": plugins.required names plugins that did not load: "
                    + missing + (problems.isEmpty() ? "" : "; problems: " + String.join("; ", problems)));
        }
        Collections.addAll(modules, hostModules);
        Memsnap memsnap = new Memsnap(Guice.createInjector(modules), plugins, problems);
        try {
            memsnap.startParts();
        } catch (com.google.inject.ProvisionException e) {
            // a configuration mistake found while making a part: report it, not Guice's wrapping
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof dev.memsnap.api.SnapshotException snapshotException) {
                    throw snapshotException;
                }
            }
            throw e;
        }
        return memsnap;
    }

    private void startParts() {
        Set<Lifecycle> parts = new LinkedHashSet<>();
        parts.add(injector.getInstance(SnapshotStore.class));
        parts.addAll(injector.getInstance(Key.get(new TypeLiteral<Set<SnapshotEventListener>>() { })));
        addIfLifecycle(parts, injector.getInstance(ManagerModule.CORE_MANAGER));
        addIfLifecycle(parts, injector.getInstance(EnhancedMemoryManager.class));
        try {
            for (Lifecycle part : parts) {
                part.start();
                started.add(part);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("memsnap started with store {} and plugins {}", injector.getInstance(SnapshotStore.class),
                plugins.stream().map(MemsnapPlugin::name).toList());
    }

    private static void addIfLifecycle(Set<Lifecycle> parts, Object candidate) {
        if (candidate instanceof Lifecycle lifecycle) {
            parts.add(lifecycle);
        }
    }

    /** @return the memory manager, decorated by whatever plugins decorate it */
    public EnhancedMemoryManager manager() {
        return injector.getInstance(EnhancedMemoryManager.class);
    }

    /** @return the injector, for the host's own lookups */
    public Injector injector() {
        return injector;
    }

    /** @return the plugins installed, in the order found */
    public List<MemsnapPlugin> plugins() {
        return plugins;
    }

    /** @return why jars in the plugin directory were not loaded, one message per jar naming it; empty when none */
    public List<String> problems() {
        return problems;
    }

    /** Stops every started part in reverse order; a part that fails to stop is logged and the rest still stop. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Lifecycle part = started.get(i);
            try {
                part.stop();
            } catch (RuntimeException e) {
                log.warn("Could not stop {}", part, e);
            }
        }
        started.clear();
    }
}
