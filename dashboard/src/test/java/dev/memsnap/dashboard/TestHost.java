package dev.memsnap.dashboard;

import com.google.inject.Module;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.websocket.WebSocketEndpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;

/**
 * A running memsnap, as a host starts it: {@code Memsnap.start} with the websocket and dashboard plugins found on the
 * class path and enabled on loopback, snapshots in a temporary directory. The dashboard's port is chosen before start
 * (the WebSocket must list the page's origin in {@code allowed_origins}); {@link #restart()} starts a new host on the
 * same ports, as a host process restarting would.
 */
final class TestHost implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789abcdef";

    final Path snapshotDir;
    final String token;
    final int dashboardPort;
    final int webSocketPort;
    final Memsnap memsnap;
    final EnhancedMemoryManager manager;
    final DashboardEndpoint dashboard;
    final WebSocketEndpoint webSocket;

    private TestHost(Path snapshotDir, String token, int dashboardPort, int webSocketPort, Module... hostModules) {
        this.snapshotDir = snapshotDir;
        this.token = token;
        this.dashboardPort = dashboardPort;
        this.memsnap = Memsnap.start(config(snapshotDir, token, dashboardPort, webSocketPort), hostModules);
        this.manager = memsnap.manager();
        this.dashboard = service(memsnap, DashboardEndpoint.class).orElseThrow();
        this.webSocket = service(memsnap, WebSocketEndpoint.class).orElseThrow();
        this.webSocketPort = webSocket.port();
    }

    /** A plugin's service, as another plugin finds it: through the runtime of the plugins' context. */
    static <T> java.util.Optional<T> service(Memsnap memsnap, Class<T> type) {
        return memsnap.injector().getInstance(PluginContext.class).runtime().service(type);
    }

    /** A host with a token, on a free dashboard port and an ephemeral WebSocket port. */
    static TestHost start(Path snapshotDir) {
        return start(snapshotDir, TOKEN);
    }

    /** A host with a token and the host's own bindings. */
    static TestHost start(Path snapshotDir, Module... hostModules) {
        return new TestHost(snapshotDir, TOKEN, freePort(), 0, hostModules);
    }

    /** @param token the token, or {@code null} for none */
    static TestHost start(Path snapshotDir, String token) {
        return new TestHost(snapshotDir, token, freePort(), 0);
    }

    /** A host on given ports; {@code webSocketPort} 0 picks one. */
    static TestHost startOn(Path snapshotDir, String token, int dashboardPort, int webSocketPort) {
        return new TestHost(snapshotDir, token, dashboardPort, webSocketPort);
    }

    /** Stops this host and starts another on the same ports, directory and token. */
    TestHost restart() {
        close();
        return new TestHost(snapshotDir, token, dashboardPort, webSocketPort);
    }

    static ConfigFile config(Path snapshotDir, String token, int dashboardPort, int webSocketPort) {
        String yaml = "memory:\n"
                + "  snapshot_dir: '" + snapshotDir.toString().replace("'", "''") + "'\n"
                + "websocket:\n"
                + "  enabled: true\n"
                + "  host: 127.0.0.1\n"
                + "  port: " + webSocketPort + "\n"
                + (token == null ? "" : "  token: " + token + "\n")
                // a dashboard on port 0 cannot be listed: it relies on its own origins being let in
                + (dashboardPort == 0 ? "" : "  allowed_origins: ['http://127.0.0.1:" + dashboardPort + "']\n")
                + "dashboard:\n"
                + "  enabled: true\n"
                + "  host: 127.0.0.1\n"
                + "  port: " + dashboardPort + "\n";
        return ConfigFile.parse("test-config.yaml", yaml);
    }

    /** @return the page's address with the token, as a person opens it */
    String pageUrl() {
        return pageUrl(token);
    }

    /** @param presented the token to put in the address, or {@code null} for none */
    String pageUrl(String presented) {
        return dashboard.uri() + (presented == null ? "" : "?token=" + presented);
    }

    /** @param path such as {@code /api/snapshots} */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + dashboard.port() + path);
    }

    /**
     * A port free now. Another process could take it before the host binds it; on a test machine's loopback that is
     * rare, and the host then fails to start loudly rather than testing the wrong thing.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        memsnap.close();
    }
}
