package dev.memsnap.websocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A browser's Origin must be allowed, which stops a web page on another site from reading the events through the
 * user's browser (cross-site WebSocket hijacking); a client without an Origin is not a browser and is allowed.
 */
class OriginPolicyTest {
    @TempDir
    Path dir;
    Harness harness;

    @BeforeEach
    void start() {
        harness = Harness.start(dir, "allowed_origins: [http://localhost:3000]");
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void aForeignOriginIsRefused() throws InterruptedException {
        for (String origin : new String[] {"http://evil.example", "http://localhost:3001", "https://localhost:3000",
                "null"}) {
            TestClient client = new TestClient(harness.uri(""), Map.of("Origin", origin));
            assertFalse(client.tryOpen(), origin + " should be refused");
        }
        assertEquals(0, harness.endpoint.clientCount());
    }

    @Test
    void anAllowedOriginIsAccepted() throws InterruptedException {
        TestClient browser = harness.track(new TestClient(harness.uri(""), Map.of("Origin", "http://localhost:3000")))
                .open();
        String id = harness.manager.createSnapshot();
        assertEquals(id, browser.next().get("snapshot_id").asText());
    }

    @Test
    void aClientWithoutAnOriginIsAccepted() throws InterruptedException {
        TestClient tool = harness.connect();
        String id = harness.manager.createSnapshot();
        assertEquals(id, tool.next().get("snapshot_id").asText());
    }
}
