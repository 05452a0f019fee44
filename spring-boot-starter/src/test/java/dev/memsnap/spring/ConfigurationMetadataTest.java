package dev.memsnap.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.dashboard.DashboardConfig;
import dev.memsnap.store.postgres.PostgresStoreConfig;
import dev.memsnap.websocket.WebSocketConfig;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URL;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The metadata the configuration processor generated lists every property, each described, so that IDEs complete
 * and document them; and every config.yaml key under memory: that memsnap (and memsnap-store-postgres) reads, and
 * under websocket: and dashboard: that their plugins read, has its property.
 */
class ConfigurationMetadataTest {
    private static final Set<String> ENCRYPTION = Set.of("key_file", "key_env", "passphrase_env", "previous");
    private static final Set<String> RETENTION = Set.of("keep_last", "keep_within", "keep_hourly", "keep_daily",
            "keep_weekly", "keep_monthly", "max_total_size", "after_auto_snapshot");
    private static final Set<String> STARTER_ONLY = Set.of("memsnap.config-file", "memsnap.chat-memory.enabled",
            "memsnap.chat-memory.restore-max-messages", "memsnap.vector-store.enabled",
            "memsnap.vector-store.memory-id-key", "memsnap.vector-store.memory-id");
    private static final Set<String> ACTUATOR = Set.of("memsnap.actuator.write", "memsnap.actuator.write-role",
            "management.endpoint.memsnap.access", "management.endpoint.memsnap.cache.time-to-live");

    @Test
    void theGeneratedMetadataListsEveryPropertyWithADescription() throws Exception {
        TreeMap<String, String> described = new TreeMap<>();
        URL url = MemsnapProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI().resolve(
                "META-INF/spring-configuration-metadata.json").toURL();
        try (InputStream in = url.openStream()) {
            for (JsonNode property : JsonMapper.builder().build().readTree(in).get("properties")) {
                described.put(property.get("name").textValue(), property.path("description").asText(""));
            }
        }

        TreeSet<String> expected = new TreeSet<>(STARTER_ONLY);
        expected.addAll(ACTUATOR);
        for (String key : MemoryConfig.KEYS) {
            switch (key) {
                case "encryption" -> ENCRYPTION.forEach(k -> expected.add(spring("encryption", k)));
                case "retention" -> RETENTION.forEach(k -> expected.add(spring("retention", k)));
                case "postgres" -> keys(PostgresStoreConfig.class).forEach(k -> expected.add(spring("postgres", k)));
                default -> expected.add(spring(null, key));
            }
        }
        // every key of the websocket: and dashboard: sections, as their plugins bind them
        keys(WebSocketConfig.class).forEach(k -> expected.add(spring(WebSocketConfig.SECTION, k)));
        keys(DashboardConfig.class).forEach(k -> expected.add(spring(DashboardConfig.SECTION, k)));

        assertEquals(expected, described.keySet());
        assertEquals(Set.of(), described.entrySet().stream().filter(e -> e.getValue().isBlank())
                .map(java.util.Map.Entry::getKey).collect(Collectors.toSet()), "properties without a description");
        assertFalse(Stream.of("memsnap.snapshot-interval").anyMatch(p -> described.get(p).contains("{@")),
                "javadoc tags do not leak into IDE text");
    }

    /** A record's components as config.yaml's snake_case keys. */
    private static Stream<String> keys(Class<? extends Record> section) {
        return Arrays.stream(section.getRecordComponents())
                .map(c -> c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT));
    }

    private static String spring(String section, String key) {
        return "memsnap." + (section == null ? "" : section + ".") + key.replace('_', '-');
    }
}
