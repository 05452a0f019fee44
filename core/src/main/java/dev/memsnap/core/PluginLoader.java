package dev.memsnap.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds {@link MemsnapPlugin}s with {@link ServiceLoader} through an explicit class loader. A provider that cannot be
 * loaded, or two plugins of one name, stop start-up with a message naming them; every plugin found is logged.
 */
final class PluginLoader {
    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);

    private PluginLoader() {
    }

    static List<MemsnapPlugin> load(ClassLoader classLoader) {
        Map<String, MemsnapPlugin> byName = new LinkedHashMap<>();
        Iterator<MemsnapPlugin> providers = ServiceLoader.load(MemsnapPlugin.class, classLoader).iterator();
        while (true) {
            MemsnapPlugin plugin;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                plugin = providers.next();
            } catch (ServiceConfigurationError e) {
                throw new ConfigException("cannot load memsnap plugin: " + e.getMessage(), e);
            }
            String name = plugin.name();
            MemsnapPlugin previous = byName.putIfAbsent(name, plugin);
            if (previous != null) {
                throw new ConfigException("two memsnap plugins are named \"" + name + "\": "
                        + describe(previous) + " and " + describe(plugin));
            }
            log.info("Loaded memsnap plugin {} ({})", name, describe(plugin));
        }
        return new ArrayList<>(byName.values());
    }

    static String describe(MemsnapPlugin plugin) {
        var source = plugin.getClass().getProtectionDomain().getCodeSource();
        return plugin.getClass().getName() + (source == null ? "" : " from " + source.getLocation());
    }
}
