package dev.memsnap.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.memsnap.api.ConfigException;
import dev.memsnap.api.plugin.PluginConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A host's {@code config.yaml}, read once. memsnap owns the {@code memory:} section (see {@link MemoryConfig});
 * plugins bind their own sections, such as {@code websocket:}, into records of theirs with {@link #bind}. Everything
 * else in the file belongs to the host and is ignored. A key given twice in one mapping is refused, naming both lines.
 */
public final class ConfigFile implements PluginConfig {
    /** Larger files are refused before they are parsed: a config is a few kilobytes. */
    static final long MAX_BYTES = 1 << 20;
    private static final YAMLMapper YAML = new YAMLMapper();
    /** Binds sections into records: snake_case keys, unknown keys refused. */
    private static final JsonMapper BINDER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    private static final java.util.regex.Pattern KEYED_MESSAGE = java.util.regex.Pattern.compile(
            "([a-z][a-z0-9_]*): (.*)", java.util.regex.Pattern.DOTALL);

    private final String source;
    private final JsonNode root;
    /**
     * Sections bound so far, by path and record class. The class itself, not its name: two plugin jars (or one jar
     * loaded twice, by a runtime and a tool) may each define a record of the same name, and each must get its own.
     */
    private final Map<Map.Entry<String, Class<?>>, Object> bound = new ConcurrentHashMap<>();

    private ConfigFile(String source, JsonNode root) {
        this.source = source;
        this.root = root;
    }

    /**
     * @param file a YAML file
     * @return its content
     * @throws ConfigException when the file cannot be read, is not a regular file of at most 1 MiB, or is not a YAML
     *                         mapping
     */
    public static ConfigFile load(Path file) {
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new ConfigException("config file " + file + " is not a regular file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException("config file " + file + " is larger than " + MAX_BYTES
                        + " bytes; a memsnap config is a few kilobytes");
            }
            return parse(file.toString(), Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The host's configuration when it has a file, and memsnap's embedded defaults when it has none: what a host
     * that ships without a {@code config.yaml} wants.
     *
     * @param file a YAML file that may be absent
     * @return its content, or {@link #empty()} when there is no such file
     * @throws ConfigException when the file exists but is not a valid configuration
     */
    public static ConfigFile loadOrDefaults(Path file) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS) || Files.exists(file) ? load(file) : empty();
    }

    /**
     * @param source what to call the text in messages
     * @param yaml   YAML text
     * @return its content
     * @throws ConfigException when it is not a YAML mapping, or a mapping has a key twice
     */
    public static ConfigFile parse(String source, String yaml) {
        if (yaml.length() > MAX_BYTES) {
            throw new ConfigException(source + ": larger than " + MAX_BYTES + " characters; a memsnap config is a few"
                    + " kilobytes");
        }
        JsonNode root;
        try {
            refuseDuplicateKeys(source, yaml);
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = YAML.createObjectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(source + ": expected a mapping of sections at the top level");
        }
        return new ConfigFile(source, root);
    }

    /**
     * The configuration a host holds as a tree rather than as YAML text (the Spring Boot starter builds it from its
     * {@code memsnap.*} properties), validated exactly as a {@code config.yaml} of the same content: the same
     * sections, keys, defaults and messages, which name {@code source} and the YAML key.
     *
     * @param source   what to call the configuration in messages
     * @param sections top-level sections by name ({@code memory}, {@code websocket}, ...), each a mapping whose
     *                 values are strings, numbers, booleans, lists and mappings of the same; {@code null} values
     *                 count as absent
     * @return the configuration
     * @throws ConfigException when a value is of none of those types
     */
    public static ConfigFile of(String source, Map<String, ?> sections) {
        Objects.requireNonNull(source, "source");
        JsonNode root;
        try {
            root = YAML.valueToTree(Objects.requireNonNull(sections, "sections"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": not a tree of strings, numbers, booleans, lists and mappings: "
                    + e.getMessage(), e);
        }
        return new ConfigFile(source, root == null || root.isNull() ? YAML.createObjectNode() : root);
    }

    /** Walks the document once, remembering where each key of each mapping was first seen. */
    private static void refuseDuplicateKeys(String source, String yaml) throws IOException {
        record Frame(String name, Map<String, Integer> keys) {
        }
        try (JsonParser parser = YAML.getFactory().createParser(yaml)) {
            Deque<Frame> open = new ArrayDeque<>();
            String pending = null;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case START_OBJECT -> {
                        open.push(new Frame(pending, new HashMap<>()));
                        pending = null;
                    }
                    case START_ARRAY -> {
                        open.push(new Frame(pending, null));
                        pending = null;
                    }
                    case END_OBJECT, END_ARRAY -> open.pop();
                    case FIELD_NAME -> {
                        String key = parser.currentName();
                        int line = parser.currentTokenLocation().getLineNr();
                        Integer first = open.peek().keys().putIfAbsent(key, line);
                        if (first != null) {
                            List<String> names = new ArrayList<>();
                            open.descendingIterator().forEachRemaining(f -> {
                                if (f.name() != null) {
                                    names.add(f.name());
                                }
                            });
                            names.add(key);
                            throw new ConfigException(source + ": " + String.join(".", names)
                                    + ": given twice, on line " + first + " and on line " + line
                                    + "; YAML would keep only the last, so memsnap refuses the file");
                        }
                        pending = key;
                    }
                    default -> pending = null;
                }
            }
        }
    }

    /** @return a configuration with no sections: every default */
    public static ConfigFile empty() {
        return new ConfigFile("(defaults)", YAML.createObjectNode());
    }

    /**
     * @return the {@code memory:} section, with memsnap's defaults for what it leaves out; a host key under
     *         {@code memory:} that is one or two edits from one of memsnap's is logged as a warning
     */
    public MemoryConfig memory() {
        return MemoryConfig.from(section("memory"));
    }

    /**
     * @param name a top-level key
     * @return that section, empty when absent or null
     * @throws ConfigException when it is present but not a mapping
     */
    public ConfigSection section(String name) {
        JsonNode node = root.path(name);
        if (node.isMissingNode() || node.isNull()) {
            return new ConfigSection(source, name, (ObjectNode) YAML.createObjectNode());
        }
        if (!node.isObject()) {
            throw new ConfigException(source + ": " + name + ": expected a mapping of keys");
        }
        return new ConfigSection(source, name, (ObjectNode) node);
    }

    /** The top-level sections memsnap and its own modules read. */
    static final List<String> SECTIONS = List.of("memory", "websocket", "dashboard", "plugins", "audit");

    /**
     * Likely typos that are not errors, because the keys they sit among belong partly to the host: a top-level
     * section one or two edits from one of memsnap's ({@code memroy:}), and a key under {@code memory:} one or two
     * edits from one of memsnap's ({@code snapshot_intervall}). memsnap logs these at start.
     *
     * @return one message per suspect key, naming it and the key it resembles; empty when none
     */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        root.fieldNames().forEachRemaining(key -> {
            if (!SECTIONS.contains(key)) {
                Suggestions.nearest(key, SECTIONS, 2).ifPresent(near -> warnings.add(source + ": " + key
                        + ": not a memsnap section, so it is ignored; did you mean " + near + "?"));
            }
        });
        if (root.path("memory").isObject()) {
            for (String key : section("memory").keys()) {
                if (!MemoryConfig.KEYS.contains(key)) {
                    Suggestions.nearest(key, new java.util.TreeSet<>(MemoryConfig.KEYS), 2).ifPresent(near ->
                            warnings.add(source + ": memory." + key + ": not a memsnap key, so memsnap ignores it"
                                    + "; did you mean " + near + "?"));
                }
            }
        }
        return List.copyOf(warnings);
    }

    /** @return where this configuration came from */
    @Override
    public String source() {
        return source;
    }

    @Override
    public boolean has(String path) {
        JsonNode node = at(path);
        return node != null && node.isObject();
    }

    @Override
    public <T> T bind(String path, Class<T> type) {
        Objects.requireNonNull(type, "type");
        Object value = bound.computeIfAbsent(Map.entry(path, type), key -> bindOnce(path, type));
        return type.cast(value);
    }

    private JsonNode at(String path) {
        JsonNode node = root;
        for (String part : path.split("\\.", -1)) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(part);
        }
        return node == null || node.isNull() ? null : node;
    }

    private <T> T bindOnce(String path, Class<T> type) {
        JsonNode node = at(path);
        if (node != null && !node.isObject()) {
            throw new ConfigException(source + ": " + path + ": expected a mapping of keys");
        }
        if (node != null && type.isRecord()) {
            // unknown keys first: a record that refuses a missing required key would otherwise hide its misspelling
            List<String> known = java.util.Arrays.stream(type.getRecordComponents())
                    .map(c -> PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(c.getName()))
                    .sorted().toList();
            java.util.Iterator<String> keys = node.fieldNames();
            while (keys.hasNext()) {
                String key = keys.next();
                if (!known.contains(key)) {
                    throw new ConfigException(source + ": " + path + "." + key + ": unknown key"
                            + Suggestions.hint(key, known) + " (known keys: " + String.join(", ", known) + ")");
                }
            }
        }
        try {
            return BINDER.treeToValue(node == null ? BINDER.createObjectNode() : node, type);
        } catch (UnrecognizedPropertyException e) {
            List<String> known = e.getKnownPropertyIds() == null ? List.of()
                    : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.toList());
            throw new ConfigException(source + ": " + keyOf(path, e) + ": unknown key"
                    + Suggestions.hint(e.getPropertyName(), known)
                    + (known.isEmpty() ? "" : " (known keys: " + String.join(", ", known) + ")"));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String key = keyOf(path, e);
            String message = String.valueOf(cause.getMessage());
            // a record's check that names its key first ("port: expected ...") is reported as section.port
            java.util.regex.Matcher keyed = KEYED_MESSAGE.matcher(message);
            if (type.isRecord() && keyed.matches() && java.util.Arrays.stream(type.getRecordComponents())
                    .map(c -> PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(c.getName()))
                    .anyMatch(keyed.group(1)::equals)) {
                key = key + "." + keyed.group(1);
                message = keyed.group(2);
            }
            throw new ConfigException(source + ": " + key + ": " + message, cause);
        } catch (InvalidFormatException e) {
            throw new ConfigException(source + ": " + keyOf(path, e) + ": expected " + describe(e.getTargetType()));
        } catch (MismatchedInputException e) {
            throw new ConfigException(source + ": " + keyOf(path, e) + ": expected " + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new ConfigException(source + ": " + keyOf(path, e) + ": "
                    + (cause == e ? e.getOriginalMessage() : cause.getMessage()), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + path + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The dotted key an error is about; the value is never part of the message, since it may be a secret. */
    private static String keyOf(String path, JsonMappingException e) {
        StringBuilder key = new StringBuilder(path);
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                key.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                key.append('[').append(ref.getIndex()).append(']');
            }
        }
        return key.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.toString()
                    .toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (type == Path.class) {
            return "a path";
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "a mapping";
        }
        return "a " + type.getSimpleName();
    }
}
