package dev.memsnap.websocket;

import com.google.inject.Key;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.ConfigException;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.core.Memsnap;
import dev.memsnap.core.manager.ManagerModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Core finds this module through {@link ServiceLoader} when its jar is on the class path, and the manager a host gets
 * is then the decorated one; without the jar core runs alone.
 */
class PluginDiscoveryTest {
    @TempDir
    Path dir;

    @Test
    void theServiceFileNamesThePlugin() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/services/" + MemsnapPlugin.class.getName())) {
            assertNotNull(in);
            assertEquals(WebSocketPlugin.class.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        }
    }

    @Test
    void withTheJarTheManagerIsDecoratedAndTheServerRuns() throws Exception {
        try (Harness harness = Harness.start(dir, "")) {
            List<String> names = harness.memsnap.plugins().stream().map(MemsnapPlugin::name).toList();
            assertTrue(names.contains(WebSocketPlugin.NAME), names.toString());
            WebSocketEnhancedMemoryManager decorated =
                    assertInstanceOf(WebSocketEnhancedMemoryManager.class, harness.manager);
            assertSame(harness.memsnap.injector().getInstance(ManagerModule.CORE_MANAGER), decorated.delegate(),
                    "the decorator wraps core's own manager");
            assertTrue(harness.endpoint.isRunning(), "Memsnap.start started the server");
            assertTrue(harness.endpoint.port() > 0);
        }
    }

    @Test
    void whenDisabledThePluginBindsNothing() {
        ConfigFile config = ConfigFile.parse("config.yaml",
                "memory:\n  snapshot_dir: '" + dir + "'\nwebsocket:\n  enabled: false\n  port: 0\n");
        try (Memsnap memsnap = Memsnap.start(config)) {
            assertTrue(memsnap.plugins().stream().anyMatch(p -> p.name().equals(WebSocketPlugin.NAME)));
            assertSame(memsnap.injector().getInstance(ManagerModule.CORE_MANAGER), memsnap.manager(),
                    "the manager stays core's own");
            assertNull(memsnap.injector().getExistingBinding(Key.get(WebSocketEndpoint.class)), "no server");
            assertTrue(Harness.service(memsnap.injector(), WebSocketEndpoint.class).isEmpty(), "no server");
        }
    }

    @Test
    void withoutTheJarCoreRunsAlone() throws Exception {
        // A class loader that sees api's and core's classes only, as a host without the websocket jar would.
        URL[] coreOnly = {
                EnhancedMemoryManager.class.getProtectionDomain().getCodeSource().getLocation(),
                Memsnap.class.getProtectionDomain().getCodeSource().getLocation()};
        try (URLClassLoader withoutWebsocket = new URLClassLoader(coreOnly, ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class,
                    () -> withoutWebsocket.loadClass(WebSocketPlugin.class.getName()));
            assertFalse(ServiceLoader.load(MemsnapPlugin.class, withoutWebsocket).iterator().hasNext());

            try (Memsnap memsnap = Memsnap.start(Harness.config(dir, "", ""), withoutWebsocket)) {
                assertEquals(List.of(), memsnap.plugins());
                assertSame(memsnap.injector().getInstance(ManagerModule.CORE_MANAGER), memsnap.manager());
                assertNull(memsnap.injector().getExistingBinding(Key.get(WebSocketEndpoint.class)));
                assertTrue(Harness.service(memsnap.injector(), WebSocketEndpoint.class).isEmpty());
                String id = memsnap.manager().createSnapshot();
                assertTrue(memsnap.manager().getSnapshot(id).isPresent(), "core works on its own");
            }
        }
    }

    @Test
    void aBrokenSectionStopsStartUpNamingTheKey() {
        ConfigFile config = ConfigFile.parse("config.yaml",
                "memory:\n  snapshot_dir: '" + dir + "'\nwebsocket:\n  enabled: true\n  port: 70000\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Memsnap.start(config).close());
        assertTrue(e.getMessage().startsWith("config.yaml: websocket.port:"), e.getMessage());
    }
}
