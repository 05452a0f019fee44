package dev.memsnap.core.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.memsnap.api.FrozenJson;
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
import dev.memsnap.core.collect.PersistentVector;

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
public final class SnapshotJson implements dev.memsnap.api.format.SnapshotFormat {
    /** The largest snapshot document read, in bytes; larger input is refused rather than exhausting the heap. */
    public static final int MAX_DOCUMENT_BYTES = 1 << 30;
    /** The {@code format} field that marks an incremental store's manifest. */
    public static final String MANIFEST_FORMAT = "memsnap-manifest-1";

    /** Gives the bytes of a chunk a manifest names, checked against its name. */
    @FunctionalInterface
    public interface ChunkSource {
        /**
         * @param chunkId the chunk's id
         * @return its JSON bytes
         */
        byte[] chunk(String chunkId);
    }

    private final JsonFactory factory;
    private final ObjectMapper mapper;

    public SnapshotJson() {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(MAX_DOCUMENT_BYTES)
                        .maxNestingDepth(200)
                        .maxStringLength(Integer.MAX_VALUE / 2)
                        // what is written must read back: names (memory ids, source types) as long as strings,
                        // and numbers up to the digits Memory keeps
                        .maxNameLength(Integer.MAX_VALUE / 2)
                        .maxNumberLength(dev.memsnap.api.Memory.MAX_NUMBER_DIGITS + 2)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // memory ids are field names: interning 100k of them was a tenth of a load. Canonicalising stays on:
                // without it Jackson reads bytes through a Reader-based parser, slower and blind to some invalid UTF-8
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                // correctly rounded, as the JDK's parser: the same doubles, so the same bytes written back
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
        // reads the small memory_stats subtree; the stream reader handles the rest
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
    }

    @Override
    public String formatTimestamp(java.time.LocalDateTime timestamp) {
        return Timestamps.format(timestamp);
    }

    @Override
    public String metadataJson(SnapshotMetadata metadata) {
        return EventJson.metadata(metadata);
    }

    @Override
    public String eventJson(dev.memsnap.api.event.SnapshotEvent event) {
        return EventJson.encode(event);
    }

    @Override
    public String diffJson(MemorySnapshot before, MemorySnapshot after) {
        return dev.memsnap.core.compare.DiffFormat.toJson(
                dev.memsnap.core.compare.SnapshotComparator.compare(before, after)).toString();
    }

    @Override
    public String diffWithLiveJson(MemorySnapshot before, dev.memsnap.api.EnhancedMemoryManager live) {
        return dev.memsnap.core.compare.DiffFormat.toJson(
                dev.memsnap.core.tools.SnapshotTools.compareWithLive(before, live)).toString();
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
        writeDocument(snapshot, null, out);
    }

    /**
     * Writes the manifest of an incremental store: the seed's layout, but with {@code long_term.chunks}, the ids of
     * the chunks that hold the memories in order (see {@link #writeChunk}), in place of {@code long_term.memories}.
     *
     * @param snapshot the snapshot
     * @param chunkIds the chunks its memories are in, in order
     * @param out      where to write; not closed
     * @throws IOException when the stream fails
     */
    public void writeManifest(MemorySnapshot snapshot, List<String> chunkIds, OutputStream out) throws IOException {
        writeDocument(snapshot, chunkIds, out);
    }

