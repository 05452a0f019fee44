package dev.memsnap.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A real Java-WebSocket client on loopback that keeps every message it receives, in order. */
class TestClient extends WebSocketClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long TIMEOUT_SECONDS = 10;

    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CountDownLatch closed = new CountDownLatch(1);
    /** Counted down when the handshake ends either way. */
    final CountDownLatch handshakeDone = new CountDownLatch(1);
    volatile int closeCode;
    volatile boolean opened;

    TestClient(URI uri) {
        super(uri);
    }

    TestClient(URI uri, Map<String, String> headers) {
        super(uri, new Draft_6455(), headers);
    }

    TestClient(URI uri, Draft draft) {
        super(uri, draft);
    }

    /** Connects and fails the test unless the server accepts. */
    TestClient open() throws InterruptedException {
        if (!connectBlocking(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("connection to " + getURI() + " refused, close code " + closeCode);
        }
        return this;
    }

    /** @return whether the server accepted the connection */
    boolean tryOpen() throws InterruptedException {
        return connectBlocking(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        opened = true;
        handshakeDone.countDown();
    }

    @Override
    public void onMessage(String message) {
        messages.add(message);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeCode = code;
        handshakeDone.countDown();
        closed.countDown();
    }

    @Override
    public void onError(Exception e) {
        // onClose follows and records the outcome.
    }

    /** @return the next message, waiting for it */
    String nextText() throws InterruptedException {
        String message = messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(message, "no message within " + TIMEOUT_SECONDS + " s");
        return message;
    }

    /** @return the next message's {@code memory_snapshot} object */
    JsonNode next() throws InterruptedException {
        return parse(nextText());
    }

    /** @return every message up to and including the first that matches, each message's memory_snapshot object */
    List<JsonNode> until(Predicate<JsonNode> last) throws InterruptedException {
        List<JsonNode> events = new ArrayList<>();
        while (true) {
            JsonNode event = next();
            events.add(event);
            if (last.test(event)) {
                return events;
            }
        }
    }

    /** Asserts that nothing more has arrived (call after a marker event, which orders everything before it). */
    void assertNothingQueued() {
        assertNull(messages.peek(), "unexpected message");
    }

    static JsonNode parse(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            if (root.size() != 1 || !root.has("memory_snapshot")) {
                throw new AssertionError("not a memory_snapshot event: " + text);
            }
            return root.get("memory_snapshot");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Predicate<JsonNode> created(String snapshotId) {
        return event -> event.path("action").asText().equals("create")
                && event.path("snapshot_id").asText().equals(snapshotId);
    }
}
