package dev.memsnap.websocket;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemorySnapshotModule;
import dev.memsnap.core.PluginModule;
import dev.memsnap.core.format.SnapshotJson;
import org.java_websocket.framing.CloseFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server listens only between start and stop: never because a module was installed or an object made; stop
 * closes every client, releases the port and ends the threads; a restart on the same port works.
 */
class ServerLifecycleTest {
    @TempDir
    Path dir;

    private static WebSocketConfig config(int port) {
        return new WebSocketConfig(true, "127.0.0.1", port, "/memsnap", null, List.of(), 10, 16);
    }

    private static WebSocketEventServer server(WebSocketConfig config) {
        return new WebSocketEventServer(config, new SnapshotJson());
    }

    @Test
    void creatingTheInjectorOpensNoSocket() {
        ConfigFile config = Harness.config(dir, "", "");
        Injector injector = Guice.createInjector(new MemorySnapshotModule(config.memory()),
                new PluginModule(config, List.of(new WebSocketPlugin())));
        WebSocketEndpoint endpoint = Harness.service(injector, WebSocketEndpoint.class).orElseThrow();
        EnhancedMemoryManager manager = injector.getInstance(EnhancedMemoryManager.class);
        assertInstanceOf(WebSocketEnhancedMemoryManager.class, manager);
        assertFalse(endpoint.isRunning());
        assertThrows(IllegalStateException.class, endpoint::port);
        assertThrows(IllegalStateException.class, endpoint::uri);
        assertEquals(((WebSocketEnhancedMemoryManager) manager).backend(), endpoint,
                "the default backend is the server");
    }

    @Test
    void restartOnTheSamePortWhileOldConnectionsLinger() throws Exception {
        int port;
        TestClient first;
        try (Harness harness = Harness.start(dir, "")) {
            port = harness.endpoint.port();
            first = new TestClient(harness.endpoint.uri()).open(); // not the harness's: the server closes it
            harness.manager.createSnapshot();
            first.next();
        }
        assertTrue(first.closed.await(TestClient.TIMEOUT_SECONDS, TimeUnit.SECONDS), "stop closes clients");
        assertEquals(CloseFrame.GOING_AWAY, first.closeCode);

        // The server closed its side first, so its old connections are in TIME_WAIT on this port.
        try (Harness again = Harness.start(dir, "port: " + port)) {
            assertEquals(port, again.endpoint.port());
            TestClient second = again.connect();
            String id = again.manager.createSnapshot();
            assertEquals(id, second.next().get("snapshot_id").asText());
        }
    }

    @Test
    void oneServerStartsAgainAfterStop() throws Exception {
        WebSocketEventServer server = server(config(0));
        server.start();
        int port = server.port();
        server.stop();
        assertFalse(server.isRunning());

        WebSocketEventServer samePort = server(config(port));
        samePort.start();
        try {
            assertEquals(port, samePort.port());
            samePort.stop();
            samePort.start(); // a Java-WebSocket server starts only once; ours makes a new one each time
            TestClient client = new TestClient(samePort.uri()).open();
            samePort.onEvent(SnapshotEvent.listed(List.of()));
            assertEquals("list", client.next().get("action").asText());
            client.closeBlocking();
        } finally {
            samePort.stop();
        }
        samePort.stop(); // a second stop does nothing
    }

    @Test
    void stopReleasesThePortAndEndsTheThreads() throws Exception {
        Set<Thread> before = serverThreads();
        WebSocketEventServer server = server(config(0));
        server.start();
        int port = server.port();
        TestClient client = new TestClient(server.uri()).open();
        // A raw connection that never finishes its handshake must not outlive the server either.
        try (Socket halfOpen = new Socket("127.0.0.1", port)) {
            halfOpen.setSoTimeout(10_000);
            Set<Thread> started = serverThreads();
            started.removeAll(before);
            assertFalse(started.isEmpty(), "the server runs threads of its own");

            server.stop();

            assertTrue(client.closed.await(TestClient.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertClosedByServer(halfOpen);
            for (Thread thread : started) {
                thread.join(TimeUnit.SECONDS.toMillis(TestClient.TIMEOUT_SECONDS));
                assertFalse(thread.isAlive(), thread.getName() + " ended");
            }
        }
        try (ServerSocket reuse = new ServerSocket()) {
            // Reuse-address only tolerates TIME_WAIT; an active listener would still make this fail.
            reuse.setReuseAddress(true);
            reuse.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }

    @Test
    void stopClosesAClientThatStoppedReading() throws Exception {
        WebSocketEventServer server = server(config(0));
        server.start();
        try (Socket stalled = new Socket("127.0.0.1", server.port())) {
            stalled.setSoTimeout(10_000);
            assertTrue(TokenAuthTest.handshake(stalled, "/memsnap").startsWith("HTTP/1.1 101"));
            for (int i = 0; i < 200; i++) {
                server.onEvent(SnapshotEvent.listed(List.of(EventJsonTest.SEED_METADATA)));
            }
            server.stop();
            assertClosedByServer(stalled);
        }
    }

    /** Reads what was already sent, then expects the end of the stream (or a reset), never a timeout. */
    private static void assertClosedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            while (in.read(buffer) >= 0) {
                // drain
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server left the connection open", e);
        } catch (SocketException e) {
            // reset: closed too, before the server had accepted it or with data unread
        }
    }

    @Test
    void aPortInUseFailsStartWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            SnapshotException e = assertThrows(SnapshotException.class,
                    () -> Harness.start(dir, "port: " + port).close());
            assertTrue(e.getMessage().startsWith("cannot start the WebSocket server on 127.0.0.1:" + port),
                    e.getMessage());
        }
    }

    @Test
    void aHostThatDoesNotResolveFailsStart() {
        WebSocketEventServer server = server(new WebSocketConfig(true, "no-such-host.invalid", 0, "/memsnap", null,
                List.of(), 1, 1));
        SnapshotException e = assertThrows(SnapshotException.class, server::start);
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
        assertFalse(server.isRunning());
    }

    /** Java-WebSocket's server-side threads: selector, decoder workers and the lost-connection timer. */
    private static Set<Thread> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("WebSocketSelector-") || t.getName().startsWith("WebSocketWorker-")
                        || t.getName().startsWith("connectionLostChecker"))
                .filter(Thread::isAlive)
                .collect(Collectors.toSet());
    }
}
