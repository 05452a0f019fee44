package dev.memsnap.websocket;

import com.google.inject.Injector;
import com.google.inject.Module;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A running memsnap with the websocket plugin enabled on an ephemeral loopback port, snapshots in a temporary
 * directory, and the clients a test opened; closing it closes them all.
 */
final class Harness implements AutoCloseable {
    final Memsnap memsnap;
    final EnhancedMemoryManager manager;
    final WebSocketEndpoint endpoint;
    private final List<TestClient> clients = new ArrayList<>();

    private Harness(Memsnap memsnap) {
        this.memsnap = memsnap;
        this.manager = memsnap.manager();
        this.endpoint = service(memsnap.injector(), WebSocketEndpoint.class).orElseThrow();
    }

    /** A plugin's service, as another plugin finds it: through the runtime of the plugins' context. */
    static <T> Optional<T> service(Injector injector, Class<T> type) {
        return injector.getInstance(PluginContext.class).runtime().service(type);
    }

    /**
     * @param snapshotDir     where snapshots go
     * @param websocketYaml   more keys of the websocket section, one per line, e.g. {@code "history_size: 0"}
     * @param memoryYaml      more keys of the memory section
     * @param hostModules     the host's bindings
     */
    static Harness start(Path snapshotDir, String websocketYaml, String memoryYaml, Module... hostModules) {
        return new Harness(Memsnap.start(config(snapshotDir, websocketYaml, memoryYaml), hostModules));
    }

    static Harness start(Path snapshotDir, String websocketYaml) {
        return start(snapshotDir, websocketYaml, "");
    }

    static ConfigFile config(Path snapshotDir, String websocketYaml, String memoryYaml) {
        String yaml = "memory:\n"
                + "  snapshot_dir: '" + snapshotDir.toString().replace("'", "''") + "'\n"
                + indent(memoryYaml)
                + "websocket:\n"
                + "  enabled: true\n"
                + "  host: 127.0.0.1\n"
                + (websocketYaml.contains("port:") ? "" : "  port: 0\n")
                + indent(websocketYaml);
        return ConfigFile.parse("test-config.yaml", yaml);
    }

    private static String indent(String lines) {
        StringBuilder out = new StringBuilder();
        for (String line : lines.split("\n")) {
            if (!line.isBlank()) {
                out.append("  ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** @param suffix appended to the endpoint's address, e.g. {@code ?token=...} */
    URI uri(String suffix) {
        return URI.create(endpoint.uri() + suffix);
    }

    /** A client, connected; it receives every event published from now on. */
    TestClient connect() throws InterruptedException {
        return track(new TestClient(endpoint.uri())).open();
    }

    TestClient track(TestClient client) {
        clients.add(client);
        return client;
    }

    @Override
    public void close() throws InterruptedException {
        for (TestClient client : clients) {
            client.close();
        }
        for (TestClient client : clients) {
            client.closed.await(TestClient.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        memsnap.close();
    }
}
