package dev.memsnap.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.format.SnapshotFormat;
import dev.memsnap.core.format.SnapshotJson;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event text the server sends ({@code context.format().eventJson}, core's one event shape) against the seed's
 * fixture and the seed's per-action fields, without a server.
 */
class EventJsonTest {
    private static final SnapshotFormat FORMAT = new SnapshotJson();

    static final SnapshotMetadata SEED_METADATA = new SnapshotMetadata("snapshot_20250426_123456_abcd1234",
            LocalDateTime.parse("2025-04-26T12:34:56.789012"), 10, 100, 5);

    @Test
    void createIsTheSeedFixturePlusMemsnapsTwoFields() throws IOException {
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/seed-event.json")) {
            fixture = TestClient.JSON.readTree(in);
        }
        String text = encode(SnapshotEvent.created(SEED_METADATA, false));

        JsonNode root = TestClient.JSON.readTree(text);
        assertEquals(List.of("memory_snapshot"), fieldNames(root));
        JsonNode event = root.get("memory_snapshot");
        assertEquals(List.of("action", "snapshot_id", "metadata", "automatic", "occurred_at"), fieldNames(event),
                "the seed's fields in the seed's order, then memsnap's");
        assertEquals(fieldNames(fixture.get("memory_snapshot").get("metadata")), fieldNames(event.get("metadata")));
        assertEquals(fixture.get("memory_snapshot"), withoutExtras(event));
        assertFalse(event.get("automatic").booleanValue());
    }

    @Test
    void saveAndLoadCarryTheFilePathOfAFileLocation() {
        Path file = Path.of("/var/memsnap/snapshot_20250426_123456_abcd1234.json");
        JsonNode saved = TestClient.parse(encode(SnapshotEvent.saved(SEED_METADATA, file.toUri(), true)));
        assertEquals(List.of("action", "snapshot_id", "filepath", "metadata", "automatic", "occurred_at"),
                fieldNames(saved));
        assertEquals("save", saved.get("action").asText());
        assertEquals(file.toString(), saved.get("filepath").asText());
        assertTrue(saved.get("automatic").booleanValue());

        JsonNode loaded = TestClient.parse(encode(SnapshotEvent.loaded(SEED_METADATA, file.toUri())));
        assertEquals("load", loaded.get("action").asText());
        assertEquals(file.toString(), loaded.get("filepath").asText());
        assertEquals(metadataJson(SEED_METADATA), loaded.get("metadata"));
    }

    @Test
    void anotherStoresLocationIsShownAsItsUri() {
        URI location = URI.create("s3://bucket/snapshots/snapshot_20250426_123456_abcd1234.json");
        JsonNode saved = TestClient.parse(encode(SnapshotEvent.saved(SEED_METADATA, location, false)));
        assertEquals(location.toString(), saved.get("filepath").asText());
    }

    @Test
    void applyCarriesSuccessAndMetadataWhichIsNullWhenNothingWasApplied() {
        JsonNode applied = TestClient.parse(encode(
                SnapshotEvent.applied(SEED_METADATA.snapshotId(), SEED_METADATA)));
        assertEquals(List.of("action", "snapshot_id", "success", "metadata", "automatic", "occurred_at"),
                fieldNames(applied));
        assertTrue(applied.get("success").booleanValue());
        assertEquals(metadataJson(SEED_METADATA), applied.get("metadata"));

        JsonNode failed = TestClient.parse(encode(
                SnapshotEvent.applied("snapshot_20000101_000000_00000000", null)));
        assertFalse(failed.get("success").booleanValue());
        assertTrue(failed.get("metadata").isNull());
        assertEquals("snapshot_20000101_000000_00000000", failed.get("snapshot_id").asText());
    }

    @Test
    void listCarriesTheSnapshotsAsMetadataObjects() {
        SnapshotMetadata older = new SnapshotMetadata("snapshot_20250425_000000_00000001",
                LocalDateTime.parse("2025-04-25T00:00:00"), 0, 0, 0);
        JsonNode listed = TestClient.parse(encode(SnapshotEvent.listed(List.of(SEED_METADATA, older))));
        assertEquals(List.of("action", "snapshots", "automatic", "occurred_at"), fieldNames(listed));
        assertEquals(2, listed.get("snapshots").size());
        assertEquals(metadataJson(SEED_METADATA), listed.get("snapshots").get(0));
        assertEquals("2025-04-25T00:00:00.000000", listed.get("snapshots").get(1).get("timestamp").asText(),
                "timestamps always have six fraction digits, as the seed's Python wrote them");

        JsonNode empty = TestClient.parse(encode(SnapshotEvent.listed(List.of())));
        assertTrue(empty.get("snapshots").isArray());
        assertEquals(0, empty.get("snapshots").size());
    }

    @Test
    void occurredAtIsUtcWallClockTimeInTheSnapshotFormat() {
        SnapshotEvent event = new SnapshotEvent(SnapshotEvent.Action.CREATE, SEED_METADATA.snapshotId(),
                SEED_METADATA, null, null, false, null, Instant.parse("2025-04-26T12:34:56.789012345Z"));
        assertEquals("2025-04-26T12:34:56.789012", TestClient.parse(encode(event)).get("occurred_at")
                .asText());
    }

    @Test
    void textIsEscapedAsJson() {
        URI location = URI.create("file:///tmp/a%22b%5Cc/snapshot_20250426_123456_abcd1234.json");
        JsonNode saved = TestClient.parse(encode(SnapshotEvent.saved(SEED_METADATA, location, false)));
        assertEquals("/tmp/a\"b\\c/snapshot_20250426_123456_abcd1234.json", saved.get("filepath").asText());
    }

    private static String encode(SnapshotEvent event) {
        return FORMAT.eventJson(event);
    }

    /** The event as the seed's implementation would have sent it: memsnap's extra fields removed. */
    static JsonNode withoutExtras(JsonNode event) {
        ObjectNode copy = event.deepCopy();
        assertTrue(copy.remove("automatic").isBoolean(), "automatic is a boolean");
        assertTrue(copy.remove("occurred_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}"),
                "occurred_at is a timestamp in the snapshot format");
        return copy;
    }

    static ObjectNode metadataJson(SnapshotMetadata metadata) {
        ObjectNode node = TestClient.JSON.createObjectNode();
        node.put("snapshot_id", metadata.snapshotId());
        node.put("timestamp", dev.memsnap.core.format.Timestamps.format(metadata.timestamp()));
        node.put("short_term_turns", metadata.shortTermTurns());
        node.put("long_term_memories", metadata.longTermMemories());
        node.put("topics", metadata.topics());
        if (metadata.parentSnapshotId() != null) {
            node.put("parent_snapshot_id", metadata.parentSnapshotId()); // the snapshot it was taken after
        }
        return node;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
