package dev.memsnap.spring.vectorstore;

import dev.memsnap.api.Memory;
import dev.memsnap.api.memory.LongTermMemory;
import org.springframework.ai.document.Document;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between Spring AI's {@link Document}s and memsnap's long-term {@link Memory memories}, losslessly: what
 * {@link MemsnapVectorStore} keeps in a snapshot, and how it puts a snapshot's documents back.
 *
 * <p>A memory keeps the document's text as its content, and from the document's metadata, when present,
 * {@value #SOURCE_TYPE} (else {@value #DEFAULT_SOURCE_TYPE}), {@value #TOPICS} (a list, or a comma-separated string)
 * and {@value #IMPORTANCE} (a number or numeric string, else {@value #DEFAULT_IMPORTANCE}), so that memsnap's diff,
 * CLI and dashboard read naturally. Everything needed to put the document back exactly is under the one metadata key
 * {@value #METADATA_KEY}, which other tools pass over:
 * <ul>
 *   <li>{@code vector}: the embedding as base64 of its little-endian 32-bit floats (bit for bit what the model
 *       produced), when the store lets memsnap read it (see {@link MemsnapVectorStore});</li>
 *   <li>{@code metadata}: the document's whole metadata as plain JSON values, readable;</li>
 *   <li>{@code types}: for each metadata number, its Java type ({@code integer}, {@code long}, {@code float},
 *       {@code double}), since JSON numbers do not say.</li>
 * </ul>
 * The memory's key (see {@code EnhancedMemoryManager.putMemories}) is the document's id.
 */
public final class DocumentMemories {
    /** The memory metadata key under which the embedding and the document's metadata are kept. */
    public static final String METADATA_KEY = "spring_ai";
    /** The document metadata key read as the memory's source type. */
    public static final String SOURCE_TYPE = Memory.SOURCE_TYPE;
    /** The document metadata key read as the memory's topics. */
    public static final String TOPICS = Memory.TOPICS;
    /** The document metadata key read as the memory's importance. */
    public static final String IMPORTANCE = Memory.IMPORTANCE;
    /** The source type of a document whose metadata names none. */
    public static final String DEFAULT_SOURCE_TYPE = "document";
    /** The importance of a document whose metadata gives none. */
    public static final double DEFAULT_IMPORTANCE = 0.5;

    private static final String VECTOR = "vector";
    private static final String METADATA = "metadata";
    private static final String TYPES = "types";

    private DocumentMemories() {
    }

    /**
     * @param document  a text document
     * @param embedding its embedding, or {@code null} when the store does not let memsnap read it
     * @param timestamp when the memory was formed (memsnap writes UTC wall-clock time)
     * @return the memory that keeps both
     * @throws IllegalArgumentException when the document has no text (a media document), or a metadata value memsnap
     *                                  cannot keep (a number that is not finite, an object that is not a JSON value)
     */
    public static Memory toMemory(Document document, float[] embedding, LocalDateTime timestamp) {
        if (!document.isText()) {
            throw new IllegalArgumentException("document " + document.getId() + " holds media, not text");
        }
        Map<String, Object> metadata = document.getMetadata();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> types = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            String type = typeOf(value);
            if (type != null) {
                types.put(key, type);
            }
            values.put(key, jsonValue(key, value));
        });
        Map<String, Object> kept = new LinkedHashMap<>();
        if (embedding != null) {
            kept.put(VECTOR, encode(embedding));
        }
        kept.put(METADATA, values);
        if (!types.isEmpty()) {
            kept.put(TYPES, types);
        }
        return Memory.describing(document.getText(), timestamp, metadata, DEFAULT_SOURCE_TYPE, DEFAULT_IMPORTANCE,
                METADATA_KEY, kept);
    }

    /**
     * @param memory a long-term memory
     * @return whether it keeps a document (written by {@link #toMemory}); a host's own memories do not
     */
    public static boolean isDocument(Memory memory) {
        return memory.metadata().get(METADATA_KEY) instanceof Map<?, ?> kept && kept.get(METADATA) instanceof Map;
    }

    /**
     * @param memory a memory for which {@link #isDocument} holds
     * @return its embedding, bit for bit, or {@code null} when it keeps none
     * @throws IllegalArgumentException when it keeps no document, or a damaged embedding
     */
    public static float[] embedding(Memory memory) {
        Object vector = kept(memory).get(VECTOR);
        return vector == null ? null : decode(String.valueOf(vector));
    }

    /**
     * @param memoryKey the memory's key, the document's id
     * @param memory    a memory for which {@link #isDocument} holds
     * @return the document it keeps: that id, its content as text, its metadata with their types
     * @throws IllegalArgumentException when it keeps no document, or damaged metadata
     */
    public static Document document(String memoryKey, Memory memory) {
        return Document.builder().id(memoryKey).text(memory.content()).metadata(metadata(memory)).build();
    }

    /**
     * @param memory a memory for which {@link #isDocument} holds
     * @return the metadata of its document, with their types
     * @throws IllegalArgumentException when it keeps no document, or damaged metadata
     */
    public static Map<String, Object> metadata(Memory memory) {
        Map<?, ?> kept = kept(memory);
        Map<?, ?> types = kept.get(TYPES) instanceof Map<?, ?> t ? t : Map.of();
        Map<String, Object> metadata = new LinkedHashMap<>();
        ((Map<?, ?>) kept.get(METADATA)).forEach((key, value) ->
                metadata.put((String) key, typed(value, types.get(key), (String) key)));
        return metadata;
    }

    private static Map<?, ?> kept(Memory memory) {
        if (!isDocument(memory)) {
            throw new IllegalArgumentException("the memory keeps no document under metadata." + METADATA_KEY);
        }
        return (Map<?, ?>) memory.metadata().get(METADATA_KEY);
    }

    /** The Java type of a number, which JSON loses; {@code null} for what JSON keeps as it is. */
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
        return null;
    }

    /** A float is kept as the double of its shortest decimal form: readable, and it reads back to the same float. */
    private static Object jsonValue(String key, Object value) {
        if (value instanceof Float f) {
            return finite(key, Double.parseDouble(Float.toString(f)));
        }
        if (value instanceof Double d) {
            return finite(key, d);
        }
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long) {
            return value;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> jsonValue(key, v)).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), jsonValue(key, v)));
            return copy;
        }
        throw new IllegalArgumentException("metadata " + key + " is a " + value.getClass().getName()
                + ", which memsnap cannot keep (strings, numbers, booleans, lists and maps of them)");
    }

    private static double finite(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("memsnap keeps finite numbers only, got metadata " + key + " = "
                    + value);
        }
        return value;
    }

    private static Object typed(Object value, Object type, String key) {
        if (type == null) {
            return value;
        }
        try {
            return switch (String.valueOf(type)) {
                case "integer" -> Math.toIntExact(((Number) value).longValue());
                case "long" -> ((Number) value).longValue();
                case "float" -> ((Number) value).floatValue();
                case "double" -> ((Number) value).doubleValue();
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
