package dev.memsnap.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A dashboard that connects late first receives the most recent events, then every live one, each once. */
class LateJoinerHistoryTest {
    @TempDir
    Path dir;
    Harness harness;

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void aLateClientGetsTheLastEventsThenLiveOnes() throws InterruptedException {
        harness = Harness.start(dir, "history_size: 3");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(harness.manager.createSnapshot());
        }
        TestClient late = harness.connect();
        String live = harness.manager.createSnapshot();

        List<String> received = new ArrayList<>();
        for (JsonNode event : late.until(TestClient.created(live))) {
            received.add(event.get("snapshot_id").asText());
        }
        assertEquals(List.of(ids.get(2), ids.get(3), ids.get(4), live), received);
    }

    @Test
    void historyIsTheSameTextEveryClientGot() throws InterruptedException {
        harness = Harness.start(dir, "history_size: 10");
        TestClient early = harness.connect();
        harness.manager.createSnapshot();
        harness.manager.listSnapshots();
        String earlyCreate = early.nextText();
        String earlyList = early.nextText();

        TestClient late = harness.connect();
        assertEquals(earlyCreate, late.nextText());
        assertEquals(earlyList, late.nextText());
    }

    @Test
    void noHistoryWhenItsSizeIsZero() throws InterruptedException {
        harness = Harness.start(dir, "history_size: 0");
        harness.manager.createSnapshot();
        TestClient late = harness.connect();
        String live = harness.manager.createSnapshot();
        assertEquals(live, late.next().get("snapshot_id").asText());
    }
}
