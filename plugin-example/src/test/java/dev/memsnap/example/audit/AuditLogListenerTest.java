package dev.memsnap.example.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.format.SnapshotFormat;
import dev.memsnap.example.Contexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listener alone: one JSON object per line (memsnap's event JSON, the seed's {@code memory_snapshot} event), whole
 * lines under concurrent events, failures never thrown.
 */
class AuditLogListenerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SnapshotFormat FORMAT = Contexts.defaults().format();
    private static final String ID = "snapshot_20250426_123456_abcd1234";
    private static final SnapshotMetadata METADATA =
            new SnapshotMetadata(ID, LocalDateTime.parse("2025-04-26T12:34:56.789012"), 10, 4, 5);

    @TempDir
    Path dir;

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode event = JSON.readTree(line);
            assertEquals(1, event.size(), line);
            lines.add(event.get("memory_snapshot")); // the one key of the seed's event
        }
        return lines;
    }

    @Test
    void eachEventIsOneJsonLineWithTheEventsFields() throws IOException {
        Path file = dir.resolve("nested/audit.jsonl");
        AuditLogListener audit = new AuditLogListener(file, FORMAT);
        audit.start();
        URI location = dir.resolve(ID + ".json").toUri();
        audit.onEvent(SnapshotEvent.created(METADATA, true));
        audit.onEvent(SnapshotEvent.saved(METADATA, location, false));
        audit.onEvent(SnapshotEvent.applied("snapshot_20000101_000000_00000000", null));
        audit.onEvent(SnapshotEvent.listed(List.of(METADATA, METADATA)));
        audit.stop();

        List<JsonNode> lines = read(file);
        assertEquals(4, lines.size());
        JsonNode create = lines.get(0);
        assertEquals("create", create.get("action").asText());
        assertEquals(ID, create.get("snapshot_id").asText());
        assertTrue(create.get("automatic").asBoolean());
        assertFalse(create.has("filepath"), "only a save or a load has a location");
        assertEquals("2025-04-26T12:34:56.789012", create.get("metadata").get("timestamp").asText());
        assertEquals(10, create.get("metadata").get("short_term_turns").asInt());
        assertEquals(4, create.get("metadata").get("long_term_memories").asInt());
        assertEquals(5, create.get("metadata").get("topics").asInt());
        assertFalse(create.get("occurred_at").asText().isEmpty());

        assertEquals(Path.of(location).toString(), lines.get(1).get("filepath").asText());
        assertFalse(lines.get(1).get("automatic").asBoolean());

        assertFalse(lines.get(2).get("success").asBoolean());
        assertTrue(lines.get(2).get("metadata").isNull());

        assertEquals("list", lines.get(3).get("action").asText());
        assertEquals(2, lines.get(3).get("snapshots").size());
        assertEquals(ID, lines.get(3).get("snapshots").get(0).get("snapshot_id").asText());
    }

    @Test
    void aLineBreakInsideAValueStaysInsideOneLine() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        AuditLogListener audit = new AuditLogListener(file, FORMAT);
        audit.start();
        audit.onEvent(SnapshotEvent.applied("asked for\nwith a line break", null));
        audit.onEvent(SnapshotEvent.created(METADATA, false));
        audit.stop();
        List<JsonNode> lines = read(file);
        assertEquals(2, lines.size());
        assertEquals("asked for\nwith a line break", lines.get(0).get("snapshot_id").asText());
    }

    @Test
    void aRestartAppendsToTheSameFile() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        for (int run = 0; run < 2; run++) {
            AuditLogListener audit = new AuditLogListener(file, FORMAT);
            audit.start();
            audit.onEvent(SnapshotEvent.created(METADATA, false));
            audit.stop();
        }
        assertEquals(2, read(file).size());
    }

    @Test
    void eventsFromSeveralThreadsAreWholeLines() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLogListener audit = new AuditLogListener(file, FORMAT);
        audit.start();
        int threads = 4;
        int perThread = 250;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    audit.onEvent(SnapshotEvent.created(METADATA, true));
                }
            });
            worker.start();
            workers.add(worker);
        }
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        audit.stop();

        List<JsonNode> lines = read(file); // throws if any line is torn
        assertEquals(threads * perThread, lines.size());
        assertTrue(lines.stream().allMatch(l -> ID.equals(l.get("snapshot_id").asText())));
    }

    @Test
    void anUnwritableFileIsLoggedAndNeverThrown() throws IOException {
        Path directory = Files.createDirectories(dir.resolve("a-directory"));
        AuditLogListener audit = new AuditLogListener(directory, FORMAT);
        assertDoesNotThrow(audit::start);
        assertDoesNotThrow(() -> audit.onEvent(SnapshotEvent.created(METADATA, false)));
        assertDoesNotThrow(audit::stop);
    }

    @Test
    void eventsOutsideStartAndStopAreDropped() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        AuditLogListener audit = new AuditLogListener(file, FORMAT);
        audit.onEvent(SnapshotEvent.created(METADATA, false));
        assertFalse(Files.exists(file), "nothing is opened before start()");
        audit.start();
        audit.onEvent(SnapshotEvent.created(METADATA, false));
        audit.stop();
        audit.onEvent(SnapshotEvent.created(METADATA, false));
        audit.stop();
        Set<String> actions = new HashSet<>();
        read(file).forEach(l -> actions.add(l.get("action").asText()));
        assertEquals(1, read(file).size());
        assertEquals(Set.of("create"), actions);
    }
}
