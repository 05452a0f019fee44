package dev.memsnap.core;

import dev.memsnap.api.ConfigException;
import dev.memsnap.api.plugin.MemsnapPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

/**
 * Finds {@link MemsnapPlugin}s with {@link ServiceLoader}, through explicit class loaders: the host's class path, and
 * each jar of the plugin directory in a {@link PluginClassLoader} of its own. Every plugin found is logged.
 *
 * <p>On the class path a provider that cannot be loaded, or two plugins of one name, stop start-up: that is a
 * build mistake. In the plugin directory, where users drop jars, a broken jar, a jar without a plugin, or a second
 * plugin of a name already taken is reported as a {@linkplain Loaded#problems() problem} naming the jar, and the host
 * runs on what did load; {@code plugins.required} turns a missing plugin into a refusal to start.
 */
final class PluginLoader {
    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);
    private static final String SERVICE_FILE = "META-INF/services/" + MemsnapPlugin.class.getName();

    private PluginLoader() {
    }

    /**
     * @param plugins  what loaded, each with the class loader its calls must run under
     * @param problems what did not, one message per jar
     */
    record Loaded(List<Found> plugins, List<String> problems) {
        /** Closes the class loaders of the plugin directory's jars, so that their files are released. */
        void close() {
            for (Found found : plugins) {
                if (found.loader() instanceof PluginClassLoader own) {
                    try {
                        own.close();
                    } catch (java.io.IOException e) {
                        log.debug("Could not close {}", own, e);
                    }
                }
            }
        }
    }

    /** A plugin and its class loader. */
    record Found(MemsnapPlugin plugin, ClassLoader loader, String source, boolean fromDirectory) {
        static Found onClassPath(MemsnapPlugin plugin) {
            return new Found(plugin, plugin.getClass().getClassLoader(), describe(plugin), false);
        }
    }

    static Loaded load(ClassLoader classPath, Path directory) {
        Map<String, Found> byName = new LinkedHashMap<>();
        for (MemsnapPlugin plugin : fromClassPath(classPath)) {
            Found found = new Found(plugin, classPath, describe(plugin), false);
            Found previous = byName.putIfAbsent(plugin.name(), found);
            if (previous != null) {
                throw new ConfigException("two memsnap plugins are named \"" + plugin.name() + "\": "
                        + previous.source() + " and " + found.source());
            }
            log.info("Loaded memsnap plugin {} ({})", plugin.name(), found.source());
        }
        List<String> problems = new ArrayList<>();
        if (directory != null) {
            for (Path jar : jarsIn(directory, problems)) {
                loadJar(jar, classPath, byName, problems);
            }
        }
        problems.forEach(problem -> log.error("Plugin not loaded: {}", problem));
        return new Loaded(List.copyOf(byName.values()), List.copyOf(problems));
    }

    private static List<MemsnapPlugin> fromClassPath(ClassLoader classLoader) {
        List<MemsnapPlugin> plugins = new ArrayList<>();
        Iterator<MemsnapPlugin> providers = ServiceLoader.load(MemsnapPlugin.class, classLoader).iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    return plugins;
                }
                plugins.add(providers.next());
            } catch (ServiceConfigurationError e) {
                throw new ConfigException("cannot load memsnap plugin: " + e.getMessage(), e);
            }
        }
    }

    private static List<Path> jarsIn(Path directory, List<String> problems) {
        List<Path> jars = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            problems.add(directory + ": plugin directory does not exist");
            return jars;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.jar")) {
            files.forEach(jars::add);
        } catch (IOException e) {
            problems.add(directory + ": cannot list plugin directory: " + e.getMessage());
        }
        jars.sort(null);
        return jars;
    }

    private static void loadJar(Path jar, ClassLoader host, Map<String, Found> byName, List<String> problems) {
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getEntry(SERVICE_FILE) == null) {
                problems.add(jar + ": no memsnap plugin in it (it has no " + SERVICE_FILE + ")");
                return;
            }
        } catch (IOException e) {
            problems.add(jar + ": not a readable jar (" + e.getMessage() + ")");
            return;
        }
        PluginClassLoader loader;
        try {
            loader = new PluginClassLoader(jar, host);
        } catch (IOException e) {
            problems.add(jar + ": cannot open (" + e.getMessage() + ")");
            return;
        }
        int before = byName.size();
        Iterator<MemsnapPlugin> providers = ServiceLoader.load(MemsnapPlugin.class, loader).iterator();
        while (true) {
            MemsnapPlugin plugin;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                plugin = providers.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                problems.add(jar + ": cannot load its plugin (" + e.getMessage() + ")");
                return;
            }
            Found previous = byName.get(plugin.name());
            if (previous != null) {
                problems.add(jar + ": a plugin named \"" + plugin.name() + "\" is already loaded from "
                        + previous.source() + "; this one was skipped");
                continue;
            }
            byName.put(plugin.name(), new Found(plugin, loader, jar.toString(), true));
            log.info("Loaded memsnap plugin {} from {}", plugin.name(), jar);
        }
        if (byName.size() == before && problems.stream().noneMatch(p -> p.startsWith(jar.toString()))) {
            problems.add(jar + ": no memsnap plugin in it (its service file lists none)");
        }
    }

    static String describe(MemsnapPlugin plugin) {
        var source = plugin.getClass().getProtectionDomain().getCodeSource();
        return plugin.getClass().getName() + (source == null ? "" : " from " + source.getLocation());
    }
}
