package dev.memsnap.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that connects with {@code ?memory=ID} gets that memory's events alone, live and replayed; one without it
 * gets every memory's; an invalid memory id is refused at the handshake.
 */
class MemoryIdSubscriptionTest {
    static final String ALICE = "alice";
    /** Percent-encoded in the URL as {@code bob%40example.com}. */
    static final String BOB = "bob@example.com";

    @TempDir
    Path dir;
    Harness harness;
    MemoryManagers memories;

    @BeforeEach
    void start() {
        harness = Harness.start(dir, "");
        memories = harness.memsnap.memories();
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    private TestClient connect(String query) throws InterruptedException {
        return harness.track(new TestClient(harness.uri(query))).open();
    }

    @Test
    void eachClientSeesExactlyTheEventsOfItsMemory() throws Exception {
        TestClient aliceClient = connect("?memory=" + ALICE);
        TestClient bobClient = connect("?memory=bob%40example.com");
        TestClient everyClient = connect("");

        EnhancedMemoryManager alice = memories.get(ALICE);
        EnhancedMemoryManager bob = memories.get(BOB);
        assertEquals(ALICE, alice.memoryId(), "the decorated manager says which memory it is");
        alice.addTurn("user", "I am Alice");
        String a1 = alice.createSnapshot();
        bob.addTurn("user", "I am Bob");
        String b1 = bob.createSnapshot();
        String d1 = harness.manager.createSnapshot();
        alice.saveSnapshot(a1);
        String a2 = alice.createSnapshot();
        String b2 = bob.createSnapshot();

        List<JsonNode> aliceEvents = aliceClient.until(TestClient.created(a2));
        assertEquals(List.of("create " + a1, "save " + a1, "create " + a2), summary(aliceEvents));
        aliceEvents.forEach(e -> assertEquals(ALICE, e.get("memory_id").asText()));
        aliceClient.assertNothingQueued();

        List<JsonNode> bobEvents = bobClient.until(TestClient.created(b2));
        assertEquals(List.of("create " + b1, "create " + b2), summary(bobEvents));
        bobEvents.forEach(e -> assertEquals(BOB, e.get("memory_id").asText()));
        bobClient.assertNothingQueued();

        List<JsonNode> all = everyClient.until(TestClient.created(b2));
        assertEquals(List.of("create " + a1, "create " + b1, "create " + d1, "save " + a1, "create " + a2,
                "create " + b2), summary(all));
        assertNull(all.get(2).get("memory_id"), "the default memory's events carry no memory_id");
        everyClient.assertNothingQueued();
    }

    @Test
    void theDecoratedManagerPassesHistorySelectiveApplyAndUndoThrough() throws Exception {
        TestClient aliceClient = connect("?memory=" + ALICE);
        EnhancedMemoryManager alice = memories.get(ALICE);
        assertTrue(alice instanceof WebSocketEnhancedMemoryManager, "every memory's manager is decorated");
        alice.addTurn("user", "one");
        String a1 = alice.createSnapshot();
        alice.addTurn("user", "two");
        String a2 = alice.createSnapshot();
        assertEquals(List.of(a2, a1), alice.history(a2).stream().map(m -> m.snapshotId()).toList());
        assertTrue(alice.applySnapshot(a1, dev.memsnap.api.ApplyOptions.shortTermOnly()));
        assertEquals(1, alice.turns().size());
        assertTrue(alice.undoApply());
        assertEquals(2, alice.turns().size());
        List<JsonNode> events = aliceClient.until(e -> e.get("action").asText().equals("apply")
                && e.get("snapshot_id").asText().equals(a1));
        assertEquals(List.of("create " + a1, "create " + a2, "apply " + a1), summary(events));
    }

    @Test
    void aLateClientOfOneMemoryIsReplayedOnlyThatMemorysHistory() throws Exception {
        EnhancedMemoryManager alice = memories.get(ALICE);
        String a1 = alice.createSnapshot();
        memories.get(BOB).createSnapshot();
        harness.manager.createSnapshot();
        String a2 = alice.createSnapshot();

        TestClient late = connect("?memory=" + ALICE);
        assertEquals(List.of("create " + a1, "create " + a2), summary(late.until(TestClient.created(a2))));
        memories.get(BOB).createSnapshot();
        String a3 = alice.createSnapshot();
        assertEquals(List.of("create " + a3), summary(late.until(TestClient.created(a3))));
        late.assertNothingQueued();

        TestClient lateForAll = connect("");
        assertEquals(6, lateForAll.until(TestClient.created(a3)).size(), "without ?memory= the whole history");
    }

    @Test
    void anInvalidMemoryIdIsRefusedAtTheHandshake() throws Exception {
        for (String query : List.of("?memory=", "?memory", "?memory=%00", "?memory=a%0Ab", "?memory=a&memory=b",
                "?memory=" + "x".repeat(MemoryManagers.MAX_MEMORY_ID_LENGTH + 1))) {
            TestClient client = new TestClient(harness.uri(query));
            assertFalse(client.tryOpen(), query + " should be refused");
            assertFalse(client.opened);
            assertEquals(0, harness.endpoint.clientCount(), "a refused client is never registered");
        }
        for (String query : List.of("?memory=%00", "?memory=%zz")) { // the second, no URI class lets us send
            try (Socket socket = new Socket("127.0.0.1", harness.endpoint.port())) {
                socket.setSoTimeout(10_000);
                String response = TokenAuthTest.handshake(socket, harness.endpoint.uri().getPath() + query);
                assertTrue(response.startsWith("HTTP/1.1 404"), response);
            }
        }
        assertEquals(0, harness.endpoint.clientCount());
        TestClient longest = connect("?memory=" + "x".repeat(MemoryManagers.MAX_MEMORY_ID_LENGTH));
        String id = memories.get("x".repeat(MemoryManagers.MAX_MEMORY_ID_LENGTH)).createSnapshot();
        assertEquals(id, longest.next().get("snapshot_id").asText());
    }

    @Test
    void theRefusalIsLoggedWithItsReason() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8)); // where slf4j-simple writes
        try {
            assertFalse(new TestClient(harness.uri("?memory=secret%01value")).tryOpen());
            assertFalse(new TestClient(harness.uri("?memory=a&memory=b")).tryOpen());
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Refused a WebSocket connection from 127.0.0.1:"), log);
        assertTrue(log.contains("invalid memory id (expected 1 to 200 characters, no control characters)"), log);
        assertTrue(log.contains("memory given more than once"), log);
        assertFalse(log.contains("secret"), "what was presented is not logged: " + log);
    }

    @Test
    void theParameterIsParsedLikeAQueryString() {
        assertNull(MemorySubscription.of("/memsnap").memoryId());
        assertNull(MemorySubscription.of("/memsnap?token=x").memoryId());
        assertEquals("a b+c/é", MemorySubscription.of("/memsnap?token=x&memory=a+b%2Bc%2F%C3%A9").memoryId());
        assertEquals("../../etc", MemorySubscription.of("/memsnap?memory=..%2F..%2Fetc").memoryId());
        assertTrue(MemorySubscription.ALL.wants("anything"));
        assertFalse(MemorySubscription.of("/memsnap?memory=a").wants("b"));
        assertThrows(IllegalArgumentException.class, () -> MemorySubscription.of("/memsnap?memory=%"));
    }

    private static List<String> summary(List<JsonNode> events) {
        return events.stream().map(e -> e.get("action").asText() + " " + e.get("snapshot_id").asText()).toList();
    }
}
