package dev.memsnap.api;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One long-term memory, as the snapshot format stores it.
 *
 * <p>The metadata map is open: besides {@value #SOURCE_TYPE} and {@value #TOPICS} it keeps any other key a host or
 * another tool wrote, so that a snapshot read and written again loses nothing. Metadata values are JSON values:
 * {@code null}, {@link String}, {@link Boolean}, {@link Number}, {@link List} or {@link Map} with string keys. The map and
 * everything in it are copied and made unmodifiable, except what is already {@link Immutable} all the way down
 * (checked by walking it) or made by {@link FrozenJson} (checked when it was made). A number that can change (an
 * {@code AtomicLong}, a subclass of {@code BigDecimal}) is kept as its value at construction.
 *
 * @param content    the remembered text
 * @param timestamp  when the memory was formed (the format has no zone; memsnap writes UTC wall-clock time)
 * @param importance how much the memory matters, usually from 0 to 1; any finite number is kept
 * @param metadata   {@code source_type}, {@code topics} and anything else
 */
public record Memory(String content, LocalDateTime timestamp, double importance, Map<String, Object> metadata) {

    /** Metadata key of the memory's source type, for example {@code fact} or {@code preference}. */
    public static final String SOURCE_TYPE = "source_type";
    /** Metadata key of the memory's topics, a list of strings. */
    public static final String TOPICS = "topics";
    /**
     * The key under which an integration's item metadata gives its importance ({@link #describing}); a memory's own
     * importance is {@link #importance()}, not metadata.
     */
    public static final String IMPORTANCE = "importance";
    /** The most digits a metadata number may have, so that every kept number also reads back. */
    public static final int MAX_NUMBER_DIGITS = 10_000;

    public Memory {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(timestamp, "timestamp");
        if (!Double.isFinite(importance)) {
            throw new IllegalArgumentException("importance must be a finite number, got " + importance);
        }
        // a reader's metadata made with FrozenJson was checked as it was made: kept without walking it again
        metadata = metadata == null ? Map.of() : FrozenJson.isMadeHere(metadata) || isFrozen(metadata) ? metadata
                : freezeMap(metadata, "metadata");
        Object sourceType = metadata.get(SOURCE_TYPE);
        if (sourceType != null && !(sourceType instanceof String)) {
            throw new IllegalArgumentException("metadata." + SOURCE_TYPE + " must be a string, got " + sourceType);
        }
        Object topics = metadata.get(TOPICS);
        if (topics != null) {
            if (!(topics instanceof List<?> list) || !allStrings(list)) {
                throw new IllegalArgumentException("metadata." + TOPICS + " must be a list of strings, got " + topics);
            }
        }
    }

    private static boolean allStrings(List<?> list) {
        for (Object element : list) {
            if (!(element instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A memory with the two metadata keys every memory has.
     *
     * @param content    the remembered text
     * @param timestamp  when it was formed
     * @param importance how much it matters
     * @param sourceType its source type, or {@code null} for none
     * @param topics     its topics
     * @return the memory
     */
    public static Memory of(String content, LocalDateTime timestamp, double importance, String sourceType,
                            List<String> topics) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(SOURCE_TYPE, sourceType);
        metadata.put(TOPICS, topics == null ? List.of() : topics);
        return new Memory(content, timestamp, importance, metadata);
    }

    /**
     * A memory for an item a framework integration keeps as a long-term memory (a LangChain4j segment, a Spring AI
     * document), described by the item's own free-form metadata under memsnap's keys, so that diffs, the CLI and the
     * dashboard read it naturally: {@value #SOURCE_TYPE} (a non-blank string), {@value #TOPICS} (a list, or a
     * comma-separated string) and {@value #IMPORTANCE} (a number or a numeric string), each falling back to the
     * integration's default; and what the integration keeps to restore the item exactly, under its own metadata key.
     *
     * @param content           the item's text
     * @param timestamp         when it was kept
     * @param itemMetadata      the item's metadata
     * @param defaultSourceType the source type of an item whose metadata names none
     * @param defaultImportance the importance of an item whose metadata gives none (or not a finite number)
     * @param keptKey           the integration's metadata key, such as {@code langchain4j}
     * @param kept              what it keeps there
     * @return the memory
     */
    public static Memory describing(String content, LocalDateTime timestamp, Map<String, ?> itemMetadata,
                                    String defaultSourceType, double defaultImportance, String keptKey,
                                    Object kept) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(SOURCE_TYPE, itemMetadata.get(SOURCE_TYPE) instanceof String s && !s.isBlank() ? s
                : defaultSourceType);
        metadata.put(TOPICS, topicsIn(itemMetadata.get(TOPICS)));
        metadata.put(keptKey, kept);
        return new Memory(content == null ? "" : content, timestamp,
                importanceIn(itemMetadata.get(IMPORTANCE), defaultImportance), metadata);
    }

    private static List<String> topicsIn(Object topics) {
        List<String> result = new ArrayList<>();
        if (topics instanceof String s) {
            for (String topic : s.split(",")) {
                if (!topic.isBlank()) {
                    result.add(topic.strip());
                }
            }
        } else if (topics instanceof List<?> list) {
            for (Object topic : list) {
                if (topic != null && !String.valueOf(topic).isBlank()) {
                    result.add(String.valueOf(topic).strip());
                }
            }
        }
        return result;
    }

    private static double importanceIn(Object importance, double fallback) {
        double value = fallback;
        if (importance instanceof Number n) {
            value = n.doubleValue();
        } else if (importance instanceof String s) {
            try {
                value = Double.parseDouble(s.strip());
            } catch (NumberFormatException notANumber) {
                value = fallback;
            }
        }
        return Double.isFinite(value) ? value : fallback;
    }

    /** @return the {@code source_type} metadata, or {@code null} where there is none */
    public String sourceType() {
        return (String) metadata.get(SOURCE_TYPE);
    }

    /** @return the {@code topics} metadata, empty where there are none */
    @SuppressWarnings("unchecked")
    public List<String> topics() {
        Object topics = metadata.get(TOPICS);
        return topics == null ? List.of() : (List<String>) topics;
    }

    /**
     * @return whether the value is already as the constructor would make it: {@link Immutable} maps with string keys
     *         and lists, all the way down, of valid JSON values; such metadata (a loader's, say) is kept, not copied
     */
    private static boolean isFrozen(Object value) {
        if (FrozenJson.isMadeHere(value)) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            if (!(map instanceof Immutable)) {
                return false;
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String) || !isFrozen(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List<?> list) {
            if (!(list instanceof Immutable)) {
                return false;
            }
            for (Object element : list) {
                if (!isFrozen(element)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Double d) {
            return Double.isFinite(d);
        }
        if (value instanceof Float f) {
            return Float.isFinite(f);
        }
        if (value instanceof java.math.BigInteger || value instanceof java.math.BigDecimal) {
            return false; // rare: freeze checks their digits
        }
        return value == null || value instanceof String || value instanceof Boolean || isImmutableNumber(value);
    }

    /** @return whether the value is one of the JDK's immutable boxed numbers (the others, such as AtomicLong, change) */
    private static boolean isImmutableNumber(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof Double || value instanceof Float || value.getClass() == java.math.BigInteger.class
                || value.getClass() == java.math.BigDecimal.class;
    }

    /**
     * @return a number that cannot change: itself when it is immutable, else (an {@code AtomicLong}, a
     *         {@code LongAdder}, a subclass of {@code BigDecimal}) its value now, as a {@code Long} when it is a whole
     *         number and as a {@code BigDecimal} of its digits otherwise
     */
    private static Number immutable(Number n) {
        if (isImmutableNumber(n)) {
            return n;
        }
        if (n instanceof java.math.BigInteger big) {
            return new java.math.BigInteger(big.toString());
        }
        if (n instanceof java.math.BigDecimal big) {
            return new java.math.BigDecimal(big.toString());
        }
        if (n instanceof java.util.concurrent.atomic.AtomicInteger || n instanceof java.util.concurrent.atomic.AtomicLong
                || n instanceof java.util.concurrent.atomic.LongAdder
                || n instanceof java.util.concurrent.atomic.LongAccumulator) {
            return n.longValue();
        }
        return n.doubleValue();
    }

    private static Map<String, Object> freezeMap(Map<?, ?> map, String path) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException(path + " keys must be strings, got " + e.getKey());
            }
            copy.put(key, freeze(e.getValue(), path + "." + key));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object freeze(Object value, String path) {
        if (FrozenJson.isMadeHere(value)) {
            return value; // checked when it was made, and immutable
        }
        if (value instanceof Number n && !isImmutableNumber(n)) {
            value = immutable(n); // what is snapshotted must not change after the fact
        }
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
            if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
                throw new IllegalArgumentException(path + " must be a finite number, got " + value);
            }
            if ((value instanceof java.math.BigInteger || value instanceof java.math.BigDecimal)
                    && value.toString().length() > MAX_NUMBER_DIGITS) {
                throw new IllegalArgumentException(path + " must have at most " + MAX_NUMBER_DIGITS + " digits");
            }
            return value;
        }
        if (value instanceof Map<?, ?> m) {
            return freezeMap(m, path);
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                copy.add(freeze(l.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(path + " must be a JSON value (string, number, boolean, null, list or map), got "
                + value.getClass().getName());
    }
}
