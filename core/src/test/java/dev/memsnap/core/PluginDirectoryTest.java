package dev.memsnap.core;

import dev.memsnap.api.ConfigException;
import dev.memsnap.core.testing.PluginJars;
import dev.memsnap.api.plugin.MemsnapPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real jars in a real plugin directory, each loaded in a class loader of its own. */
class PluginDirectoryTest {
    @TempDir
    Path dir;

    private static final String SERVICE = MemsnapPlugin.class.getName();

    /**
     * A plugin that counts the events it receives into a system property (visible to the test across class
     * loaders) and binds the result of its own bundled {@code org.yaml.snakeyaml.Yaml}, a class the host also has.
     */
    private static Map<String, String> countingPlugin(String pkg, String name) {
        String plugin = """
                package %1$s;
                public final class CountingPlugin implements dev.memsnap.api.plugin.MemsnapPlugin {
                    public String name() { return "%2$s"; }
                    public java.util.List<dev.memsnap.api.plugin.EventListenerFactory> eventListenerFactories() {
                        return java.util.List.of(dev.memsnap.api.plugin.EventListenerFactory.of("%2$s",
                            (config, context) -> {
                                System.setProperty("%2$s.yaml", new org.yaml.snakeyaml.Yaml().toString());
                                return java.util.Optional.of(event -> System.setProperty("%2$s.events",
                                    String.valueOf(Integer.getInteger("%2$s.events", 0) + 1)));
                            }));
                    }
                }
                """.formatted(pkg, name);
        String ownYaml = """
                package org.yaml.snakeyaml;
                public class Yaml {
                    @Override public String toString() { return "the plugin's own Yaml"; }
                }
                """;
        return Map.of(pkg + ".CountingPlugin", plugin, "org.yaml.snakeyaml.Yaml", ownYaml);
    }

    private Path plugins() throws IOException {
        return Files.createDirectories(dir.resolve("plugins"));
    }

    private ConfigFile config(String extra) {
        return ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: " + dir.resolve("snapshots") + "\n"
                + "plugins:\n  directory: " + dir.resolve("plugins") + "\n" + extra);
    }

    @Test
    void aDroppedInJarIsLoadedInItsOwnClassLoaderAndReceivesEvents() throws IOException {
        PluginJars.build(plugins().resolve("counting.jar"), countingPlugin("ext.count", "counting"),
                Map.of(SERVICE, "ext.count.CountingPlugin\n"));
        System.clearProperty("counting.events");
        System.clearProperty("counting.yaml");
        try (Memsnap memsnap = Memsnap.start(config(""))) {
            assertEquals(List.of("counting"), memsnap.plugins().stream().map(MemsnapPlugin::name).toList());
            assertTrue(memsnap.problems().isEmpty(), memsnap.problems().toString());
            assertEquals("the plugin's own Yaml", System.getProperty("counting.yaml"),
                    "the plugin's bundled library wins inside the plugin");
            assertNotEquals("the plugin's own Yaml", new org.yaml.snakeyaml.Yaml().toString(),
                    "and does not leak into the host");
            memsnap.manager().saveSnapshot(memsnap.manager().createSnapshot());
        }
        assertEquals(2, Integer.getInteger("counting.events"));
    }

    @Test
    void brokenEmptyAndDuplicateJarsAreNamedAndTheHostRunsOnWhatLoaded() throws IOException {
        Path plugins = plugins();
        PluginJars.build(plugins.resolve("a-counting.jar"), countingPlugin("ext.a", "counting"),
                Map.of(SERVICE, "ext.a.CountingPlugin\n"));
        PluginJars.build(plugins.resolve("b-same-name.jar"), countingPlugin("ext.b", "counting"),
                Map.of(SERVICE, "ext.b.CountingPlugin\n"));
        Files.write(plugins.resolve("c-corrupt.jar"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        PluginJars.build(plugins.resolve("d-empty.jar"), Map.of(), Map.of());
        PluginJars.build(plugins.resolve("e-missing-class.jar"), Map.of(), Map.of(SERVICE, "ext.NoSuchPlugin\n"));

        try (Memsnap memsnap = Memsnap.start(config(""))) {
            assertEquals(List.of("counting"), memsnap.plugins().stream().map(MemsnapPlugin::name).toList());
            List<String> problems = memsnap.problems();
            assertEquals(4, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith(plugins.resolve("b-same-name.jar") + ": a plugin named "
                    + "\"counting\" is already loaded from " + plugins.resolve("a-counting.jar")), problems.get(0));
            assertTrue(problems.get(1).startsWith(plugins.resolve("c-corrupt.jar") + ": not a readable jar"),
                    problems.get(1));
            assertTrue(problems.get(2).startsWith(plugins.resolve("d-empty.jar") + ": no memsnap plugin in it"),
                    problems.get(2));
            assertTrue(problems.get(3).startsWith(plugins.resolve("e-missing-class.jar")
                    + ": cannot load its plugin"), problems.get(3));
            memsnap.manager().addTurn("user", "still running");
            assertEquals(1, memsnap.manager().turns().size());
        }
    }

    @Test
    void aRequiredPluginThatDidNotLoadStopsStartUp() throws IOException {
        Files.write(plugins().resolve("audit.jar"), new byte[] {1, 2, 3});
        ConfigException e = assertThrows(ConfigException.class,
                () -> Memsnap.start(config("  required: [audit]\n")));
        assertTrue(e.getMessage().contains("plugins.required names plugins that did not load: [audit]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("audit.jar: not a readable jar"), e.getMessage());
    }

    @Test
    void withoutThePluginDirectoryCoreRunsOnItsDefaults() {
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("c", "memory:\n  snapshot_dir: " + dir + "\n"))) {
            assertEquals(List.of(), memsnap.plugins().stream().filter(p -> p.name().equals("counting")).toList());
            assertTrue(memsnap.problems().isEmpty());
        }
    }
}
