package dev.memsnap.spring.actuate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.store.SnapshotStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.memsnap.spring.actuate.ActuatorApp.ADMIN;
import static dev.memsnap.spring.actuate.ActuatorApp.READER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code memsnap} endpoint, health and meters of a running web application over real HTTP, with write operations
 * off (the default): reads answer, bad ids are 4xx, every write is refused and changes nothing. Each test uses memory
 * ids of its own, so they share one context.
 */
@SpringBootTest(classes = ActuatorApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,memsnap",
        "management.endpoint.health.show-details=always"})
class EndpointReadsOverHttpTest {
    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("memsnap.snapshot-dir", () -> dir.resolve("snapshots").toString());
    }

    @LocalServerPort
    int port;
    @Autowired
    MemoryManagers memories;
    @Autowired
    SnapshotStore store;
    @Autowired
    MeterRegistry registry;

    private ActuatorApp.Http http;

    private ActuatorApp.Http http() {
        if (http == null) {
            http = new ActuatorApp.Http(port);
        }
        return http;
    }

    /** Two saved snapshots of a memory, with two turns between them; returns their ids, older first. */
    private List<String> twoSnapshots(String memoryId) {
        EnhancedMemoryManager memory = memories.get(memoryId);
        memory.addTurn("user", "I live in Paris");
        String first = memory.createSnapshot();
        memory.saveSnapshot(first);
        memory.addTurn("assistant", "Noted");
        memory.addTurn("user", "I moved to Rome");
        String second = memory.createSnapshot();
        memory.saveSnapshot(second);
        return List.of(first, second);
    }

    @Test
    void theMemoryIdsWithTheirSnapshotCounts() {
        twoSnapshots("list-alice");
        memories.get("list-bob").addTurn("user", "hello"); // live, nothing stored

        ActuatorApp.Http.Answer answer = http().get(READER, "/actuator/memsnap");

        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.json().get("store").asText().startsWith("FileSnapshotStore"), answer.body());
        JsonNode alice = find(answer.json().get("memories"), "list-alice");
        assertEquals(2, alice.get("stored_snapshots").asInt());
        assertTrue(alice.get("stored_bytes").asLong() > 0);
        assertEquals(0, find(answer.json().get("memories"), "list-bob").get("stored_snapshots").asInt());
    }

    @Test
    void oneMemoryItsSnapshotsAndHistory() {
        List<String> ids = twoSnapshots("one-alice");

        JsonNode memory = http().get(READER, "/actuator/memsnap/one-alice").json();

        assertEquals(3, memory.get("live").get("turns").asInt());
        assertEquals(2, memory.get("count").asInt());
        assertEquals(ids.get(1), memory.get("snapshots").get(0).get("snapshot_id").asText(), "newest first");
        assertTrue(memory.get("snapshots").get(0).get("saved").asBoolean());
        assertEquals(List.of(ids.get(1), ids.get(0)), idsOf(memory.get("history")),
                "the newest's lineage: its parent is the first");
    }

    @Test
    void oneSnapshotWholeAndADiffOfTwo() {
        List<String> ids = twoSnapshots("diff-alice");

        JsonNode snapshot = http().get(READER, "/actuator/memsnap/diff-alice/" + ids.get(0)).json();
        assertEquals(ids.get(0), snapshot.get("snapshot").get("snapshot_id").asText());
        assertEquals("I live in Paris",
                snapshot.get("snapshot").get("short_term").get("turns").get(0).get("content").asText());
        assertEquals(List.of(ids.get(0)), idsOf(snapshot.get("history")));

        ActuatorApp.Http.Answer diff = http().get(READER, "/actuator/memsnap/diff-alice/" + ids.get(0) + "/"
                + ids.get(1));
        assertEquals(200, diff.status(), diff.body());
        assertTrue(diff.body().contains("I moved to Rome"), diff.body());

        memories.get("diff-alice").addTurn("user", "and then to Oslo");
        ActuatorApp.Http.Answer live = http().get(READER, "/actuator/memsnap/diff-alice/" + ids.get(1) + "/live");
        assertEquals(200, live.status(), live.body());
        assertTrue(live.body().contains("and then to Oslo"), live.body());
    }

    @Test
    void badAndUnknownIdsAreClear4xxAndAReadMakesNoMemory() {
        List<String> ids = twoSnapshots("bad-alice");
        assertStatus(404, "/actuator/memsnap/nobody", "no memory with id nobody");
        assertFalse(memories.memoryIds().contains("nobody"), "a read never makes a memory");
        assertStatus(400, "/actuator/memsnap/" + "x".repeat(201), "not a memory id");
        assertStatus(400, "/actuator/memsnap/bad%01alice", null);
        assertStatus(400, "/actuator/memsnap/bad-alice/not-a-snapshot", "not a snapshot id");
        assertRefused("/actuator/memsnap/bad-alice/..%2F..%2Fetc%2Fpasswd");
        assertStatus(404, "/actuator/memsnap/bad-alice/snapshot_20200101_000000_deadbeef", "has no snapshot");
        assertStatus(404, "/actuator/memsnap/bad-alice/" + ids.get(0) + "/snapshot_20200101_000000_deadbeef", null);
        assertRefused("/actuator/memsnap/bad-alice/" + ids.get(0) + "/..");
        assertRefused("/actuator/memsnap/%2e%2e/%2e%2e/bad-alice");
        twoSnapshots("bad-bob");
        String bobs = memories.get("bad-bob").listSnapshots().get(0).snapshotId();
        assertStatus(404, "/actuator/memsnap/bad-alice/" + bobs, "has no snapshot");
    }

    /** Path tricks: the server or its firewall refuses them (4xx) before memsnap sees them, or memsnap does. */
    private void assertRefused(String path) {
        ActuatorApp.Http.Answer answer = http().get(READER, path);
        assertTrue(answer.status() >= 400 && answer.status() < 500, path + " -> " + answer.status() + " "
                + answer.body());
    }

    private void assertStatus(int status, String path, String message) {
        ActuatorApp.Http.Answer answer = http().get(READER, path);
        assertEquals(status, answer.status(), path + " -> " + answer.body());
        if (message != null) {
            assertTrue(answer.json().get("error").asText().contains(message), answer.body());
        }
    }

    @Test
    void everyWriteIsRefusedWhileWritesAreOffEvenForTheRole() {
        List<String> ids = twoSnapshots("off-alice");
        int before = store.list("off-alice").size();
        for (String[] write : new String[][] {
                {"/actuator/memsnap/off-alice", "{\"action\":\"snapshot\"}"},
                {"/actuator/memsnap/off-alice", "{\"action\":\"undo\"}"},
                {"/actuator/memsnap/off-alice/" + ids.get(0), "{\"action\":\"apply\"}"},
                {"/actuator/memsnap/off-alice/" + ids.get(0), "{\"action\":\"label\",\"label\":\"x\"}"},
                {"/actuator/memsnap/off-alice/" + ids.get(0), "{\"action\":\"pin\"}"}}) {
            ActuatorApp.Http.Answer answer = http().post(ADMIN, write[0], write[1]);
            assertEquals(403, answer.status(), write[1] + " -> " + answer.body());
            assertTrue(answer.json().get("error").asText().contains("memsnap.actuator.write=true"), answer.body());
        }
        assertEquals(before, store.list("off-alice").size());
        assertEquals(3, memories.get("off-alice").turns().size(), "nothing applied");
        assertTrue(store.tags(ids.get(0)).isEmpty(), "nothing labelled or pinned");
    }

    @Test
    void theEndpointNeedsALoginAndHealthDoesNot() {
        assertEquals(401, http().get(null, "/actuator/memsnap").status());
        ActuatorApp.Http.Answer health = http().get(null, "/actuator/health/memsnap");
        assertEquals(200, health.status(), health.body());
        assertEquals("UP", health.json().get("status").asText());
        JsonNode details = health.json().get("details");
        assertTrue(details.get("store").asText().startsWith("FileSnapshotStore"), health.body());
        assertEquals(store.list().size(), details.get("snapshots").asInt());
        assertTrue(details.has("memories") && details.has("storedBytes"), health.body());
    }

    @Test
    void theMetersCountRealSnapshotsAndSaves() throws Exception {
        double requested = registry.get("memsnap.snapshots.created").tag("kind", "requested").functionCounter()
                .count();
        double saves = registry.get("memsnap.snapshots.saves").functionTimer().count();
        double completed = registry.get("memsnap.snapshots.automatic.saves").tag("outcome", "completed")
                .functionCounter().count();

        twoSnapshots("meters-alice");
        EnhancedMemoryManager auto = memories.get("meters-auto");
        auto.enableAutoSnapshot(1);
        for (int i = 0; i < 3; i++) {
            auto.addTurn("user", "message " + i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (auto.stats().pendingAutomaticSaves() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        long autoSaved = auto.stats().automaticSavesCompleted();

        assertEquals(requested + 2, registry.get("memsnap.snapshots.created").tag("kind", "requested")
                .functionCounter().count());
        assertTrue(registry.get("memsnap.snapshots.created").tag("kind", "automatic").functionCounter().count() >= 3);
        assertEquals(completed + autoSaved, registry.get("memsnap.snapshots.automatic.saves")
                .tag("outcome", "completed").functionCounter().count());
        assertEquals(saves + 2 + autoSaved, registry.get("memsnap.snapshots.saves").functionTimer().count());
        assertTrue(registry.get("memsnap.snapshots.saves").functionTimer().totalTime(TimeUnit.NANOSECONDS) > 0);
        assertEquals(0, registry.get("memsnap.snapshots.automatic.saves").tag("outcome", "failed")
                .functionCounter().count());
        long onDisk;
        try (var files = Files.walk(dir.resolve("snapshots"))) {
            onDisk = files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".json")).count();
        }
        assertTrue(onDisk > 0);
        assertEquals(store.list().size(), registry.get("memsnap.store.snapshots").gauge().value(), 0.0,
                "read fresh on first use");
        assertTrue(registry.get("memsnap.store.size").gauge().value() > 0);
    }

    private static JsonNode find(JsonNode memories, String id) {
        for (JsonNode m : memories) {
            if (m.get("memory_id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError(id + " not listed in " + memories);
    }

    private static List<String> idsOf(JsonNode metadata) {
        List<String> ids = new ArrayList<>();
        metadata.forEach(m -> ids.add(m.get("snapshot_id").asText()));
        return ids;
    }
}