    /**
     * Writes some memories as one compact JSON object, memory id to memory, in the seed's memory layout: a chunk of
     * an incremental store, which is named by the SHA-256 of these bytes.
     *
     * @param memories the memories, in order
     * @param out      where to write; not closed
     * @throws IOException when the stream fails
     */
    public void writeChunk(List<Map.Entry<String, Memory>> memories, OutputStream out) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            char[] timestamp = new char[Timestamps.LENGTH];
            for (Map.Entry<String, Memory> entry : memories) {
                writeMemory(g, entry.getKey(), entry.getValue(), timestamp);
            }
            g.writeEndObject();
        }
    }

    /** A memory's field names, encoded once rather than for every memory. */
    private static final SerializedString CONTENT = new SerializedString("content");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString IMPORTANCE = new SerializedString("importance");
    private static final SerializedString METADATA = new SerializedString("metadata");

    /**
     * @param timestamp room for a timestamp's characters, reused from memory to memory: the timestamp is copied
     *                  into the output from there, without a {@code String}
     */
    private static void writeMemory(JsonGenerator g, String id, Memory memory, char[] timestamp) throws IOException {
        g.writeObjectFieldStart(id);
        g.writeFieldName(CONTENT);
        g.writeString(memory.content());
        g.writeFieldName(TIMESTAMP);
        if (Timestamps.formatInto(memory.timestamp(), timestamp)) {
            g.writeString(timestamp, 0, Timestamps.LENGTH);
        } else {
            g.writeString(Timestamps.format(memory.timestamp()));
        }
        g.writeFieldName(IMPORTANCE);
        g.writeNumber(memory.importance());
        g.writeFieldName(METADATA);
        writeValue(g, memory.metadata());
        g.writeEndObject();
    }

    private void writeDocument(MemorySnapshot snapshot, List<String> chunkIds, OutputStream out) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.setPrettyPrinter(new PythonIndent()); // Python's json.dump(indent=2), as the seed's files are
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            if (chunkIds != null) {
                g.writeStringField("format", MANIFEST_FORMAT);
            }
            g.writeStringField("snapshot_id", snapshot.snapshotId());
            g.writeStringField("timestamp", Timestamps.format(snapshot.timestamp()));
            // memsnap's two optional keys, only when they say something: a default-memory snapshot without a parent
            // is exactly the seed's layout
            if (!snapshot.memoryId().equals(dev.memsnap.api.MemoryManagers.DEFAULT)) {
                g.writeStringField("memory_id", snapshot.memoryId());
            }
            if (snapshot.parentSnapshotId() != null) {
                g.writeStringField("parent_snapshot_id", snapshot.parentSnapshotId());
            }

            ShortTerm shortTerm = snapshot.shortTerm();
            g.writeObjectFieldStart("short_term");
            g.writeArrayFieldStart("turns");
            for (Turn turn : shortTerm.turns()) {
                g.writeStartObject();
                g.writeStringField("role", turn.role());
                g.writeStringField("content", turn.content());
                if (!turn.metadata().isEmpty()) {
                    g.writeFieldName("metadata"); // memsnap's optional key: the seed's turns have none
                    writeValue(g, turn.metadata());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("turn_count", shortTerm.turnCount());
            g.writeStringField("session_start", Timestamps.format(shortTerm.sessionStart()));
            g.writeEndObject();

            LongTerm longTerm = snapshot.longTerm();
            g.writeObjectFieldStart("long_term");
            if (chunkIds != null) {
                writeStrings(g, "chunks", chunkIds);
            } else {
                g.writeObjectFieldStart("memories");
                char[] timestamp = new char[Timestamps.LENGTH];
                for (Map.Entry<String, Memory> entry : longTerm.memories().entrySet()) {
                    writeMemory(g, entry.getKey(), entry.getValue(), timestamp);
                }
                g.writeEndObject();
            }
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
        // streamed into the parser, never held whole: a load needs the state's heap, not the document's as well
        try (JsonParser p = factory.createParser(Limits.bounded(in, MAX_DOCUMENT_BYTES, source))) {
            return new StreamReader(source, p, null).snapshot();
        } catch (JsonProcessingException e) {
            throw new SnapshotFormatException(source, "not valid JSON: " + e.getOriginalMessage() + location(e), e);
        } catch (java.io.CharConversionException e) {
            // the text is not UTF-8 (it looks like UTF-16 or UTF-32): a format problem, not a failing disk
            throw new SnapshotFormatException(source, "not valid JSON: " + e.getMessage(), e);
        }
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
        return readManifest(json, source, null);
    }

    /**
     * Reads a snapshot or an incremental store's manifest, fetching the chunks it names.
     *
     * @param json   the JSON text, UTF-8
     * @param source what to call it in messages
     * @param chunks where the chunks are; {@code null} where there are none (a manifest then fails)
     * @return the snapshot
     * @throws SnapshotFormatException when the input is not a valid snapshot
     */
    public MemorySnapshot readManifest(byte[] json, String source, ChunkSource chunks) {
        try (JsonParser p = factory.createParser(json)) {
            return new StreamReader(source, p, chunks).snapshot();
        } catch (JsonProcessingException e) {
            throw new SnapshotFormatException(source, "not valid JSON: " + e.getOriginalMessage()
                    + location(e), e);
        } catch (IOException e) {
            // reading bytes in memory fails only on what they are: text in another encoding, say
            throw new SnapshotFormatException(source, "not valid JSON: " + e.getMessage(), e);
        }
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
            int declaredMemories = -1;
            Set<String> topics = null;
            String memoryId = null;
            String parent = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "snapshot_id" -> id = p.getValueAsString();
                    case "timestamp" -> timestamp = parseTimestamp(p.getValueAsString(), source, "timestamp");
                    case "memory_id" -> memoryId = memoryIdOf(value == JsonToken.VALUE_STRING ? p.getText() : null,
                            source);
                    case "parent_snapshot_id" -> parent = parentOf(value, value == JsonToken.VALUE_STRING
                            ? p.getText() : null, source);
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
                            } else if (f.equals("memory_count") && v == JsonToken.VALUE_NUMBER_INT) {
                                declaredMemories = p.getIntValue(); // all a manifest has: its memories are in chunks
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
            if (memories < 0) {
                memories = declaredMemories;
            }
            if (!SnapshotIds.isValid(id)) {
                throw new SnapshotFormatException(source, "snapshot_id is missing or not a snapshot id: " + id);
            }
            if (timestamp == null || turns < 0 || memories < 0) {
                throw new SnapshotFormatException(source,
                        "missing timestamp, short_term.turns or long_term.memories");
            }
            return new SnapshotMetadata(id, timestamp, turns, memories, topics.size(), memoryId, parent);
        } catch (JsonProcessingException e) {
            throw new SnapshotFormatException(source, "not valid JSON: " + e.getOriginalMessage() + location(e), e);
        } catch (java.io.CharConversionException e) {
            // the text is not UTF-8 (it looks like UTF-16 or UTF-32): a format problem, not a failing disk
            throw new SnapshotFormatException(source, "not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String memoryIdOf(String text, String source) {
        if (!dev.memsnap.api.MemoryManagers.isValidMemoryId(text)) {
            throw new SnapshotFormatException(source, "memory_id: not a memory id (expected a string of 1 to 200"
                    + " characters without control characters)");
        }
        return text;
    }

    private static String parentOf(JsonToken token, String text, String source) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!SnapshotIds.isValid(text)) {
            throw new SnapshotFormatException(source, "parent_snapshot_id: not a snapshot id");
        }
        return text;
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

    /**
     * Reads a snapshot in one pass over the tokens, building records directly (no tree of the whole document) and
     * long-term memory as a {@link LongTermState}, so that a loaded snapshot is applied without copying. Fields may
     * come in any order; every failure names the JSON path.
     */
    private final class StreamReader {
        /** The fields of a memory, in the order the seed writes them. */
        private static final SerializedString[] MEMORY_FIELDS = {new SerializedString("content"),
                new SerializedString("timestamp"), new SerializedString("importance"),
                new SerializedString("metadata")};
        /** The keys every memory's metadata starts with, in the order memsnap and the seed write them. */
        private static final SerializedString[] METADATA_KEYS = {new SerializedString(Memory.SOURCE_TYPE),
                new SerializedString(Memory.TOPICS)};
        /** Up to this many keys, an object's keys are checked for a duplicate by comparing them all. */
        private static final int SCANNED_KEYS = 8;

        private final String source;
        private final JsonParser p;
        private final Reader tree;
        private final ChunkSource chunks;
        /** The values of the objects and arrays being read, innermost last, until each is made exactly sized. */
        private Object[] stack = new Object[32];
        private int top;

        StreamReader(String source, JsonParser p, ChunkSource chunks) {
            this.source = source;
            // Jackson's check keeps a set of names per object, 100k memory ids included; this reader checks the
            // fields it knows by bit and memory ids against the index the state is built with anyway
            p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            this.p = p;
            this.tree = new Reader(source);
            this.chunks = chunks;
        }

        MemorySnapshot snapshot() throws IOException {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new SnapshotFormatException(source, "empty input, expected a snapshot object");
            }
            expectStart(first, JsonToken.START_OBJECT, "$");
            String id = null;
            LocalDateTime timestamp = null;
            ShortTermParts shortTerm = null;
            LongTermParts longTerm = null;
            JsonNode statsNode = null;
            String memoryId = null;
            String parent = null;
            int seen = 0;
            Set<String> others = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "memory_id" -> {
                        seen = once(seen, 1, null, field);
                        memoryId = memoryIdOf(text(value, "memory_id"), source);
                    }
                    case "parent_snapshot_id" -> {
                        seen = once(seen, 2, null, field);
                        parent = parentOf(value,
                                value == JsonToken.VALUE_NULL ? null : text(value, "parent_snapshot_id"), source);
                    }
                    case "snapshot_id" -> {
                        seen = once(seen, 4, null, field);
                        id = text(value, "snapshot_id");
                        if (!SnapshotIds.isValid(id)) {
                            throw fail("snapshot_id", "not a snapshot id: \"" + id
                                    + "\" (expected snapshot_<yyyyMMdd>_<HHmmss>_<8 lowercase hex>)");
                        }
                    }
                    case "timestamp" -> {
                        seen = once(seen, 8, null, field);
                        timestamp = parseTimestamp(text(value, "timestamp"), source, "timestamp");
                    }
                    case "format" -> {
                        seen = once(seen, 16, null, field);
                        String format = text(value, "format");
                        if (!format.equals(MANIFEST_FORMAT)) {
                            throw fail("format", "\"" + format + "\" is not a format this memsnap reads (it reads "
                                    + MANIFEST_FORMAT + ")");
                        }
                    }
                    case "short_term" -> {
                        seen = once(seen, 32, null, field);
                        shortTerm = shortTerm(value);
                    }
                    case "long_term" -> {
                        seen = once(seen, 64, null, field);
                        longTerm = longTerm(value);
                    }
                    case "memory_stats" -> {
                        seen = once(seen, 128, null, field);
                        expectStart(value, JsonToken.START_OBJECT, "memory_stats");
                        statsNode = mapper.readTree(p);
                    }
                    default -> others = skipOther(others, null, field);
                }
            }
            if (p.nextToken() != null) {
                throw new SnapshotFormatException(source, "not valid JSON: unexpected content after the snapshot"
                        + location(p));
            }
            if (id == null) {
                throw fail("snapshot_id", "missing");
            }
            if (timestamp == null) {
                throw fail("timestamp", "missing");
            }
            if (shortTerm == null) {
                throw fail("short_term", "missing");
            }
            if (longTerm == null) {
                throw fail("long_term", "missing");
            }
            ShortTerm st = new ShortTerm(shortTerm.turns, shortTerm.turns.size(),
                    shortTerm.sessionStart != null ? shortTerm.sessionStart : timestamp);
            LongTermState memories = longTerm.memories;
            LongTerm lt = new LongTerm(memories, longTerm.topics != null ? longTerm.topics : memories.topics(),
                    memories.size());
            MemoryStats computed = Snapshots.statsOf(timestamp, st, lt, null);
            MemoryStats stats = statsNode != null ? tree.stats(statsNode, computed) : computed;
            return new MemorySnapshot(id, timestamp, st, lt, stats, memoryId, parent);
        }

        private record ShortTermParts(List<Turn> turns, LocalDateTime sessionStart) {
        }

        private record LongTermParts(LongTermState memories, List<String> topics) {
        }

        private ShortTermParts shortTerm(JsonToken start) throws IOException {
            expectStart(start, JsonToken.START_OBJECT, "short_term");
            PersistentVector<Turn> turns = null;
            Integer declared = null;
            LocalDateTime sessionStart = null;
            int seen = 0;
            Set<String> others = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "turns" -> {
                        seen = once(seen, 1, "short_term", field);
                        expectStart(value, JsonToken.START_ARRAY, "short_term.turns");
                        List<Turn> read = new ArrayList<>();
                        JsonToken t;
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            read.add(turn(t, "short_term.turns[" + read.size() + "]"));
                        }
                        turns = PersistentVector.of(read);
                    }
                    case "turn_count" -> {
                        seen = once(seen, 2, "short_term", field);
                        declared = count(value, "short_term.turn_count");
                    }
                    case "session_start" -> {
                        seen = once(seen, 4, "short_term", field);
                        sessionStart = parseTimestamp(text(value, "short_term.session_start"), source,
                                "short_term.session_start");
                    }
                    default -> others = skipOther(others, "short_term", field);
                }
            }
            if (turns == null) {
                throw fail("short_term.turns", "missing");
            }
            checkCount(declared, turns.size(), "short_term.turn_count", "short_term.turns");
            return new ShortTermParts(turns, sessionStart);
        }

        private Turn turn(JsonToken start, String path) throws IOException {
            expectStart(start, JsonToken.START_OBJECT, path);
            String role = null;
            String content = null;
            Map<String, Object> metadata = Map.of();
            int seen = 0;
            Set<String> others = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "role" -> {
                        seen = once(seen, 1, path, field);
                        role = text(value, path + ".role");
                    }
                    case "content" -> {
                        seen = once(seen, 2, path, field);
                        content = text(value, path + ".content");
                    }
                    case "metadata" -> {
                        seen = once(seen, 4, path, field);
                        expectStart(value, JsonToken.START_OBJECT, path + ".metadata");
                        @SuppressWarnings("unchecked")
                        Map<String, Object> read = (Map<String, Object>) value(value, null);
                        metadata = read;
                    }
                    default -> others = skipOther(others, path, field);
                }
            }
            if (role == null) {
                throw fail(path + ".role", "missing");
            }
            if (content == null) {
                throw fail(path + ".content", "missing");
            }
            return new Turn(role, content, metadata);
        }

        private LongTermParts longTerm(JsonToken start) throws IOException {
            expectStart(start, JsonToken.START_OBJECT, "long_term");
            LongTermState memories = null;
            List<String> topics = null;
            Integer declared = null;
            int seen = 0;
            Set<String> others = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "memories" -> {
                        seen = once(seen, 1, "long_term", field);
                        expectStart(value, JsonToken.START_OBJECT, "long_term.memories");
                        LongTermState.Builder builder = LongTermState.builder();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String memoryId = p.currentName();
                            addMemory(builder, memoryId, memory(p.nextToken(), memoryId));
                        }
                        memories = builder.build();
                    }
                    case "chunks" -> {
                        seen = once(seen, 8, "long_term", field);
                        expectStart(value, JsonToken.START_ARRAY, "long_term.chunks");
                        if (chunks == null) {
                            throw fail("long_term.chunks", "a manifest of an incremental store, not a snapshot file");
                        }
                        LongTermState.Builder builder = LongTermState.builder();
                        JsonToken t;
                        int i = 0;
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            readChunk(text(t, "long_term.chunks[" + i++ + "]"), builder);
                        }
                        memories = builder.build();
                    }
                    case "topics" -> {
                        seen = once(seen, 2, "long_term", field);
                        expectStart(value, JsonToken.START_ARRAY, "long_term.topics");
                        topics = new ArrayList<>();
                        JsonToken t;
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            topics.add(text(t, "long_term.topics[" + topics.size() + "]"));
                        }
                    }
                    case "memory_count" -> {
                        seen = once(seen, 4, "long_term", field);
                        declared = count(value, "long_term.memory_count");
                    }
                    default -> others = skipOther(others, "long_term", field);
                }
            }
            if (memories == null) {
                throw fail("long_term.memories", "missing");
            }
            checkCount(declared, memories.size(), "long_term.memory_count", "long_term.memories");
            return new LongTermParts(memories, topics);
        }

        private void readChunk(String chunkId, LongTermState.Builder builder) throws IOException {
            String chunkSource = source + " chunk " + chunkId;
            try (JsonParser chunk = factory.createParser(chunks.chunk(chunkId))) {
                StreamReader reader = new StreamReader(chunkSource, chunk, null);
                reader.expectStart(chunk.nextToken(), JsonToken.START_OBJECT, "$");
                while (chunk.nextToken() == JsonToken.FIELD_NAME) {
                    String memoryId = chunk.currentName();
                    reader.addMemory(builder, memoryId,
                            reader.memory(chunk.nextToken(), memoryId));
                }
                if (chunk.nextToken() != null) {
                    throw new SnapshotFormatException(chunkSource, "unexpected content after the chunk");
                }
            }
        }

        /**
         * Reads the memory {@code long_term.memories.<memoryId>}. Its JSON path is built only for an error: building
         * it for every field of 100k memories was garbage the load paid for.
         */
        private Memory memory(JsonToken start, String memoryId) throws IOException {
            if (start != JsonToken.START_OBJECT) {
                expectStart(start, JsonToken.START_OBJECT, memoryPath(memoryId, ""));
            }
            String content = null;
            LocalDateTime timestamp = null;
            double importance = 0;
            Map<String, Object> metadata = Map.of();
            int seen = 0;
            Set<String> others = null;
            String field;
            for (int at = 0; (field = nextName(MEMORY_FIELDS, at)) != null; at++) {
                JsonToken value = p.nextToken();
                switch (field) {
                    case "content" -> {
                        seen = onceInMemory(seen, 1, memoryId, field);
                        content = value == JsonToken.VALUE_STRING ? p.getText()
                                : text(value, memoryPath(memoryId, ".content"));
                    }
                    case "timestamp" -> {
                        seen = onceInMemory(seen, 2, memoryId, field);
                        timestamp = value == JsonToken.VALUE_STRING
                                ? Timestamps.parseCommonForm(p.getTextCharacters(), p.getTextOffset(),
                                p.getTextLength())
                                : null;
                        if (timestamp == null) {
                            String text = text(value, memoryPath(memoryId, ".timestamp"));
                            timestamp = parseTimestamp(text, source, memoryPath(memoryId, ".timestamp"));
                        }
                    }
                    case "importance" -> {
                        seen = onceInMemory(seen, 4, memoryId, field);
                        importance = value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_NUMBER_INT
                                ? p.getDoubleValue() : Double.NaN;
                        if (!Double.isFinite(importance)) {
                            importance = number(value, memoryPath(memoryId, ".importance")); // throws
                        }
                    }
                    case "metadata" -> {
                        seen = onceInMemory(seen, 8, memoryId, field);
                        if (value != JsonToken.VALUE_NULL) {
                            if (value != JsonToken.START_OBJECT) {
                                expectStart(value, JsonToken.START_OBJECT, memoryPath(memoryId, ".metadata"));
                            }
                            @SuppressWarnings("unchecked")
                            Map<String, Object> read = (Map<String, Object>) value(value, METADATA_KEYS);
                            metadata = read;
                        }
                    }
                    default -> others = skipOther(others, memoryPath(memoryId, ""), field);
                }
            }
            if ((seen & 1) == 0) {
                throw fail(memoryPath(memoryId, ".content"), "missing");
            }
            if ((seen & 2) == 0) {
                throw fail(memoryPath(memoryId, ".timestamp"), "missing");
            }
            if ((seen & 4) == 0) {
                throw fail(memoryPath(memoryId, ".importance"), "missing");
            }
            try {
                return new Memory(content, timestamp, importance, metadata);
            } catch (IllegalArgumentException e) {
                throw fail(memoryPath(memoryId, ""), e.getMessage());
            }
        }

        private static String memoryPath(String memoryId, String field) {
            return "long_term.memories." + memoryId + field;
        }

        /** {@link #once(int, int, String, String)} for a memory's field, its path built only for the error. */
        private int onceInMemory(int seen, int bit, String memoryId, String field) {
            if ((seen & bit) != 0) {
                throw duplicate(memoryPath(memoryId, ""), field);
            }
            return seen | bit;
        }

        /**
         * The next field name of the object being read, or {@code null} at its end. {@code expected[at]}, when there
         * is one, is the name the seed writes there: matched as bytes and returned as that constant, it costs no
         * decoding and no {@code String}; any other name is read as usual.
         */
        private String nextName(SerializedString[] expected, int at) throws IOException {
            if (expected != null && at < expected.length) {
                if (p.nextFieldName(expected[at])) {
                    return expected[at].getValue();
                }
                return p.currentToken() == JsonToken.FIELD_NAME ? p.currentName() : null;
            }
            return p.nextToken() == JsonToken.FIELD_NAME ? p.currentName() : null;
        }

        /**
         * Any JSON value as plain Java: maps keep their order, numbers their kind. Objects and arrays are made with
         * {@link FrozenJson}, exactly sized from the values collected on {@link #stack}, so that {@link Memory} keeps
         * them as they are; a value it does not accept (a number too large for a double, say) makes plain collections
         * instead, which {@link Memory} then refuses with the path of the value.
         *
         * @param keys the keys the seed writes first in this object, in order, or {@code null}
         */
        private Object value(JsonToken token, SerializedString[] keys) throws IOException {
            return switch (token) {
                case START_OBJECT -> {
                    int from = top;
                    Set<String> large = null;
                    String key;
                    for (int at = 0; (key = nextName(keys, at)) != null; at++) {
                        if (at < SCANNED_KEYS) {
                            for (int i = from; i < top; i += 2) {
                                if (key.equals(stack[i])) {
                                    throw duplicate("metadata", key);
                                }
                            }
                        } else {
                            if (large == null) {
                                large = new java.util.HashSet<>();
                                for (int i = from; i < top; i += 2) {
                                    large.add((String) stack[i]);
                                }
                            }
                            if (!large.add(key)) {
                                throw duplicate("metadata", key);
                            }
                        }
                        push(key);
                        Object element = value(p.nextToken(), null);
                        push(element);
                    }
                    Map<String, Object> made;
                    try {
                        made = FrozenJson.object(stack, from, top);
                    } catch (IllegalArgumentException notAccepted) {
                        Map<String, Object> plain = new LinkedHashMap<>();
                        for (int i = from; i < top; i += 2) {
                            plain.put((String) stack[i], stack[i + 1]);
                        }
                        made = java.util.Collections.unmodifiableMap(plain);
                    }
                    pop(from);
                    yield made;
                }
                case START_ARRAY -> {
                    int from = top;
                    JsonToken t;
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        Object element = value(t, null);
                        push(element);
                    }
                    List<Object> made;
                    try {
                        made = FrozenJson.array(stack, from, top);
                    } catch (IllegalArgumentException notAccepted) {
                        made = java.util.Collections.unmodifiableList(
                                java.util.Arrays.asList(java.util.Arrays.copyOfRange(stack, from, top)));
                    }
                    pop(from);
                    yield made;
                }
                case VALUE_STRING -> p.getText();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                    case INT -> p.getIntValue();
                    case LONG -> p.getLongValue();
                    default -> p.getBigIntegerValue();
                };
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                default -> throw fail("metadata", "unexpected " + token + location(p));
            };
        }

        private void push(Object value) {
            if (top == stack.length) {
                stack = java.util.Arrays.copyOf(stack, top * 2);
            }
            stack[top++] = value;
        }

        /** Drops what was pushed from {@code from} on, no longer holding it. */
        private void pop(int from) {
            java.util.Arrays.fill(stack, from, top, null);
            top = from;
        }

        /** Marks a known field seen, by its bit; a second time is an error, as Jackson's own check made it. */
        private int once(int seen, int bit, String objectPath, String field) {
            if ((seen & bit) != 0) {
                throw duplicate(objectPath, field);
            }
            return seen | bit;
        }

        /** Skips a field this reader does not know, refusing it twice in one object; most objects have none. */
        private Set<String> skipOther(Set<String> others, String objectPath, String field) throws IOException {
            Set<String> names = others != null ? others : new java.util.HashSet<>();
            if (!names.add(field)) {
                throw duplicate(objectPath, field);
            }
            p.skipChildren();
            return names;
        }

        private void addMemory(LongTermState.Builder builder, String memoryId, Memory memory) {
            try {
                builder.add(memoryId, memory);
            } catch (IllegalArgumentException twice) {
                throw duplicate("long_term.memories", memoryId);
            }
        }

        private SnapshotFormatException duplicate(String objectPath, String field) {
            return fail(objectPath == null ? field : objectPath + "." + field, "Duplicate field '" + field + "'");
        }

        private String text(JsonToken token, String path) throws IOException {
            if (token != JsonToken.VALUE_STRING) {
                throw fail(path, "expected a string, found " + describeValue(token));
            }
            return p.getText();
        }

        private double number(JsonToken token, String path) throws IOException {
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw fail(path, "expected a number, found " + describeValue(token));
            }
            double value = p.getDoubleValue();
            if (!Double.isFinite(value)) {
                throw fail(path, "number out of range: " + p.getText());
            }
            return value;
        }

        private int count(JsonToken token, String path) throws IOException {
            if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                    || p.getIntValue() < 0) {
                throw fail(path, "expected a whole number from 0 to " + Integer.MAX_VALUE + ", found "
                        + (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT
                        ? p.getText() : describeValue(token)));
            }
            return p.getIntValue();
        }

        private void checkCount(Integer declared, int actual, String path, String of) {
            if (declared != null && declared != actual) {
                throw fail(path, "is " + declared + " but " + of + " has " + actual
                        + " entries (truncated or edited file?)");
            }
        }

        private void expectStart(JsonToken actual, JsonToken expected, String path) throws IOException {
            if (actual != expected) {
                if (actual == JsonToken.START_OBJECT || actual == JsonToken.START_ARRAY) {
                    p.skipChildren();
                }
                throw fail(path, "expected " + describe(expected) + ", found " + describeValue(actual));
            }
        }

        private String describeValue(JsonToken token) {
            return token == null ? "end of input" : describe(token);
        }

        private SnapshotFormatException fail(String path, String problem) {
            return new SnapshotFormatException(source, path + ": " + problem);
        }
    }

    /** Validating reader of the small {@code memory_stats} tree; every failure names the JSON path. */
    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        MemoryStats stats(JsonNode node, MemoryStats computed) {
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
