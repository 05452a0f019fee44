package dev.memsnap.core.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.MemorySnapshot.LongTerm;
import dev.memsnap.api.MemorySnapshot.LongTermStats;
import dev.memsnap.api.MemorySnapshot.MemoryStats;
import dev.memsnap.api.MemorySnapshot.ShortTerm;
import dev.memsnap.api.MemorySnapshot.ShortTermStats;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.Turn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seed's snapshot JSON layout, read and written. Writing streams with Jackson in the seed's key order and
 * indentation; reading validates every field and names the source and the JSON path of any problem.
 *
 * <p>Reading is lenient only where the seed's format is: {@code turn_count}, {@code memory_count},
 * {@code long_term.topics} and {@code memory_stats} (or any part of it) may be absent and are then computed; unknown
 * keys are ignored, except inside a memory's {@code metadata}, which is kept whole. Where counts are present they must
 * match. Instances are immutable and thread-safe.
 */
public final class SnapshotJson {
    /** The largest snapshot document read, in bytes; larger input is refused rather than exhausting the heap. */
    public static final int MAX_DOCUMENT_BYTES = 1 << 30;

    private final JsonFactory factory;
    private final ObjectMapper mapper;
    private final DefaultPrettyPrinter printer;

    public SnapshotJson() {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(MAX_DOCUMENT_BYTES)
                        .maxNestingDepth(200)
                        .maxStringLength(Integer.MAX_VALUE / 2)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        // Python's json.dump(indent=2): two-space indent, every array element on its own line, "key": value.
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        this.printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }

    // ---------------------------------------------------------------------------------------------- writing

