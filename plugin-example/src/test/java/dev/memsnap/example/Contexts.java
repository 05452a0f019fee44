package dev.memsnap.example;

import com.google.inject.Guice;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemorySnapshotModule;

/** What memsnap hands a plugin's factories, made by core the way a running memsnap makes it. */
public final class Contexts {
    private Contexts() {
    }

    /** @return the context of memsnap's defaults: plain JSON, the system clock */
    public static PluginContext defaults() {
        return of(ConfigFile.empty());
    }

    /**
     * @param config a configuration, whose {@code memory:} section chooses the encoding
     * @return the context a plugin gets under it
     */
    public static PluginContext of(ConfigFile config) {
        return Guice.createInjector(new MemorySnapshotModule(config.memory())).getInstance(PluginContext.class);
    }
}
