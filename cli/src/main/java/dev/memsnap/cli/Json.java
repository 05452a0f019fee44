package dev.memsnap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.format.EventJson;
import dev.memsnap.core.prune.PrunePlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** {@code --json} output: snake_case keys like the snapshot format, two-space indent like the snapshot files. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter WRITER;

    static {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        WRITER = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter));
    }

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** @return the JSON text, ending with a newline */
    static String write(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a metadata value as one line of JSON */
    static String compact(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return a snapshot's metadata in the one shape memsnap writes it everywhere (events, dashboard, audit log):
     *         {@code snapshot_id}, {@code timestamp}, {@code short_term_turns}, {@code long_term_memories},
     *         {@code topics}; a command adds its own keys after these
     */
    static ObjectNode metadata(SnapshotMetadata m) {
        try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
            EventJson.writeMetadata(buffer, m);
            return MAPPER.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stored snapshot as {@code list} shows it: its metadata, size, labels and pin. */
    static ObjectNode stored(StoredSnapshot s) {
        ObjectNode node = metadata(s.metadata());
        node.put("stored_bytes", s.storedBytes());
        strings(node.putArray("labels"), List.copyOf(s.tags().labels()));
        node.put("pinned", s.tags().pinned());
        return node;
    }

    /** A snapshot's tags, as {@code label}, {@code pin} and {@code unpin} answer. */
    static ObjectNode tags(String snapshotId, SnapshotTags tags) {
        ObjectNode node = object();
        node.put("snapshot_id", snapshotId);
        strings(node.putArray("labels"), List.copyOf(tags.labels()));
        node.put("pinned", tags.pinned());
        return node;
    }

    static ObjectNode verification(Verification v) {
        ObjectNode node = object();
        node.put("snapshot_id", v.snapshotId());
        node.put("intact", v.intact());
        node.put("detail", v.detail());
        return node;
    }

    /** What prune decided for a snapshot: its metadata, size, pin, and the reasons. */
    static ObjectNode decision(PrunePlan.Decision d) {
        ObjectNode node = metadata(d.snapshot().metadata());
        node.put("stored_bytes", d.snapshot().storedBytes());
        node.put("pinned", d.snapshot().tags().pinned());
        strings(node.putArray("reasons"), d.reasons());
        return node;
    }

    static ArrayNode strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
        return array;
    }
}
