package dev.memsnap.websocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A hundred clients connected at once each receive every event, the same text in the same order. */
class ManyClientsTest {
    static final int CLIENTS = 100;
    static final int SNAPSHOTS = 50;

    @TempDir
    Path dir;
    Harness harness;

    @BeforeEach
    void start() {
        harness = Harness.start(dir, "history_size: 0");
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void everyClientReceivesEveryEvent() throws InterruptedException {
        harness.manager.addTurn("user", "hello");
        int events = SNAPSHOTS + 1; // each snapshot is created, then one listing of them all
        CountDownLatch delivered = new CountDownLatch(CLIENTS * events);

        long connectStart = System.nanoTime();
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            TestClient client = harness.track(new CountingClient(harness.endpoint.uri(), delivered));
            client.connect();
            clients.add(client);
        }
        for (TestClient client : clients) {
            assertTrue(client.handshakeDone.await(TestClient.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(client.opened, "every client is accepted");
        }
        long connectMillis = millisSince(connectStart);
        // the client sees the handshake's answer a moment before the server has counted it
        long counted = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (harness.endpoint.clientCount() < CLIENTS && System.nanoTime() < counted) {
            Thread.onSpinWait();
        }
        assertEquals(CLIENTS, harness.endpoint.clientCount());

        List<String> ids = new ArrayList<>();
        long publishStart = System.nanoTime();
        // No saves here: a save's fsync would dominate the figure, and saves are events like any other.
        for (int i = 0; i < SNAPSHOTS; i++) {
            ids.add(harness.manager.createSnapshot());
        }
        harness.manager.listSnapshots();
        long publishMillis = millisSince(publishStart);
        assertTrue(delivered.await(30, TimeUnit.SECONDS), "undelivered: " + delivered.getCount());
        long deliverMillis = millisSince(publishStart);

        List<String> reference = List.copyOf(clients.get(0).messages);
        assertEquals(events, reference.size());
        for (int i = 0; i < SNAPSHOTS; i++) {
            assertEquals(ids.get(i), TestClient.parse(reference.get(i)).get("snapshot_id").asText());
        }
        assertEquals(SNAPSHOTS, TestClient.parse(reference.get(SNAPSHOTS)).get("snapshots").size());
        for (TestClient client : clients) {
            assertEquals(reference, List.copyOf(client.messages), "same events, same order, each once");
        }
        assertEquals(0, harness.endpoint.droppedMessages());
        System.out.printf("FIGURE %d clients: connected in %d ms; %d events published in %d ms, "
                        + "all %d deliveries received %d ms after the first was published%n",
                CLIENTS, connectMillis, events, publishMillis, CLIENTS * events, deliverMillis);
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** Counts every message on a shared latch, so the test waits for all deliveries at once. */
    private static final class CountingClient extends TestClient {
        private final CountDownLatch delivered;

        CountingClient(URI uri, CountDownLatch delivered) {
            super(uri);
            this.delivered = delivered;
        }

        @Override
        public void onMessage(String message) {
            super.onMessage(message);
            delivered.countDown();
        }
    }
}
