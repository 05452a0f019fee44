package dev.memsnap.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A host's {@code config.yaml}, read once. memsnap owns the {@code memory:} section (see {@link MemoryConfig}); plugins
 * read their own sections, such as {@code websocket:}, through {@link #section(String)}. Everything else in the file
 * belongs to the host and is ignored.
 */
public final class ConfigFile {
    private static final YAMLMapper YAML = new YAMLMapper();

    private final String source;
    private final JsonNode root;

    private ConfigFile(String source, JsonNode root) {
        this.source = source;
        this.root = root;
    }

    /**
     * @param file a YAML file
     * @return its content
     * @throws ConfigException when the file cannot be read or is not a YAML mapping
     */
    public static ConfigFile load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param source what to call the text in messages
     * @param yaml   YAML text
     * @return its content
     * @throws ConfigException when it is not a YAML mapping
     */
    public static ConfigFile parse(String source, String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = YAML.createObjectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(source + ": expected a mapping of sections at the top level");
        }
        return new ConfigFile(source, root);
    }

    /** @return a configuration with no sections: every default */
    public static ConfigFile empty() {
        return new ConfigFile("(defaults)", YAML.createObjectNode());
    }

    /** @return the {@code memory:} section, with memsnap's defaults for what it leaves out */
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

    /** @return where this configuration came from */
    public String source() {
        return source;
    }
}
