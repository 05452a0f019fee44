package dev.memsnap.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.memsnap.api.Memory;
import dev.memsnap.api.memory.LongTermMemory;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Converts between LangChain4j's embedded {@link TextSegment}s and memsnap's long-term {@link Memory memories},
 * losslessly: what {@link MemsnapEmbeddingStore} keeps in a snapshot, and how it puts a snapshot's segments back.
 *
 * <p>A memory keeps the segment's text as its content, and from the segment's metadata, when present,
 * {@value #SOURCE_TYPE} (else {@value #DEFAULT_SOURCE_TYPE}), {@value #TOPICS} (a comma-separated string, as
 * LangChain4j's metadata holds no lists) and {@value #IMPORTANCE} (a number or numeric string, else
 * {@value #DEFAULT_IMPORTANCE}), so that memsnap's diff, CLI and dashboard read naturally. Everything needed to put the
 * segment back exactly is under the one metadata key {@value #METADATA_KEY}, which other tools pass over:
 * <ul>
 *   <li>{@code vector}: the embedding as base64 of its little-endian 32-bit floats (a 384-dimension vector is 2,048
 *       characters; bit for bit what the model produced);</li>
 *   <li>{@code metadata}: the segment's whole LangChain4j metadata as plain JSON values, readable;</li>
 *   <li>{@code types}: for each metadata value that is not a string, its LangChain4j type ({@code integer},
 *       {@code long}, {@code float}, {@code double}, {@code uuid}), since JSON numbers do not say;</li>
 *   <li>{@code segment: false} only for an embedding added without a segment (its memory's content is empty).</li>
 * </ul>
 * The memory's key (see {@code EnhancedMemoryManager.putMemories}) is the LangChain4j id of the embedding.
 */
public final class SegmentMemories {
    /** The memory metadata key under which the vector and the LangChain4j metadata are kept. */
    public static final String METADATA_KEY = "langchain4j";
    /** The segment metadata key read as the memory's source type. */
    public static final String SOURCE_TYPE = Memory.SOURCE_TYPE;
    /** The segment metadata key read as the memory's topics, comma-separated. */
    public static final String TOPICS = Memory.TOPICS;
    /** The segment metadata key read as the memory's importance. */
    public static final String IMPORTANCE = Memory.IMPORTANCE;
    /** The source type of a segment whose metadata names none. */
    public static final String DEFAULT_SOURCE_TYPE = "segment";
    /** The importance of a segment whose metadata gives none. */
    public static final double DEFAULT_IMPORTANCE = 0.5;

    private static final String VECTOR = "vector";
    private static final String METADATA = "metadata";
    private static final String TYPES = "types";
    private static final String SEGMENT = "segment";

    private SegmentMemories() {
    }

    /**
     * @param embedding the embedding
     * @param segment   what was embedded, or {@code null} for an embedding added alone
     * @param timestamp when the memory was formed (memsnap writes UTC wall-clock time)
     * @return the memory that keeps both
     * @throws IllegalArgumentException when a metadata value is a number memsnap cannot keep (not finite)
     */
    public static Memory toMemory(Embedding embedding, TextSegment segment, LocalDateTime timestamp) {
        Map<String, Object> metadata = segment == null ? Map.of() : segment.metadata().toMap();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> types = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            if (value instanceof String) {
                values.put(key, value);
            } else {
                types.put(key, typeOf(value));
                values.put(key, jsonValue(value));
            }
        });
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put(VECTOR, encode(embedding.vector()));
        if (!values.isEmpty()) {
            kept.put(METADATA, values);
        }
        if (!types.isEmpty()) {
            kept.put(TYPES, types);
        }
        if (segment == null) {
            kept.put(SEGMENT, false);
        }
        return Memory.describing(segment == null ? "" : segment.text(), timestamp, metadata, DEFAULT_SOURCE_TYPE,
                DEFAULT_IMPORTANCE, METADATA_KEY, kept);
    }

    /**
     * @param memory a long-term memory
     * @return whether it keeps an embedding (written by {@link #toMemory}); a host's own memories do not
     */
    public static boolean isEmbedded(Memory memory) {
        return memory.metadata().get(METADATA_KEY) instanceof Map<?, ?> kept && kept.get(VECTOR) instanceof String;
    }

    /**
     * @param memory a memory for which {@link #isEmbedded} holds
     * @return its embedding, bit for bit
     * @throws IllegalArgumentException when it keeps none, or a damaged one
     */
    public static Embedding embedding(Memory memory) {
        return Embedding.from(decode((String) kept(memory).get(VECTOR)));
    }

    /**
     * @param memory a memory for which {@link #isEmbedded} holds
     * @return the segment it keeps (its content as text, its LangChain4j metadata with their types), or {@code null}
     *         for an embedding that was added without one
     * @throws IllegalArgumentException when it keeps no embedding, or damaged metadata
     */
    public static TextSegment segment(Memory memory) {
        if (Boolean.FALSE.equals(kept(memory).get(SEGMENT))) {
            return null;
        }
        return TextSegment.from(memory.content(), metadata(memory));
    }

    /**
     * @param memory a memory for which {@link #isEmbedded} holds
     * @return the LangChain4j metadata of its segment, with their types; empty for an embedding without a segment
     * @throws IllegalArgumentException when it keeps no embedding, or damaged metadata
     */
    public static Metadata metadata(Memory memory) {
        Map<?, ?> kept = kept(memory);
        Map<?, ?> values = kept.get(METADATA) instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> types = kept.get(TYPES) instanceof Map<?, ?> t ? t : Map.of();
        Map<String, Object> metadata = new LinkedHashMap<>();
        values.forEach((key, value) -> metadata.put((String) key, typed(value, types.get(key), (String) key)));
        return Metadata.from(metadata);
    }

    private static Map<?, ?> kept(Memory memory) {
        if (!isEmbedded(memory)) {
            throw new IllegalArgumentException("the memory keeps no embedding under metadata." + METADATA_KEY);
        }
        return (Map<?, ?>) memory.metadata().get(METADATA_KEY);
    }

    private static String typeOf(Object value) {
        if (value instanceof Integer) {
            return "integer";
        }
        if (value instanceof Long) {
            return "long";
        }
        if (value instanceof Float) {
            return "float";
        }
        if (value instanceof Double) {
            return "double";
        }
        if (value instanceof UUID) {
            return "uuid";
        }
        throw new IllegalArgumentException("a LangChain4j metadata value of an unknown type: " + value.getClass().getName());
    }

    /** A float is kept as the double of its shortest decimal form: readable, and it reads back to the same float. */
    private static Object jsonValue(Object value) {
        if (value instanceof UUID uuid) {
            return uuid.toString();
        }
        if (value instanceof Float f) {
            if (!Float.isFinite(f)) {
                throw new IllegalArgumentException("memsnap keeps finite numbers only, got metadata value " + f);
            }
            return Double.parseDouble(Float.toString(f));
        }
        return value;
    }

    private static Object typed(Object value, Object type, String key) {
        if (type == null) {
            if (!(value instanceof String)) {
                throw new IllegalArgumentException("metadata." + METADATA_KEY + ".metadata." + key
                        + " is not a string and has no type");
            }
            return value;
        }
        try {
            return switch (String.valueOf(type)) {
                case "integer" -> Math.toIntExact(((Number) value).longValue());
                case "long" -> ((Number) value).longValue();
                case "float" -> ((Number) value).floatValue();
                case "double" -> ((Number) value).doubleValue();
                case "uuid" -> UUID.fromString((String) value);
                default -> throw new IllegalArgumentException("unknown type " + type);
            };
        } catch (ClassCastException | ArithmeticException e) {
            throw new IllegalArgumentException("metadata." + METADATA_KEY + ".metadata." + key + " is not a " + type
                    + ": " + value, e);
        }
    }

    static String encode(float[] vector) {
        return LongTermMemory.encodeVector(vector);
    }

    static float[] decode(String base64) {
        return LongTermMemory.decodeVector(base64, "metadata." + METADATA_KEY + "." + VECTOR);
    }
}
