package dev.memsnap.spring;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.memsnap.api.ConfigException;
import dev.memsnap.core.ConfigFile;
import org.springframework.util.ClassUtils;

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
    private static final List<String> STARTER_ONLY = List.of("config_file", "chat_memory", "vector_store");
    /**
     * The plugins' sections the properties hold, each with the class that tells its jar is there and the jar's
     * artifact: the plugins themselves are found by {@code Memsnap.start} on the class path.
     */
    private static final Map<String, List<String>> PLUGINS = Map.of(
            "websocket", List.of("dev.memsnap.websocket.WebSocketPlugin", "memsnap-websocket"),
            "dashboard", List.of("dev.memsnap.dashboard.DashboardPlugin", "memsnap-dashboard"));
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
     * @return the configuration they give: the named {@code config.yaml}, or the properties as its {@code memory:},
     *         {@code websocket:} and {@code dashboard:} sections
     * @throws ConfigException when {@code memsnap.config-file} is given together with settings it holds, or an event
     *                         server or dashboard is enabled whose jar is not on the class path
     */
    static ConfigFile configFile(MemsnapProperties properties) {
        Map<String, Object> sections = sections(properties);
        if (properties.getConfigFile() != null) {
            if (!sections.isEmpty()) {
                throw new ConfigException(MemsnapProperties.PREFIX + ".config-file: given together with "
                        + String.join(", ", settings(sections)) + "; set memsnap's settings either in that file or as "
                        + "properties, not both");
            }
            return ConfigFile.load(properties.getConfigFile());
        }
        PLUGINS.forEach((section, plugin) -> {
            if (sections.get(section) instanceof Map<?, ?> settings && Boolean.TRUE.equals(settings.get("enabled"))
                    && !ClassUtils.isPresent(plugin.get(0), null)) {
                throw new ConfigException(property(section + ".enabled") + ": true, but " + plugin.get(1)
                        + " is not on the class path; add the dependency dev.memsnap:" + plugin.get(1));
            }
        });
        sections.putIfAbsent("memory", Map.of());
        return ConfigFile.of(SOURCE, sections);
    }

    /**
     * The properties that are {@code config.yaml}'s, as its sections ({@code memory:} first, then
     * {@code websocket:} and {@code dashboard:}), unset ones and empty sections left out.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> sections(MemsnapProperties properties) {
        Map<String, Object> memory = TREE.convertValue(properties, LinkedHashMap.class);
        STARTER_ONLY.forEach(memory::remove);
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("memory", memory);
        PLUGINS.keySet().forEach(section -> sections.put(section, memory.remove(section)));
        dropEmpty(sections);
        return sections;
    }

    /** Every property a section tree holds, such as {@code memsnap.retention.keep-daily}. */
    private static List<String> settings(Map<String, Object> sections) {
        List<String> settings = new java.util.ArrayList<>();
        sections.forEach((section, keys) -> ((Map<?, ?>) keys).keySet().forEach(key ->
                settings.add(section.equals("memory") ? property(String.valueOf(key))
                        : property(section + "." + key))));
        return settings;
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
        if (properties.getConfigFile() != null || message.startsWith(MemsnapProperties.PREFIX + ".")) {
            return e; // about a config.yaml, or naming the property already
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
