package dev.memsnap.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.InvalidSnapshotIdException;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.memsnap.websocket.EventJsonTest.metadataJson;
import static dev.memsnap.websocket.EventJsonTest.withoutExtras;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact JSON a dashboard receives for each action, through core's manager, the plugin's decorator and a real
 * Java-WebSocket client on loopback; and that each call is sent once and a failed one not at all.
 */
class EventWireFormatTest {
    @TempDir
    Path dir;
    Harness harness;
    TestClient client;

    @BeforeEach
    void start() throws InterruptedException {
        harness = Harness.start(dir.resolve("snapshots"), "");
        assertInstanceOf(WebSocketEnhancedMemoryManager.class, harness.manager);
        harness.manager.addTurn("system", "You are Coda.");
        harness.manager.addTurn("user", "Hello, who are you?");
        harness.manager.addMemory("The user's name is Alice.", "fact", 0.8, List.of("user", "name"));
        client = harness.connect();
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void create() throws InterruptedException {
        String id = harness.manager.createSnapshot();

        ObjectNode expected = event("create", id);
        expected.set("metadata", metadataOf(id));
        JsonNode received = client.next();
        assertEquals(expected, withoutExtras(received));
        assertEquals(2, received.get("metadata").get("short_term_turns").intValue());
        assertEquals(1, received.get("metadata").get("long_term_memories").intValue());
        assertEquals(2, received.get("metadata").get("topics").intValue());
        assertFalse(received.get("automatic").booleanValue());
    }

    @Test
    void save() throws InterruptedException {
        String id = harness.manager.createSnapshot();
        URI location = harness.manager.saveSnapshot(id);

        client.next(); // create
        ObjectNode expected = event("save", id);
        expected.put("filepath", Path.of(location).toString());
        expected.set("metadata", metadataOf(id));
        JsonNode received = client.next();
        assertEquals(expected, withoutExtras(received));
        assertTrue(Files.isRegularFile(Path.of(received.get("filepath").asText())), "filepath is the saved file");
    }

    @Test
    void loadFromAPathAndFromAUri() throws InterruptedException {
        String id = harness.manager.createSnapshot();
        URI location = harness.manager.saveSnapshot(id);
        Path file = Path.of(location);

        assertEquals(id, harness.manager.loadSnapshot(file));
        assertEquals(id, harness.manager.loadSnapshot(location));

        client.next(); // create
        client.next(); // save
        ObjectNode expected = event("load", id);
        expected.put("filepath", file.toString());
        expected.set("metadata", metadataOf(id));
        assertEquals(expected, withoutExtras(client.next()));
        assertEquals(expected, withoutExtras(client.next()));
    }

    @Test
    void applySuccessfulAndUnknown() throws InterruptedException {
        String id = harness.manager.createSnapshot();
        harness.manager.addTurn("user", "Actually, call me Bob.");
        assertTrue(harness.manager.applySnapshot(id));
        String unknown = "snapshot_20000101_000000_00000000";
        assertFalse(harness.manager.applySnapshot(unknown));

        client.next(); // create
        // Core keeps the live memory the apply replaces as an automatic undo point, created and saved before it.
        JsonNode undoCreated = client.next();
        JsonNode undoSaved = client.next();
        assertEquals(List.of("create", "save"), List.of(undoCreated.get("action").asText(),
                undoSaved.get("action").asText()));
        assertTrue(undoCreated.get("automatic").booleanValue() && undoSaved.get("automatic").booleanValue());
        assertEquals(undoCreated.get("snapshot_id"), undoSaved.get("snapshot_id"));
        assertEquals(3, undoCreated.get("metadata").get("short_term_turns").intValue(), "the memory it replaced");
        ObjectNode applied = event("apply", id);
        applied.put("success", true);
        applied.set("metadata", metadataOf(id));
        assertEquals(applied, withoutExtras(client.next()));

        ObjectNode failed = event("apply", unknown);
        failed.put("success", false);
        failed.putNull("metadata");
        assertEquals(failed, withoutExtras(client.next()));
    }

    @Test
    void list() throws InterruptedException {
        String first = harness.manager.createSnapshot();
        harness.manager.saveSnapshot(first);
        String second = harness.manager.createSnapshot();
        List<SnapshotMetadata> listing = harness.manager.listSnapshots();
        assertEquals(2, listing.size());

        client.until(TestClient.created(second));
        ObjectNode expected = TestClient.JSON.createObjectNode();
        expected.put("action", "list");
        listing.forEach(metadata -> expected.withArray("snapshots").add(metadataJson(metadata)));
        JsonNode received = client.next();
        assertEquals(expected, withoutExtras(received));
        assertEquals(second, received.get("snapshots").get(0).get("snapshot_id").asText(), "newest first");
    }

    @Test
    void everySuccessfulCallIsSentExactlyOnceInOrder() throws InterruptedException {
        String id = harness.manager.createSnapshot();
        URI location = harness.manager.saveSnapshot(id);
        harness.manager.loadSnapshot(location);
        harness.manager.applySnapshot(id);
        harness.manager.listSnapshots();
        String marker = harness.manager.createSnapshot();

        List<String> actions = client.until(TestClient.created(marker)).stream()
                .map(event -> event.get("action").asText()).toList();
        assertEquals(List.of("create", "save", "load", "apply", "list", "create"), actions);
        client.assertNothingQueued();
    }

    @Test
    void aFailedCallSendsNothing() throws Exception {
        Path corrupt = Files.writeString(dir.resolve("snapshot_20250426_123456_abcd1234.json"), "{\"snapshot_id\":");
        String unknown = "snapshot_20000101_000000_00000000";

        assertThrows(SnapshotNotFoundException.class, () -> harness.manager.saveSnapshot(unknown));
        assertThrows(InvalidSnapshotIdException.class, () -> harness.manager.saveSnapshot("../../etc/passwd"));
        assertThrows(SnapshotNotFoundException.class, () -> harness.manager.loadSnapshot(dir.resolve("absent.json")));
        assertThrows(SnapshotFormatException.class, () -> harness.manager.loadSnapshot(corrupt));
        assertThrows(InvalidSnapshotIdException.class, () -> harness.manager.applySnapshot("not-an-id"));
        String marker = harness.manager.createSnapshot();

        // Events reach a client in the order they were published: nothing before the marker means nothing at all.
        JsonNode first = client.next();
        assertEquals("create", first.get("action").asText());
        assertEquals(marker, first.get("snapshot_id").asText());
    }

    private ObjectNode event(String action, String snapshotId) {
        ObjectNode node = TestClient.JSON.createObjectNode();
        node.put("action", action);
        node.put("snapshot_id", snapshotId);
        return node;
    }

    private ObjectNode metadataOf(String id) {
        return metadataJson(harness.manager.getSnapshot(id).orElseThrow().metadata());
    }
}
