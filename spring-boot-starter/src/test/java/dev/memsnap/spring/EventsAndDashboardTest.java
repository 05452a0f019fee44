package dev.memsnap.spring;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.dashboard.DashboardEndpoint;
import dev.memsnap.websocket.WebSocketEndpoint;
import dev.memsnap.websocket.WebSocketPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket event server and the dashboard in a Spring context: started by the memsnap.websocket.* and
 * memsnap.dashboard.* properties, reached over real sockets on loopback, stopped with the context; a wrong value fails
 * the start naming the Spring property.
 */
class EventsAndDashboardTest {
    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MemsnapAutoConfiguration.class,
                        MemsnapDashboardAutoConfiguration.class))
                .withPropertyValues("memsnap.snapshot-dir=" + dir);
    }

    @Test
    void aClientReceivesSnapshotEventsAndTheDashboardAnswersUntilTheContextCloses() {
        runner().withPropertyValues("memsnap.websocket.enabled=true", "memsnap.websocket.port=0",
                "memsnap.websocket.history-size=0", "memsnap.dashboard.enabled=true",
                "memsnap.dashboard.port=0").run(context -> {
            WebSocketEndpoint events = context.getBean(WebSocketEndpoint.class);
            DashboardEndpoint dashboard = context.getBean(DashboardEndpoint.class);
            assertTrue(events.isRunning());
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            HttpClient http = HttpClient.newHttpClient();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(events.uri(), new WebSocket.Listener() {
                private final StringBuilder frame = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    frame.append(data);
                    if (last) {
                        received.add(frame.toString());
                        frame.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (events.clientCount() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }

            EnhancedMemoryManager alice = context.getBean(MemoryManagers.class).get("alice");
            alice.addTurn("user", "hello");
            String snapshot = alice.createSnapshot();
            String event = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(event, "no event within 10 s");
            assertTrue(event.startsWith("{\"memory_snapshot\":{\"action\":\"create\",\"snapshot_id\":\"" + snapshot
                    + "\""), event);
            assertTrue(event.contains("\"memory_id\":\"alice\""), event);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);

            alice.saveSnapshot(snapshot);
            HttpResponse<String> memories = http.send(HttpRequest.newBuilder(dashboard.uri().resolve("/api/memories"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, memories.statusCode(), memories.body());
            assertTrue(memories.body().contains("\"alice\""), memories.body());
            HttpResponse<String> snapshots = http.send(HttpRequest.newBuilder(dashboard.uri()
                    .resolve("/api/snapshots?memory=alice")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, snapshots.statusCode(), snapshots.body());
            assertTrue(snapshots.body().contains(snapshot), snapshots.body());

            int eventPort = events.port();
            int dashboardPort = dashboard.port();
            context.close();
            assertFalse(events.isRunning());
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", eventPort).close());
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", dashboardPort).close());
        });
    }

    @Test
    void offByDefaultNoServerAndNoBean() {
        runner().run(context -> {
            assertTrue(context.getBeansOfType(WebSocketEndpoint.class).isEmpty());
            assertTrue(context.getBeansOfType(DashboardEndpoint.class).isEmpty());
        });
    }

    @Test
    void aWrongValueFailsTheStartNamingTheSpringProperty() {
        assertFailure("memsnap.websocket.port: expected a whole number from 0 to 65535, got 70000",
                "memsnap.websocket.port=70000");
        assertFailure("memsnap.websocket.allowed-origins: expected origins like http://localhost:3000",
                "memsnap.websocket.allowed-origins=localhost");
        assertFailure("memsnap.dashboard.token: differs from websocket.token",
                "memsnap.websocket.token=" + "a".repeat(16), "memsnap.dashboard.token=" + "b".repeat(16));
        assertFailure("memsnap.dashboard.port: expected a whole number from 0 to 65535, got -1",
                "memsnap.dashboard.enabled=true", "memsnap.dashboard.port=-1");
    }

    @Test
    void settingsGivenBesideAConfigFileOrForAMissingJarAreRefused() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "memory:\n  snapshot_dir: " + dir + "\n");
        assertFailure("memsnap.config-file: given together with memsnap.snapshot-dir, memsnap.websocket.enabled;",
                "memsnap.config-file=" + config, "memsnap.websocket.enabled=true");
        runner().withClassLoader(new FilteredClassLoader(WebSocketPlugin.class))
                .withPropertyValues("memsnap.websocket.enabled=true").run(context -> assertTrue(
                        VectorStoreAutoConfigurationTest.rootMessage(context.getStartupFailure()).startsWith(
                                "memsnap.websocket.enabled: true, but memsnap-websocket is not on the class path"),
                        () -> VectorStoreAutoConfigurationTest.rootMessage(context.getStartupFailure())));
    }

    private void assertFailure(String expectedStart, String... properties) {
        runner().withPropertyValues(properties).run(context -> {
            assertNotNull(context.getStartupFailure(), "started with " + String.join(", ", properties));
            String message = VectorStoreAutoConfigurationTest.rootMessage(context.getStartupFailure());
            assertTrue(message.startsWith(expectedStart), message);
        });
    }
}
