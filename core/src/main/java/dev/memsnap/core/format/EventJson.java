package dev.memsnap.core.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.event.SnapshotEvent;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The seed's {@code memory_snapshot} event, as text: {@code {"memory_snapshot": {"action": ..., ...}}}. Each action
 * carries what the seed's own implementation sent, in its order, then two fields of memsnap's:
 * <ul>
 *   <li>create: {@code snapshot_id}, {@code metadata}</li>
 *   <li>save: {@code snapshot_id}, {@code filepath}, {@code metadata}</li>
 *   <li>load: {@code snapshot_id}, {@code filepath}, {@code metadata}</li>
 *   <li>apply: {@code snapshot_id}, {@code success}, {@code metadata} ({@code null} when nothing was applied)</li>
 *   <li>list: {@code snapshots}, an array of metadata objects</li>
 *   <li>every action: {@code automatic} (whether an automatic snapshot caused it) and {@code occurred_at}</li>
 * </ul>
 * Every action of a memory other than the default also carries {@code memory_id}.
 * A metadata object is {@code {"snapshot_id", "timestamp", "short_term_turns", "long_term_memories", "topics"}}, and
 * {@code memory_id} and {@code parent_snapshot_id} when they are not the default memory and none, with
 * timestamps in the snapshot format's own form ({@code 2025-04-26T12:34:56.789012}, UTC wall-clock time).
 */
public final class EventJson {
    /** Jackson's factory is thread-safe and meant to be shared. */
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private EventJson() {
    }

    /**
     * @param event an event
     * @return its JSON text, built once and sent as it is to every client
     */
    public static String encode(SnapshotEvent event) {
        StringWriter out = new StringWriter(256 + 160 * event.snapshots().size());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeObjectFieldStart("memory_snapshot");
            json.writeStringField("action", event.action().wireName());
            switch (event.action()) {
                case CREATE -> {
                    json.writeStringField("snapshot_id", event.snapshotId());
                    writeMetadata(json, "metadata", event.metadata());
                }
                case SAVE, LOAD -> {
                    json.writeStringField("snapshot_id", event.snapshotId());
                    json.writeStringField("filepath", filepath(event.location()));
                    writeMetadata(json, "metadata", event.metadata());
                }
                case APPLY -> {
                    json.writeStringField("snapshot_id", event.snapshotId());
                    json.writeBooleanField("success", Boolean.TRUE.equals(event.success()));
                    writeMetadata(json, "metadata", event.metadata());
                }
                case LIST -> {
                    json.writeArrayFieldStart("snapshots");
                    for (SnapshotMetadata metadata : event.snapshots()) {
                        writeMetadata(json, null, metadata);
                    }
                    json.writeEndArray();
                }
            }
            json.writeBooleanField("automatic", event.automatic());
            if (!event.memoryId().equals(dev.memsnap.api.MemoryManagers.DEFAULT)) {
                json.writeStringField("memory_id", event.memoryId());
            }
            json.writeStringField("occurred_at",
                    Timestamps.format(LocalDateTime.ofInstant(event.occurredAt(), ZoneOffset.UTC)));
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing JSON to a string", e);
        }
        return out.toString();
    }

    /**
     * The seed's Python sent the path it wrote or read; a file location is shown the same way, any other store's
     * location as its URI.
     */
    public static String filepath(URI location) {
        if (location == null) {
            return null;
        }
        if ("file".equalsIgnoreCase(location.getScheme())) {
            try {
                return Path.of(location).toString();
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                return location.toString();
            }
        }
        return location.toString();
    }

    /**
     * @param metadata a snapshot in brief
     * @return it as one JSON object in the seed's key names: the one shape memsnap writes metadata in
     */
    public static String metadata(SnapshotMetadata metadata) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writeMetadata(json, null, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing JSON to a string", e);
        }
        return out.toString();
    }

    /**
     * Writes a metadata object in the seed's key names into a document being written.
     *
     * @param json     the generator, positioned where a value may go
     * @param metadata a snapshot in brief, or {@code null}
     * @throws IOException when the generator fails
     */
    public static void writeMetadata(JsonGenerator json, SnapshotMetadata metadata) throws IOException {
        writeMetadata(json, null, metadata);
    }

    private static void writeMetadata(JsonGenerator json, String field, SnapshotMetadata metadata)
            throws IOException {
        if (field != null) {
            json.writeFieldName(field);
        }
        if (metadata == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeStringField("snapshot_id", metadata.snapshotId());
        json.writeStringField("timestamp", Timestamps.format(metadata.timestamp()));
        json.writeNumberField("short_term_turns", metadata.shortTermTurns());
        json.writeNumberField("long_term_memories", metadata.longTermMemories());
        json.writeNumberField("topics", metadata.topics());
        if (!metadata.memoryId().equals(dev.memsnap.api.MemoryManagers.DEFAULT)) {
            json.writeStringField("memory_id", metadata.memoryId());
        }
        if (metadata.parentSnapshotId() != null) {
            json.writeStringField("parent_snapshot_id", metadata.parentSnapshotId());
        }
        json.writeEndObject();
    }

    /**
     * Reads back a metadata object {@link #metadata} wrote.
     *
     * @param node the object
     * @return the metadata
     * @throws IllegalArgumentException when a field is missing or of the wrong kind
     */
    public static SnapshotMetadata readMetadata(com.fasterxml.jackson.databind.JsonNode node) {
        for (String field : new String[] {"snapshot_id", "timestamp", "short_term_turns", "long_term_memories",
                "topics"}) {
            if (!node.hasNonNull(field)) {
                throw new IllegalArgumentException("metadata without " + field);
            }
        }
        return new SnapshotMetadata(node.get("snapshot_id").asText(), Timestamps.parse(node.get("timestamp").asText()),
                node.get("short_term_turns").asInt(), node.get("long_term_memories").asInt(),
                node.get("topics").asInt(), node.path("memory_id").asText(dev.memsnap.api.MemoryManagers.DEFAULT),
                node.hasNonNull("parent_snapshot_id") ? node.get("parent_snapshot_id").asText() : null);
    }
}
