package dev.memsnap.core;

import dev.memsnap.api.ConfigException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One top-level section of {@code config.yaml}, with typed getters whose errors name the file and the key, for
 * example {@code config.yaml: memory.snapshot_interval: expected a whole number from 1 to 2147483647, got "ten"}.
 */
public final class ConfigSection {
    private final String source;
    private final String name;
    private final ObjectNode node;

    ConfigSection(String source, String name, ObjectNode node) {
        this.source = source;
        this.name = name;
        this.node = node;
    }

    /** @return the section's key in the file, for example {@code memory} */
    public String name() {
        return name;
    }

    /**
     * @param key a key of this section
     * @return whether it is set to something other than null
     */
    public boolean has(String key) {
        return node.hasNonNull(key);
    }

    /**
     * @param key      a key of this section
     * @param fallback the value when the key is absent
     * @return the value
     */
    public String string(String key, String fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw error(key, "expected a non-empty string", value);
        }
        return value.textValue();
    }

    /**
     * @param key      a key of this section
     * @param fallback the value when the key is absent
     * @return the value as a path, relative to the working directory unless absolute
     */
    public Path path(String key, Path fallback) {
        String text = string(key, null);
        return text == null ? fallback : Path.of(text);
    }

    /**
     * @param key      a key of this section
     * @param fallback the value when the key is absent
     * @return the value
     */
    public boolean bool(String key, boolean fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw error(key, "expected true or false", value);
        }
        return value.booleanValue();
    }

    /**
     * @param key      a key of this section
     * @param fallback the value when the key is absent
     * @param min      the smallest value allowed
     * @param max      the largest value allowed
     * @return the value
     */
    public int integer(String key, int fallback, int min, int max) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min
                || value.intValue() > max) {
            throw error(key, "expected a whole number from " + min + " to " + max, value);
        }
        return value.intValue();
    }

    /**
     * @param key a key of this section
     * @return the value as a list of strings, empty when absent
     */
    public List<String> strings(String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isTextual()) {
            return List.of(value.textValue());
        }
        if (!value.isArray()) {
            throw error(key, "expected a list of strings", value);
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw error(key, "expected a list of strings", value);
            }
            values.add(element.textValue());
        }
        return List.copyOf(values);
    }

    /**
     * @param key a key of this section
     * @return the nested mapping under it, if any
     */
    public Optional<ConfigSection> child(String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw error(key, "expected a mapping", value);
        }
        return Optional.of(new ConfigSection(source, name + "." + key, (ObjectNode) value));
    }

    /**
     * @param key a key of this section
     * @return a list of mappings under it, empty when absent
     */
    public List<ConfigSection> children(String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw error(key, "expected a list of mappings", value);
        }
        List<ConfigSection> children = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isObject()) {
                throw error(key, "expected a list of mappings", value);
            }
            children.add(new ConfigSection(source, name + "." + key + "[" + i + "]", (ObjectNode) value.get(i)));
        }
        return List.copyOf(children);
    }

    /**
     * @param key a key of this section whose scalar value is read as text (so {@code 500} and {@code "500"} agree)
     * @return the text
     */
    public String rawText(String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull() || !value.isValueNode()) {
            throw error(key, "expected a value", value == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : value);
        }
        return value.asText();
    }

    /**
     * Refuses keys this section does not know, for sections memsnap owns wholly.
     *
     * @param known every key the section may have
     * @return this section
     * @throws ConfigException naming the first unknown key and the nearest known one
     */
    public ConfigSection requireOnly(java.util.Collection<String> known) {
        java.util.Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!known.contains(key)) {
                throw error(key, "unknown key" + Suggestions.hint(key, known) + " (known keys: "
                        + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
        return this;
    }

    /** @return the keys set in this section, in file order */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /**
     * @param key     a key of this section
     * @param problem what is wrong with its value
     * @return an exception naming the file and the key
     */
    public ConfigException error(String key, String problem) {
        return new ConfigException(source + ": " + name + "." + key + ": " + problem);
    }

    private ConfigException error(String key, String expected, JsonNode value) {
        String shown = value.isTextual() ? '"' + value.textValue() + '"' : value.toString();
        return error(key, expected + ", got " + shown);
    }
}
