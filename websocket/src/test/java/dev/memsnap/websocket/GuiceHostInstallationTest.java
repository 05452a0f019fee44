package dev.memsnap.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemorySnapshotModule;
import dev.memsnap.core.MemsnapLifecycle;
import dev.memsnap.core.PluginModule;
import dev.memsnap.core.manager.ManagerModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Guice module installation": a host with an injector of its own installs the plugin with {@link PluginModule} beside
 * {@link MemorySnapshotModule}, starts and stops memsnap through {@link MemsnapLifecycle}, and its dashboards get every
 * event once, automatic ones included.
 */
class GuiceHostInstallationTest {
    @TempDir
    Path dir;

    @Test
    void aPlainGuiceHostInstallsThePluginAndDashboardsReceiveEvents() throws Exception {
        ConfigFile config = Harness.config(dir, "", "");
        Injector injector = Guice.createInjector(new MemorySnapshotModule(config.memory()),
                new PluginModule(config, List.of(new WebSocketPlugin())));
        WebSocketEndpoint endpoint = Harness.service(injector, WebSocketEndpoint.class).orElseThrow();
        assertFalse(endpoint.isRunning(), "creating the injector opens no socket");

        MemsnapLifecycle lifecycle = injector.getInstance(MemsnapLifecycle.class).start();
        TestClient client;
        try {
            assertTrue(endpoint.isRunning(), "the lifecycle started the server");
            EnhancedMemoryManager manager = injector.getInstance(EnhancedMemoryManager.class);
            WebSocketEnhancedMemoryManager decorated = assertInstanceOf(WebSocketEnhancedMemoryManager.class, manager);
            assertSame(injector.getInstance(ManagerModule.CORE_MANAGER), decorated.delegate());
            client = new TestClient(endpoint.uri()).open();

            String id = manager.createSnapshot();
            manager.saveSnapshot(id);
            manager.enableAutoSnapshot(1);
            manager.addTurn("user", "hello");
            manager.disableAutoSnapshot();

            List<JsonNode> events = client.until(e -> e.get("action").asText().equals("save")
                    && e.get("automatic").booleanValue());
            assertEquals(List.of("create", "save", "automatic create", "automatic save"), events.stream()
                    .map(e -> (e.get("automatic").booleanValue() ? "automatic " : "") + e.get("action").asText())
                    .toList());
            assertEquals(id, events.get(0).get("snapshot_id").asText());
            String marker = manager.createSnapshot();
            assertEquals(1, client.until(TestClient.created(marker)).size(), "nothing sent twice");
        } finally {
            lifecycle.stop();
        }
        assertFalse(endpoint.isRunning(), "the lifecycle stopped the server");
        assertTrue(client.closed.await(TestClient.TIMEOUT_SECONDS, TimeUnit.SECONDS), "and closed its clients");
    }
}
