package dev.memsnap.websocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that completes its handshake and then never reads delays neither the manager nor the other clients: its
 * buffer fills, what does not fit is dropped for it alone and counted, and everyone else receives every event.
 */
class SlowClientTest {
    static final int CLIENT_BUFFER = 8;
    /** Held snapshots, so that every listing is a large event (about 150 bytes each). */
    static final int SNAPSHOTS = 1_000;
    /** At most some 70 MB of listings, far beyond what a kernel buffers for a socket that is not read. */
    static final int MAX_LISTINGS = 500;
    static final int TIMED_CREATES = 20;

    @TempDir
    Path dir;
    Harness harness;
    Socket stalled;

    @BeforeEach
    void start() throws Exception {
        harness = Harness.start(dir, "history_size: 0\nclient_buffer: " + CLIENT_BUFFER);
        stalled = new Socket();
        // A small receive window, set before connecting, so that the kernel holds little on the stalled side.
        stalled.setReceiveBufferSize(4096);
        stalled.setSoTimeout(10_000);
        stalled.connect(new InetSocketAddress("127.0.0.1", harness.endpoint.port()));
        String response = TokenAuthTest.handshake(stalled, harness.endpoint.uri().getPath());
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
        // From here on the stalled client reads nothing. The server registered it before answering.
    }

    @AfterEach
    void stop() throws Exception {
        stalled.close();
        harness.close();
    }

    @Test
    void aClientThatStopsReadingDelaysNobody() throws InterruptedException {
        TestClient healthy = harness.connect();
        // The client sees the handshake response a moment before the server's open callback counts it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestClient.TIMEOUT_SECONDS);
        while (harness.endpoint.clientCount() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(2, harness.endpoint.clientCount());

        // Each event is published once the healthy client has the previous one, as at a human pace: the healthy
        // client's queue stays short while the stalled client's fills.
        long fillStart = System.nanoTime();
        for (int i = 0; i < SNAPSHOTS; i++) {
            String id = harness.manager.createSnapshot();
            assertEquals(id, healthy.next().get("snapshot_id").asText());
        }
        // Listings until the stalled client is saturated: several in a row dropped for it. How many that takes
        // depends on how much the kernel buffers for an unread socket, which it grows as it goes.
        int listings = 0;
        int droppedInARow = 0;
        while (droppedInARow < 3 && listings < MAX_LISTINGS) {
            long before = harness.endpoint.droppedMessages();
            harness.manager.listSnapshots();
            assertTrue(healthy.nextText().startsWith("{\"memory_snapshot\":{\"action\":\"list\""));
            listings++;
            droppedInARow = harness.endpoint.droppedMessages() > before ? droppedInARow + 1 : 0;
        }
        assertEquals(3, droppedInARow, "the stalled client's buffer overflowed");
        long fillMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fillStart);
        long droppedBefore = harness.endpoint.droppedMessages();

        long[] nanos = new long[TIMED_CREATES];
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < TIMED_CREATES; i++) {
                long start = System.nanoTime();
                String id = harness.manager.createSnapshot();
                nanos[i] = System.nanoTime() - start;
                assertEquals(id, healthy.next().get("snapshot_id").asText(), "the healthy client misses nothing");
            }
        }, "createSnapshot must not wait for a client that does not read");
        // How many of these are dropped too depends on how far the kernel keeps growing the stalled socket's send
        // buffer; either way no call waited, and the healthy client got every one.
        long droppedWhileTimed = harness.endpoint.droppedMessages() - droppedBefore;
        healthy.assertNothingQueued();
        assertEquals(2, harness.endpoint.clientCount(), "a slow client is not disconnected for being slow");

        long maxMicros = 0;
        long totalMicros = 0;
        for (long n : nanos) {
            maxMicros = Math.max(maxMicros, n / 1_000);
            totalMicros += n / 1_000;
        }
        System.out.printf("FIGURE stalled client: %d creates and %d listings (~%d KB each) published and received by "
                        + "the healthy client in %d ms, %d of them dropped for the stalled one; with its buffer "
                        + "full, createSnapshot took %d us on average, %d us at most (%d of %d dropped for it)%n",
                SNAPSHOTS, listings, SNAPSHOTS * 150 / 1024, fillMillis, droppedBefore,
                totalMicros / TIMED_CREATES, maxMicros, droppedWhileTimed, TIMED_CREATES);
    }
}
