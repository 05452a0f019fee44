package dev.memsnap.dashboard;

import com.google.inject.ConfigurationException;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plugin under core's lifecycle: off by default, started by {@code Memsnap.start}, stopped by {@code close()}. */
class DashboardLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void disabledItBindsNothingAndOpensNoSocket() {
        ConfigFile config = ConfigFile.parse("config.yaml", "memory: {snapshot_dir: '" + dir + "'}\n");
        try (Memsnap memsnap = Memsnap.start(config)) {
            List<String> names = memsnap.plugins().stream().map(MemsnapPlugin::name).toList();
            assertTrue(names.contains(DashboardPlugin.NAME), names.toString());
            assertThrows(ConfigurationException.class,
                    () -> memsnap.injector().getInstance(DashboardEndpoint.class));
            assertTrue(TestHost.service(memsnap, DashboardEndpoint.class).isEmpty(), "no server");
        }
    }

    @Test
    void enabledWithoutTheWebSocketItServesTheApiAndSaysThereAreNoLiveEvents() throws Exception {
        ConfigFile config = ConfigFile.parse("config.yaml", "memory: {snapshot_dir: '" + dir + "'}\n"
                + "dashboard: {enabled: true, port: 0}\n");
        try (Memsnap memsnap = Memsnap.start(config)) {
            DashboardEndpoint dashboard = TestHost.service(memsnap, DashboardEndpoint.class).orElseThrow();
            assertTrue(dashboard.isRunning());
            assertTrue(dashboard.port() > 0);
            assertEquals("http://127.0.0.1:" + dashboard.port() + "/", dashboard.uri().toString());
            var response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(dashboard.uri().resolve("/api/config")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("\"stream\":{\"enabled\":false,\"running\":false,\"url\":null"),
                    response.body());
        }
    }

    @Test
    void closingTheHostStopsTheServerAndFreesThePort() throws Exception {
        int port = TestHost.freePort();
        ConfigFile config = ConfigFile.parse("config.yaml", "memory: {snapshot_dir: '" + dir + "'}\n"
                + "dashboard: {enabled: true, port: " + port + "}\n");
        DashboardEndpoint dashboard;
        try (Memsnap memsnap = Memsnap.start(config)) {
            dashboard = TestHost.service(memsnap, DashboardEndpoint.class).orElseThrow();
            assertEquals(port, dashboard.port());
        }
        assertFalse(dashboard.isRunning());
        assertThrows(IllegalStateException.class, dashboard::uri);
        try (Memsnap again = Memsnap.start(config)) {
            assertEquals(port, TestHost.service(again, DashboardEndpoint.class).orElseThrow().port(),
                    "the port is free again");
        }
    }

    @Test
    void aPortInUseStopsStartUpWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ConfigFile config = ConfigFile.parse("config.yaml", "memory: {snapshot_dir: '" + dir + "'}\n"
                    + "dashboard: {enabled: true, port: " + taken.getLocalPort() + "}\n");
            SnapshotException e = assertThrows(SnapshotException.class, () -> Memsnap.start(config));
            assertTrue(e.getMessage().startsWith("cannot start the dashboard on 127.0.0.1:" + taken.getLocalPort()),
                    e.getMessage());
        }
    }
}
