package dev.memsnap.core;

import com.google.inject.Module;

/**
 * An extension that core finds with {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.memsnap.core.MemsnapPlugin}. {@link Memsnap#start} installs the module of every plugin
 * on the class path, so a plugin can add an event backend, replace the store, or decorate the manager.
 *
 * <p>The module must be fast and free of side effects, like any Guice module: parts that open files or sockets
 * implement {@link dev.memsnap.api.Lifecycle} and are started by the runtime.
 */
public interface MemsnapPlugin {

    /** @return a short unique name, used in logs and to refuse duplicates, for example {@code websocket} */
    String name();

    /**
     * @param config the host's whole configuration; a plugin reads its own section
     * @return the bindings this plugin contributes
     * @throws ConfigException when the plugin's section is wrong
     */
    Module module(ConfigFile config);
}
