package dev.memsnap.spring.actuate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.memsnap.spring.actuate.ActuatorApp.ADMIN;
import static dev.memsnap.spring.actuate.ActuatorApp.READER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code memsnap} endpoint's write operations over real HTTP with {@code memsnap.actuator.write=true}: with Spring
 * Security there, only a caller in the role {@code MEMSNAP_ADMIN} may snapshot, apply, undo, label and pin, and each
 * does what memsnap's own call does.
 */
@SpringBootTest(classes = ActuatorApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,memsnap", "memsnap.actuator.write=true"})
class EndpointWritesOverHttpTest {
    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("memsnap.snapshot-dir", () -> dir.toString());
    }

    @LocalServerPort
    int port;
    @Autowired
    MemoryManagers memories;
    @Autowired
    SnapshotStore store;

    private ActuatorApp.Http http() {
        return new ActuatorApp.Http(port);
    }

    @Test
    void aCallerWithoutTheRoleIsRefusedAndNothingChanges() {
        memories.get("role-alice").addTurn("user", "hello");

        ActuatorApp.Http.Answer reader = http().post(READER, "/actuator/memsnap/role-alice", "{\"action\":\"snapshot\"}");
        assertEquals(403, reader.status(), reader.body());
        assertTrue(reader.json().get("error").asText().contains("MEMSNAP_ADMIN"), reader.body());
        assertEquals(401, http().post(null, "/actuator/memsnap/role-alice", "{\"action\":\"snapshot\"}").status());
        assertEquals(0, store.list("role-alice").size());
    }

    @Test
    void snapshotApplyUndoThroughTheEndpoint() {
        EnhancedMemoryManager alice = memories.get("write-alice");
        alice.addTurn("user", "I live in Paris");

        ActuatorApp.Http.Answer snapshot = http().post(ADMIN, "/actuator/memsnap/write-alice",
                "{\"action\":\"snapshot\"}");
        assertEquals(200, snapshot.status(), snapshot.body());
        String paris = snapshot.json().get("snapshot_id").asText();
        assertTrue(store.read("write-alice", paris).isPresent(), "created and saved");

        alice.addTurn("user", "I moved to Rome");
        List<Turn> rome = alice.turns();
        ActuatorApp.Http.Answer apply = http().post(ADMIN, "/actuator/memsnap/write-alice/" + paris,
                "{\"action\":\"apply\"}");
        assertEquals(200, apply.status(), apply.body());
        assertEquals(1, apply.json().get("live").get("turns").asInt());
        assertEquals(List.of(new Turn("user", "I live in Paris")), alice.turns().stream()
                .map(t -> new Turn(t.role(), t.content())).toList());

        ActuatorApp.Http.Answer undo = http().post(ADMIN, "/actuator/memsnap/write-alice", "{\"action\":\"undo\"}");
        assertEquals(200, undo.status(), undo.body());
        assertEquals(rome, alice.turns());
    }

    @Test
    void labelUnlabelPinAndUnpinAStoredSnapshot() {
        EnhancedMemoryManager bob = memories.get("tags-bob");
        bob.addTurn("user", "hello");
        String id = bob.createSnapshot();
        bob.saveSnapshot(id);
        String path = "/actuator/memsnap/tags-bob/" + id;

        JsonNode labelled = http().post(ADMIN, path, "{\"action\":\"label\",\"label\":\"before-release\"}").json();
        assertEquals("before-release", labelled.get("labels").get(0).asText());
        assertEquals(200, http().post(ADMIN, path, "{\"action\":\"pin\"}").status());
        assertEquals(new SnapshotTags(Set.of("before-release"), true), store.tags(id));

        http().post(ADMIN, path, "{\"action\":\"unlabel\",\"label\":\"before-release\"}");
        http().post(ADMIN, path, "{\"action\":\"unpin\"}");
        assertEquals(SnapshotTags.NONE, store.tags(id));

        JsonNode memory = http().get(READER, "/actuator/memsnap/tags-bob").json();
        assertEquals(id, memory.get("snapshots").get(0).get("snapshot_id").asText());
    }

    @Test
    void badWritesAreClear4xx() {
        EnhancedMemoryManager carol = memories.get("bad-carol");
        carol.addTurn("user", "hello");
        String held = carol.createSnapshot(); // held in memory, not saved
        String base = "/actuator/memsnap/bad-carol";

        assertAnswer(400, base, "{\"action\":\"explode\"}", "unknown action");
        assertAnswer(400, base, "{}", null); // no action
        assertAnswer(409, base, "{\"action\":\"undo\"}", "no apply to undo");
        assertAnswer(400, base + "/" + held, "{\"action\":\"label\"}", "needs a non-blank");
        assertAnswer(404, base + "/" + held, "{\"action\":\"pin\"}", "save it first");
        assertAnswer(404, base + "/snapshot_20200101_000000_deadbeef", "{\"action\":\"apply\"}", "has no snapshot");
        assertAnswer(400, base + "/nope", "{\"action\":\"apply\"}", "not a snapshot id");
        assertAnswer(404, "/actuator/memsnap/nobody", "{\"action\":\"snapshot\"}", "no memory with id nobody");
        assertTrue(!memories.memoryIds().contains("nobody"), "a refused write makes no memory");
    }

    private void assertAnswer(int status, String path, String body, String message) {
        ActuatorApp.Http.Answer answer = http().post(ADMIN, path, body);
        assertEquals(status, answer.status(), path + " " + body + " -> " + answer.body());
        if (message != null) {
            assertTrue(answer.json().get("error").asText().contains(message), answer.body());
        }
    }
}
