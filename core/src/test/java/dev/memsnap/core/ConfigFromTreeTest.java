package dev.memsnap.core;

import dev.memsnap.api.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ConfigFile#of}: a tree of values means what the same YAML means, checked by the same code. */
class ConfigFromTreeTest {
    @Test
    void aTreeBindsAsTheSameYamlDoes() {
        ConfigFile yaml = ConfigFile.parse("config.yaml", """
                memory:
                  snapshot_dir: /tmp/snaps
                  auto_snapshot: true
                  snapshot_interval: 3
                  compression: gzip
                  compression_level: 2
                  encryption: {key_env: K, previous: [{key_file: /old}]}
                  retention: {keep_last: 5, keep_within: 7d, max_total_size: 500MB, after_auto_snapshot: true}
                plugins: {required: [audit-log]}
                """);
        ConfigFile tree = ConfigFile.of("properties", Map.of(
                "memory", Map.of("snapshot_dir", "/tmp/snaps", "auto_snapshot", true, "snapshot_interval", 3,
                        "compression", "gzip", "compression_level", 2,
                        "encryption", Map.of("key_env", "K", "previous", List.of(Map.of("key_file", "/old"))),
                        "retention", Map.of("keep_last", 5, "keep_within", "7d", "max_total_size", "500MB",
                                "after_auto_snapshot", true)),
                "plugins", Map.of("required", List.of("audit-log"))));

        assertEquals(yaml.memory(), tree.memory());
        assertEquals(yaml.bind("plugins", Memsnap.PluginSettings.class),
                tree.bind("plugins", Memsnap.PluginSettings.class));
        assertEquals("properties", tree.source());
    }

    @Test
    void aWrongValueIsReportedAsInAFileUnderTheGivenSource() {
        ConfigFile tree = ConfigFile.of("properties", Map.of("memory", Map.of("snapshot_interval", 0)));

        ConfigException e = assertThrows(ConfigException.class, tree::memory);

        assertEquals("properties: memory.snapshot_interval: expected a whole number from 1 to 2147483647, got 0",
                e.getMessage());
    }

    @Test
    void nullsCountAsAbsent() {
        java.util.HashMap<String, Object> memory = new java.util.HashMap<>();
        memory.put("snapshot_interval", null);
        assertEquals(MemoryConfig.defaults(), ConfigFile.of("properties", Map.of("memory", memory)).memory());
    }
}
