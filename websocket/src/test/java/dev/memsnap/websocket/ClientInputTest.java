package dev.memsnap.websocket;

import org.java_websocket.framing.CloseFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dashboards only listen: what they send is ignored, and an oversized frame closes only that client. */
class ClientInputTest {
    @TempDir
    Path dir;
    Harness harness;

    @BeforeEach
    void start() {
        harness = Harness.start(dir, "");
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void messagesFromAClientAreIgnored() throws InterruptedException {
        TestClient client = harness.connect();
        client.send("{\"memory_snapshot\": {\"action\": \"apply\"}}");
        String id = harness.manager.createSnapshot();
        assertEquals(id, client.next().get("snapshot_id").asText());
        client.assertNothingQueued();
    }

    @Test
    void anOversizedFrameClosesThatClientOnly() throws InterruptedException {
        TestClient other = harness.connect();
        TestClient big = harness.connect();
        big.send("x".repeat(100 * 1024));
        assertTrue(big.closed.await(TestClient.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(CloseFrame.TOOBIG, big.closeCode);

        String id = harness.manager.createSnapshot();
        assertEquals(id, other.next().get("snapshot_id").asText());
        // a client sees the handshake's answer a moment before the server has counted it, and the close frame a
        // moment before the server has let the closed client go: wait for the count to settle at the one left
        long counted = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (harness.endpoint.clientCount() != 1 && System.nanoTime() < counted) {
            Thread.onSpinWait();
        }
        assertEquals(1, harness.endpoint.clientCount());
    }
}
