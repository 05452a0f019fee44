package dev.memsnap.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic snapshots, which happen inside core's manager where the decorator cannot see them, still reach dashboards:
 * a create on the turn's thread and a save from the background thread, each once, marked automatic.
 */
class AutomaticSnapshotEventsTest {
    @TempDir
    Path dir;
    Harness harness;

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void automaticSnapshotsFromConfigEmitACreateAndASaveEachOnce() throws InterruptedException {
        harness = Harness.start(dir, "", "auto_snapshot: true\nsnapshot_interval: 2");
        TestClient client = harness.connect();
        for (int turn = 1; turn <= 4; turn++) {
            harness.manager.addTurn(turn % 2 == 1 ? "user" : "assistant", "message " + turn);
        }

        List<JsonNode> automatic = awaitAutomatic(client, 4);
        assertAutomaticPairs(automatic, 2);
        // A marker: everything published before it has arrived, so a duplicate would be seen here.
        String marker = harness.manager.createSnapshot();
        List<JsonNode> rest = client.until(TestClient.created(marker));
        assertEquals(1, rest.size(), "nothing between the automatic events and the marker: " + rest);
        assertEquals(false, rest.get(0).get("automatic").booleanValue());
        assertEquals(2, harness.manager.stats().automaticSavesCompleted());
    }

    @Test
    void automaticSnapshotsEnabledThroughTheDecoratorEmitToo() throws InterruptedException {
        harness = Harness.start(dir, "");
        TestClient client = harness.connect();
        harness.manager.enableAutoSnapshot(1);
        harness.manager.addTurn("user", "hello");
        harness.manager.disableAutoSnapshot();
        harness.manager.addTurn("user", "no snapshot for this one");

        assertAutomaticPairs(awaitAutomatic(client, 2), 1);
        String marker = harness.manager.createSnapshot();
        assertEquals(1, client.until(TestClient.created(marker)).size());
    }

    /** Reads until {@code count} automatic events have arrived; fails on a manual one. */
    private static List<JsonNode> awaitAutomatic(TestClient client, int count) throws InterruptedException {
        List<JsonNode> events = new ArrayList<>();
        while (events.size() < count) {
            JsonNode event = client.next();
            assertTrue(event.get("automatic").booleanValue(), "only automatic events expected: " + event);
            events.add(event);
        }
        return events;
    }

    private static void assertAutomaticPairs(List<JsonNode> events, int snapshots) {
        List<JsonNode> creates = events.stream().filter(e -> e.get("action").asText().equals("create")).toList();
        List<JsonNode> saves = events.stream().filter(e -> e.get("action").asText().equals("save")).toList();
        assertEquals(snapshots, creates.size(), "creates in " + events);
        assertEquals(snapshots, saves.size(), "saves in " + events);
        Set<String> created = creates.stream().map(e -> e.get("snapshot_id").asText()).collect(Collectors.toSet());
        Set<String> saved = saves.stream().map(e -> e.get("snapshot_id").asText()).collect(Collectors.toSet());
        assertEquals(snapshots, created.size(), "distinct snapshots");
        assertEquals(created, saved, "each automatic snapshot is created and saved");
        for (JsonNode save : saves) {
            assertTrue(Files.isRegularFile(Path.of(save.get("filepath").asText())), save.toString());
            assertEquals(save.get("snapshot_id"), save.get("metadata").get("snapshot_id"));
        }
        for (JsonNode create : creates) {
            assertEquals(create.get("snapshot_id"), create.get("metadata").get("snapshot_id"));
        }
    }
}
