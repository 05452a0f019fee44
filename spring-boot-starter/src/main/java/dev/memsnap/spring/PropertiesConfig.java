package dev.memsnap.spring;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.memsnap.api.ConfigException;
import dev.memsnap.core.ConfigFile;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code memsnap.*} properties into the configuration a {@code config.yaml} of the same settings would
 * be, so that memsnap's one validator checks them, and its messages back into the properties' names.
 */
final class PropertiesConfig {
    /** What a message calls the configuration before {@link #translate} names the property. */
    static final String SOURCE = "Spring properties " + MemsnapProperties.PREFIX + ".*";
    /** Properties of the starter's own, not of {@code config.yaml}. */
    private static final List<String> STARTER_ONLY = List.of("config_file", "chat_memory");
    /** A bean property's name in snake case is its key in {@code config.yaml}: one name, by construction. */
    private static final JsonMapper TREE = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
    private static final Pattern KEYED = Pattern.compile("([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*|\\[\\d+])*): (.*)",
            Pattern.DOTALL);

    private PropertiesConfig() {
    }

    /**
     * @param properties the bound properties
     * @return the configuration they give: the named {@code config.yaml}, or the properties as its {@code memory:}
     * @throws ConfigException when {@code memsnap.config-file} is given together with settings it holds
     */
    static ConfigFile configFile(MemsnapProperties properties) {
        Map<String, Object> memory = memorySection(properties);
        if (properties.getConfigFile() != null) {
            if (!memory.isEmpty()) {
                throw new ConfigException(MemsnapProperties.PREFIX + ".config-file: given together with "
                        + String.join(", ", memory.keySet().stream().map(PropertiesConfig::property).toList())
                        + "; set memsnap's settings either in that file or as properties, not both");
            }
            return ConfigFile.load(properties.getConfigFile());
        }
        return ConfigFile.of(SOURCE, Map.of("memory", memory));
    }

    /** The properties that are {@code config.yaml}'s, as its {@code memory:} section, unset ones left out. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> memorySection(MemsnapProperties properties) {
        Map<String, Object> tree = TREE.convertValue(properties, LinkedHashMap.class);
        STARTER_ONLY.forEach(tree::remove);
        dropEmpty(tree);
        return tree;
    }

    /** Removes mappings and lists left empty by unset properties, which config.yaml would leave out. */
    @SuppressWarnings("unchecked")
    private static boolean dropEmpty(Object value) {
        if (value instanceof Map<?, ?> map) {
            Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
            while (entries.hasNext()) {
                if (dropEmpty(entries.next().getValue())) {
                    entries.remove();
                }
            }
            return map.isEmpty();
        }
        if (value instanceof List<?> list) {
            list.forEach(PropertiesConfig::dropEmpty);
            return list.isEmpty();
        }
        return false;
    }

    /**
     * @param e          an error memsnap raised about the configuration built by {@link #configFile}
     * @param properties the properties it was built from
     * @return the same error naming the Spring property ({@code memsnap.snapshot-interval}) rather than the YAML key
     *         ({@code memory.snapshot_interval}); an error about a {@code config.yaml} is returned as it is
     */
    static ConfigException translate(ConfigException e, MemsnapProperties properties) {
        String message = String.valueOf(e.getMessage());
        if (properties.getConfigFile() != null) {
            return e;
        }
        // core's messages are "source: key: problem"; a few about memory.store name no source
        String rest = message.startsWith(SOURCE + ": ") ? message.substring(SOURCE.length() + 2) : message;
        Matcher keyed = KEYED.matcher(rest);
        if (!keyed.matches()) {
            return rest.equals(message) ? e : new ConfigException(MemsnapProperties.PREFIX + ".*: " + rest, e);
        }
        String key = keyed.group(1);
        String property = key.startsWith("memory.") ? property(key.substring("memory.".length()))
                : key.equals("memory") ? MemsnapProperties.PREFIX : property(key);
        return new ConfigException(property + ": " + keyed.group(2), e);
    }

    /** {@code retention.keep_daily} is {@code memsnap.retention.keep-daily}. */
    private static String property(String yamlKey) {
        return MemsnapProperties.PREFIX + "." + yamlKey.replace('_', '-').toLowerCase(Locale.ROOT);
    }
}
