package dev.memsnap.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API per memory, over real HTTP: {@code /api/memories}, {@code ?memory=} on every per-memory endpoint, and the
 * history tree of {@code /api/history}.
 */
class MemoriesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ALICE = "alice";
    static final String BOB = "bob@example.com";

    @TempDir
    Path dir;

    private TestHost host;
    private MemoryManagers memories;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        host = TestHost.start(dir);
        memories = host.memsnap.memories();
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(host.uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + host.token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private void assertError(int status, String path, String message) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(status, response.statusCode(), path + ": " + response.body());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(message, JSON.readTree(response.body()).get("error").asText(), path);
    }

    private static String memory(String id) {
        return "memory=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private static List<String> ids(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    @Test
    void theMemoriesAreListedWithTheirStoredSnapshots() throws Exception {
        EnhancedMemoryManager alice = memories.get(ALICE);
        Fixtures.converse(alice);
        alice.saveSnapshot(alice.createSnapshot());
        alice.saveSnapshot(alice.createSnapshot());
        EnhancedMemoryManager bob = memories.get(BOB);
        Fixtures.converse(bob);
        bob.saveSnapshot(bob.createSnapshot());
        host.manager.createSnapshot(); // held only: not counted as stored

        JsonNode answer = getJson("/api/memories");
        assertEquals(List.of(ALICE, BOB, MemoryManagers.DEFAULT), ids(answer.get("memories"), "memory_id"));
        assertEquals(3, answer.get("count").asInt());
        JsonNode aliceNode = answer.get("memories").get(0);
        assertEquals(2, aliceNode.get("stored_snapshots").asInt());
        assertTrue(aliceNode.get("stored_bytes").asLong() > 0);
        assertEquals(1, answer.get("memories").get(1).get("stored_snapshots").asInt());
        assertEquals(0, answer.get("memories").get(2).get("stored_snapshots").asInt());
    }

    @Test
    void everyPerMemoryEndpointSeesThatMemoryOnly() throws Exception {
        EnhancedMemoryManager alice = memories.get(ALICE);
        Fixtures.converse(alice);
        String a1 = alice.createSnapshot();
        alice.saveSnapshot(a1);
        Fixtures.continueConversation(alice);
        String a2 = alice.createSnapshot();
        EnhancedMemoryManager bob = memories.get(BOB);
        bob.addTurn("user", "Bob here");
        String b1 = bob.createSnapshot();
        String d1 = host.manager.createSnapshot();

        JsonNode aliceListing = getJson("/api/snapshots?" + memory(ALICE));
        assertEquals(ALICE, aliceListing.get("memory_id").asText());
        assertEquals(List.of(a2, a1), ids(aliceListing.get("snapshots"), "snapshot_id"));
        assertTrue(aliceListing.get("snapshots").get(1).get("saved").asBoolean());
        aliceListing.get("snapshots").forEach(s -> assertEquals(ALICE, s.get("memory_id").asText()));
        assertEquals(List.of(b1), ids(getJson("/api/snapshots?" + memory(BOB)).get("snapshots"), "snapshot_id"));
        assertEquals(List.of(d1), ids(getJson("/api/snapshots").get("snapshots"), "snapshot_id"), "default");
        assertEquals(List.of(d1), ids(getJson("/api/snapshots?memory=default").get("snapshots"), "snapshot_id"));

        assertEquals(a1, getJson("/api/snapshots/" + a1 + "?" + memory(ALICE)).get("snapshot_id").asText());
        assertError(404, "/api/snapshots/" + a1 + "?" + memory(BOB), "no snapshot with id " + a1 + " in this memory");
        assertError(404, "/api/snapshots/" + a1, "no snapshot with id " + a1);

        JsonNode diff = getJson("/api/compare?before=" + a1 + "&after=" + a2 + "&" + memory(ALICE));
        assertEquals(2, diff.get("turns").get("added").size());
        assertError(404, "/api/compare?before=" + a1 + "&after=" + b1 + "&" + memory(ALICE),
                "no snapshot with id " + b1 + " in this memory");

        bob.addTurn("assistant", "Hello Bob");
        JsonNode live = getJson("/api/compare?before=" + b1 + "&after=live&" + memory(BOB));
        assertEquals(1, live.get("turns").get("added").size(), "compared with Bob's live memory");
        assertEquals("Hello Bob", live.get("turns").get("added").get(0).get("content").asText());
    }

    @Test
    void automaticSnapshotsAreMarkedPerMemory() throws Exception {
        EnhancedMemoryManager bob = memories.get(BOB);
        bob.enableAutoSnapshot(2);
        Fixtures.converse(bob); // two turns: one automatic snapshot
        String automatic = bob.listSnapshots().get(0).snapshotId();
        String manual = bob.createSnapshot();
        JsonNode snapshots = getJson("/api/snapshots?" + memory(BOB)).get("snapshots");
        assertEquals(List.of(manual, automatic), ids(snapshots, "snapshot_id"));
        assertFalse(snapshots.get(0).get("automatic").asBoolean());
        assertTrue(snapshots.get(1).get("automatic").asBoolean());
        JsonNode node = getJson("/api/history?" + memory(BOB)).get("nodes").get(1);
        assertTrue(node.get("automatic").asBoolean());
    }

    @Test
    void theHistoryIsATreeOfParentLinks() throws Exception {
        EnhancedMemoryManager alice = memories.get(ALICE);
        Fixtures.converse(alice);
        String root = alice.createSnapshot();
        alice.saveSnapshot(root);
        Fixtures.continueConversation(alice);
        String line = alice.createSnapshot();
        assertTrue(alice.applySnapshot(root)); // the state goes back to root: what follows is a branch
        alice.addTurn("user", "Actually, let's go to Madrid.");
        String branch = alice.createSnapshot();

        JsonNode history = getJson("/api/history?" + memory(ALICE));
        assertEquals(ALICE, history.get("memory_id").asText());
        assertEquals(List.of(root), textList(history.get("roots")));
        java.util.Map<String, JsonNode> nodes = new java.util.HashMap<>();
        history.get("nodes").forEach(n -> nodes.put(n.get("snapshot_id").asText(), n));
        assertEquals(history.get("count").asInt(), nodes.size());
        JsonNode rootNode = nodes.get(root);
        assertTrue(rootNode.get("parent_snapshot_id").isNull());
        assertEquals(List.of(line, branch), textList(rootNode.get("children")),
                "the line, then the branch taken after applying root again");
        assertEquals(root, nodes.get(line).get("parent_snapshot_id").asText());
        assertEquals(root, nodes.get(branch).get("parent_snapshot_id").asText());
        assertTrue(nodes.get(branch).get("parent_listed").asBoolean());
        assertTrue(rootNode.get("saved").asBoolean());
        assertEquals(3, nodes.get(branch).get("short_term_turns").asInt(), "root's two turns and one more");
        assertTrue(rootNode.has("timestamp") && rootNode.has("labels") && rootNode.has("long_term_memories"));
        // every listed snapshot is in the tree once (the apply's undo point is one of them)
        for (JsonNode n : history.get("nodes")) {
            String parent = n.get("parent_snapshot_id").isNull() ? null : n.get("parent_snapshot_id").asText();
            if (parent == null || !nodes.containsKey(parent)) {
                assertTrue(textList(history.get("roots")).contains(n.get("snapshot_id").asText()));
            } else {
                assertTrue(textList(nodes.get(parent).get("children")).contains(n.get("snapshot_id").asText()));
            }
        }
    }

    @Test
    void anInvalidMemoryIdIs400AndAnUnknownOne404() throws Exception {
        String invalid = "memory is not a memory id (expected 1 to 200 characters, no control characters)";
        for (String path : List.of("/api/snapshots", "/api/history", "/api/compare?before=x&after=y",
                "/api/snapshots/snapshot_20250426_123456_abcd1234")) {
            String sep = path.contains("?") ? "&" : "?";
            assertError(400, path + sep + "memory=", invalid);
            assertError(400, path + sep + "memory=a%00b", invalid);
            assertError(400, path + sep + "memory=" + "x".repeat(201), invalid);
            assertError(400, path + sep + "memory=a&memory=b", "query parameter memory given more than once");
            assertError(404, path + sep + "memory=nobody", "no memory with id nobody");
        }
        assertFalse(memories.memoryIds().contains("nobody"), "a read never makes a memory");
        assertTrue(RawHttp.statusLine(host.dashboard.port(), "GET /api/snapshots?memory=%zz HTTP/1.1\r\nHost: "
                + "127.0.0.1\r\nAuthorization: Bearer " + host.token + "\r\nConnection: close\r\n\r\n")
                .contains(" 400 "), "a malformed query");
    }

    private static List<String> textList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