    /**
     * Writes a snapshot in the seed's layout, UTF-8. Does not close the stream.
     *
     * @param snapshot the snapshot
     * @param out      where to write
     * @throws IOException when the stream fails
     */
    public void write(MemorySnapshot snapshot, OutputStream out) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter(printer));
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("snapshot_id", snapshot.snapshotId());
            g.writeStringField("timestamp", Timestamps.format(snapshot.timestamp()));

            ShortTerm shortTerm = snapshot.shortTerm();
            g.writeObjectFieldStart("short_term");
            g.writeArrayFieldStart("turns");
            for (Turn turn : shortTerm.turns()) {
                g.writeStartObject();
                g.writeStringField("role", turn.role());
                g.writeStringField("content", turn.content());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("turn_count", shortTerm.turnCount());
            g.writeStringField("session_start", Timestamps.format(shortTerm.sessionStart()));
            g.writeEndObject();

            LongTerm longTerm = snapshot.longTerm();
            g.writeObjectFieldStart("long_term");
            g.writeObjectFieldStart("memories");
            for (Map.Entry<String, Memory> entry : longTerm.memories().entrySet()) {
                Memory memory = entry.getValue();
                g.writeObjectFieldStart(entry.getKey());
                g.writeStringField("content", memory.content());
                g.writeStringField("timestamp", Timestamps.format(memory.timestamp()));
                g.writeNumberField("importance", memory.importance());
                g.writeFieldName("metadata");
                writeValue(g, memory.metadata());
                g.writeEndObject();
            }
            g.writeEndObject();
            writeStrings(g, "topics", longTerm.topics());
            g.writeNumberField("memory_count", longTerm.memoryCount());
            g.writeEndObject();

            MemoryStats stats = snapshot.memoryStats();
            g.writeObjectFieldStart("memory_stats");
            g.writeObjectFieldStart("short_term");
            g.writeNumberField("turn_count", stats.shortTerm().turnCount());
            g.writeNumberField("session_duration", stats.shortTerm().sessionDuration());
            g.writeEndObject();
            LongTermStats lt = stats.longTerm();
            g.writeObjectFieldStart("long_term");
            g.writeNumberField("total_memories", lt.totalMemories());
            g.writeObjectFieldStart("source_types");
            for (Map.Entry<String, Integer> e : lt.sourceTypes().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("average_importance", lt.averageImportance());
            writeTimestampOrNull(g, "oldest_memory", lt.oldestMemory());
            writeTimestampOrNull(g, "newest_memory", lt.newestMemory());
            g.writeNumberField("topics", lt.topics());
            writeStrings(g, "user_summary_keys", lt.userSummaryKeys());
            g.writeEndObject();
            writeStrings(g, "recent_topics", stats.recentTopics());
            if (stats.lastToolUsed() == null) {
                g.writeNullField("last_tool_used");
            } else {
                g.writeStringField("last_tool_used", stats.lastToolUsed());
            }
            g.writeEndObject();

            g.writeEndObject();
        }
    }

    /**
     * @param snapshot the snapshot
     * @return its JSON text
     */
    public byte[] toBytes(MemorySnapshot snapshot) {
        var out = new java.io.ByteArrayOutputStream();
        try {
            write(snapshot, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeStrings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }

    private static void writeTimestampOrNull(JsonGenerator g, String field, LocalDateTime value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, Timestamps.format(value));
        }
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName((String) e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object element : list) {
                writeValue(g, element);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    // ---------------------------------------------------------------------------------------------- reading

    /**
     * Reads and validates a whole snapshot.
     *
     * @param in     the JSON text, UTF-8; not closed
     * @param source what to call the input in messages (a file path, a location)
     * @return the snapshot
     * @throws SnapshotFormatException when the input is not a valid snapshot
     * @throws IOException             when the stream fails
     */
    public MemorySnapshot read(InputStream in, String source) throws IOException {
        return read(Limits.readAll(in, MAX_DOCUMENT_BYTES, source), source);
    }

    /**
     * Reads and validates a whole snapshot.
     *
     * @param json   the JSON text, UTF-8
     * @param source what to call it in messages
     * @return the snapshot
     * @throws SnapshotFormatException when the input is not a valid snapshot
     */
    public MemorySnapshot read(byte[] json, String source) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SnapshotFormatException(source, "not valid JSON: " + e.getOriginalMessage()
                    + location(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || root.isMissingNode()) {
            throw new SnapshotFormatException(source, "empty input, expected a snapshot object");
        }
        return new Reader(source).snapshot(root);
    }

    /**
     * Reads only what a listing needs, streaming past turns and memories without building them. Checks that the
     * input is well-formed JSON to its end, but not every field of every turn and memory: {@link #read} does that.
     *
     * @param in     the JSON text, UTF-8; not closed
     * @param source what to call the input in messages
     * @return the snapshot in brief
     * @throws SnapshotFormatException when the input is malformed or lacks the fields a listing needs
     * @throws IOException             when the stream fails
     */
    public SnapshotMetadata readMetadata(InputStream in, String source) throws IOException {
        try (JsonParser p = factory.createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            expect(p, p.nextToken(), JsonToken.START_OBJECT, source, "$");
            String id = null;
            LocalDateTime timestamp = null;
            int turns = -1;
            int memories = -1;
            Set<String> topics = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "snapshot_id" -> id = p.getValueAsString();
                    case "timestamp" -> timestamp = parseTimestamp(p.getValueAsString(), source, "timestamp");
                    case "short_term" -> {
                        expect(p, value, JsonToken.START_OBJECT, source, "short_term");
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = p.nextToken();
                            if (f.equals("turns")) {
                                expect(p, v, JsonToken.START_ARRAY, source, "short_term.turns");
                                turns = countElements(p);
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    case "long_term" -> {
                        expect(p, value, JsonToken.START_OBJECT, source, "long_term");
                        Set<String> memoryTopics = new LinkedHashSet<>();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = p.nextToken();
                            if (f.equals("memories")) {
                                expect(p, v, JsonToken.START_OBJECT, source, "long_term.memories");
                                memories = readMemoryTopics(p, memoryTopics);
                            } else if (f.equals("topics") && v == JsonToken.START_ARRAY) {
                                topics = new LinkedHashSet<>();
                                while (p.nextToken() != JsonToken.END_ARRAY) {
                                    topics.add(p.getValueAsString());
                                    p.skipChildren();
                                }
                            } else {
                                p.skipChildren();
                            }
                        }
                        if (topics == null) {
                            topics = memoryTopics;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new SnapshotFormatException(source, "unexpected content after the snapshot object");
            }
            if (!SnapshotIds.isValid(id)) {
                throw new SnapshotFormatException(source, "snapshot_id is missing or not a snapshot id: " + id);
            }
            if (timestamp == null || turns < 0 || memories < 0) {
                throw new SnapshotFormatException(source,
                        "missing timestamp, short_term.turns or long_term.memories");
            }
            return new SnapshotMetadata(id, timestamp, turns, memories, topics.size());
        } catch (JsonProcessingException e) {
            throw new SnapshotFormatException(source, "not valid JSON: " + e.getOriginalMessage() + location(e), e);
        }
    }

    private static int countElements(JsonParser p) throws IOException {
        int count = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
            count++;
        }
        return count;
    }

    /** Streams through {@code memories}, collecting topics; returns the number of memories. */
    private static int readMemoryTopics(JsonParser p, Set<String> topics) throws IOException {
        int count = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            count++;
            if (p.nextToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("metadata") && v == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        JsonToken t = p.nextToken();
                        if (key.equals(Memory.TOPICS) && t == JsonToken.START_ARRAY) {
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                topics.add(p.getValueAsString());
                                p.skipChildren();
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return count;
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String source, String path) {
        if (actual != expected) {
            throw new SnapshotFormatException(source, path + ": expected " + describe(expected) + ", found "
                    + (actual == null ? "end of input" : describe(actual)) + location(p));
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String location(JsonParser p) {
        var loc = p.currentLocation();
        return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private static LocalDateTime parseTimestamp(String text, String source, String path) {
        if (text == null) {
            throw new SnapshotFormatException(source, path + ": expected a timestamp string");
        }
        try {
            return Timestamps.parse(text);
        } catch (DateTimeParseException e) {
            throw new SnapshotFormatException(source, path + ": not an ISO-8601 timestamp: \"" + text + "\"");
        }
    }

    /** Validating tree reader; every failure names the JSON path. */
    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        MemorySnapshot snapshot(JsonNode root) {
            object(root, "$");
            String id = string(root, "snapshot_id");
            if (!SnapshotIds.isValid(id)) {
                throw fail("snapshot_id", "not a snapshot id: \"" + id
                        + "\" (expected snapshot_<yyyyMMdd>_<HHmmss>_<8 lowercase hex>)");
            }
            LocalDateTime timestamp = timestamp(root, "timestamp");

            JsonNode st = object(required(root, "short_term", "short_term"), "short_term");
            JsonNode turnsNode = array(required(st, "turns", "short_term.turns"), "short_term.turns");
            List<Turn> turns = new ArrayList<>(turnsNode.size());
            for (int i = 0; i < turnsNode.size(); i++) {
                String path = "short_term.turns[" + i + "]";
                JsonNode turn = object(turnsNode.get(i), path);
                turns.add(new Turn(string(turn, "role", path + ".role"), string(turn, "content", path + ".content")));
            }
            checkCount(st, "turn_count", "short_term.turn_count", turns.size(), "short_term.turns");
            LocalDateTime sessionStart = st.has("session_start")
                    ? timestamp(st, "session_start", "short_term.session_start")
                    : timestamp;

            JsonNode lt = object(required(root, "long_term", "long_term"), "long_term");
            JsonNode memoriesNode = object(required(lt, "memories", "long_term.memories"), "long_term.memories");
            Map<String, Memory> memories = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = memoriesNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                memories.put(e.getKey(), memory(e.getValue(), "long_term.memories." + e.getKey()));
            }
            checkCount(lt, "memory_count", "long_term.memory_count", memories.size(), "long_term.memories");
            List<String> topics = lt.has("topics")
                    ? strings(lt.get("topics"), "long_term.topics")
                    : Snapshots.topicsOf(memories.values());

            ShortTerm shortTerm = new ShortTerm(turns, turns.size(), sessionStart);
            LongTerm longTerm = new LongTerm(memories, topics, memories.size());
            MemoryStats computed = Snapshots.statsOf(timestamp, shortTerm, longTerm, null);
            MemoryStats stats = root.has("memory_stats")
                    ? stats(object(root.get("memory_stats"), "memory_stats"), computed)
                    : computed;
            return new MemorySnapshot(id, timestamp, shortTerm, longTerm, stats);
        }

        private Memory memory(JsonNode node, String path) {
            object(node, path);
            String content = string(node, "content", path + ".content");
            LocalDateTime timestamp = timestamp(node, "timestamp", path + ".timestamp");
            double importance = number(required(node, "importance", path + ".importance"), path + ".importance");
            Map<String, Object> metadata = new LinkedHashMap<>();
            if (node.has("metadata") && !node.get("metadata").isNull()) {
                JsonNode meta = object(node.get("metadata"), path + ".metadata");
                for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    metadata.put(e.getKey(), value(e.getValue()));
                }
            }
            try {
                return new Memory(content, timestamp, importance, metadata);
            } catch (IllegalArgumentException e) {
                throw fail(path, e.getMessage());
            }
        }

        private MemoryStats stats(JsonNode node, MemoryStats computed) {
            ShortTermStats st = computed.shortTerm();
            if (node.has("short_term")) {
                JsonNode s = object(node.get("short_term"), "memory_stats.short_term");
                st = new ShortTermStats(
                        s.has("turn_count") ? integer(s.get("turn_count"), "memory_stats.short_term.turn_count")
                                : st.turnCount(),
                        s.has("session_duration") ? number(s.get("session_duration"),
                                "memory_stats.short_term.session_duration") : st.sessionDuration());
            }
            LongTermStats lt = computed.longTerm();
            if (node.has("long_term")) {
                String p = "memory_stats.long_term";
                JsonNode l = object(node.get("long_term"), p);
                Map<String, Integer> sourceTypes = lt.sourceTypes();
                if (l.has("source_types")) {
                    sourceTypes = new LinkedHashMap<>();
                    JsonNode types = object(l.get("source_types"), p + ".source_types");
                    for (Iterator<Map.Entry<String, JsonNode>> it = types.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        sourceTypes.put(e.getKey(), integer(e.getValue(), p + ".source_types." + e.getKey()));
                    }
                }
                lt = new LongTermStats(
                        l.has("total_memories") ? integer(l.get("total_memories"), p + ".total_memories")
                                : lt.totalMemories(),
                        sourceTypes,
                        l.has("average_importance") ? number(l.get("average_importance"),
                                p + ".average_importance") : lt.averageImportance(),
                        l.has("oldest_memory") ? nullableTimestamp(l, "oldest_memory", p + ".oldest_memory")
                                : lt.oldestMemory(),
                        l.has("newest_memory") ? nullableTimestamp(l, "newest_memory", p + ".newest_memory")
                                : lt.newestMemory(),
                        l.has("topics") ? integer(l.get("topics"), p + ".topics") : lt.topics(),
                        l.has("user_summary_keys") ? strings(l.get("user_summary_keys"), p + ".user_summary_keys")
                                : lt.userSummaryKeys());
            }
            List<String> recentTopics = node.has("recent_topics")
                    ? strings(node.get("recent_topics"), "memory_stats.recent_topics")
                    : computed.recentTopics();
            String lastTool = null;
            if (node.has("last_tool_used") && !node.get("last_tool_used").isNull()) {
                lastTool = string(node, "last_tool_used", "memory_stats.last_tool_used");
            }
            return new MemoryStats(st, lt, recentTopics, lastTool);
        }

        private void checkCount(JsonNode parent, String field, String path, int actual, String of) {
            if (parent.has(field)) {
                int declared = integer(parent.get(field), path);
                if (declared != actual) {
                    throw fail(path, "is " + declared + " but " + of + " has " + actual
                            + " entries (truncated or edited file?)");
                }
            }
        }

        private Object value(JsonNode node) {
            return switch (node.getNodeType()) {
                case NULL -> null;
                case BOOLEAN -> node.booleanValue();
                case STRING -> node.textValue();
                case NUMBER -> node.isIntegralNumber()
                        ? (node.canConvertToInt() ? (Object) node.intValue()
                        : node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue())
                        : (Object) node.doubleValue();
                case ARRAY -> {
                    List<Object> list = new ArrayList<>(node.size());
                    node.forEach(element -> list.add(value(element)));
                    yield list;
                }
                case OBJECT -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    node.fields().forEachRemaining(e -> map.put(e.getKey(), value(e.getValue())));
                    yield map;
                }
                default -> throw fail("metadata", "unsupported JSON value " + node.getNodeType());
            };
        }

        private JsonNode required(JsonNode parent, String field, String path) {
            JsonNode node = parent.get(field);
            if (node == null) {
                throw fail(path, "missing");
            }
            return node;
        }

        private JsonNode object(JsonNode node, String path) {
            if (!node.isObject()) {
                throw fail(path, "expected an object, found " + kind(node));
            }
            return node;
        }

        private JsonNode array(JsonNode node, String path) {
            if (!node.isArray()) {
                throw fail(path, "expected an array, found " + kind(node));
            }
            return node;
        }

        private String string(JsonNode parent, String field) {
            return string(parent, field, field);
        }

        private String string(JsonNode parent, String field, String path) {
            JsonNode node = required(parent, field, path);
            if (!node.isTextual()) {
                throw fail(path, "expected a string, found " + kind(node));
            }
            return node.textValue();
        }

        private List<String> strings(JsonNode node, String path) {
            array(node, path);
            List<String> values = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                if (!node.get(i).isTextual()) {
                    throw fail(path + "[" + i + "]", "expected a string, found " + kind(node.get(i)));
                }
                values.add(node.get(i).textValue());
            }
            return values;
        }

        private double number(JsonNode node, String path) {
            if (!node.isNumber()) {
                throw fail(path, "expected a number, found " + kind(node));
            }
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                throw fail(path, "number out of range: " + node.asText());
            }
            return value;
        }

        private int integer(JsonNode node, String path) {
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
                throw fail(path, "expected a whole number from 0 to " + Integer.MAX_VALUE + ", found "
                        + (node.isNumber() ? node.asText() : kind(node)));
            }
            return node.intValue();
        }

        private LocalDateTime timestamp(JsonNode parent, String field) {
            return timestamp(parent, field, field);
        }

        private LocalDateTime timestamp(JsonNode parent, String field, String path) {
            return parseTimestamp(string(parent, field, path), source, path);
        }

        private LocalDateTime nullableTimestamp(JsonNode parent, String field, String path) {
            return parent.get(field).isNull() ? null : timestamp(parent, field, path);
        }

        private static String kind(JsonNode node) {
            return switch (node.getNodeType()) {
                case OBJECT -> "an object";
                case ARRAY -> "an array";
                case STRING -> "a string";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "null";
                default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            };
        }

        private SnapshotFormatException fail(String path, String problem) {
            return new SnapshotFormatException(source, path + ": " + problem);
        }
    }
}
