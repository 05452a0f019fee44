package dev.memsnap.core;

import dev.memsnap.api.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sections memsnap owns refuse unknown keys; near-misses among the host's own keys are warnings. */
class ConfigCatchesTyposTest {

    /** A plugin's section, as a plugin binds it. */
    record StreamSettings(Boolean enabled, Integer port, String token, List<String> allowedOrigins, Path file) {
        StreamSettings {
            enabled = enabled != null && enabled;
            port = port == null ? 8765 : port;
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("expected a port from 0 to 65535, got " + port);
            }
        }
    }

    @Test
    void aMisspeltMemoryKeyIsAWarningNamingBothKeys() {
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  snapshot_intervall: 5\n  my_host_key: 1\n");
        assertEquals(10, config.memory().snapshotInterval(), "the host's keys are the host's: not an error");
        List<String> warnings = config.warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("memory.snapshot_intervall"), warnings.get(0));
        assertTrue(warnings.get(0).contains("did you mean snapshot_interval?"), warnings.get(0));
    }

    @Test
    void aMisspeltSectionIsAWarning() {
        List<String> warnings = ConfigFile.parse("config.yaml", "memroy:\n  auto_snapshot: true\n").warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("memroy") && warnings.get(0).contains("did you mean memory?"),
                warnings.get(0));
        assertTrue(ConfigFile.parse("c", "memory: {}\nmy_app: {x: 1}\n").warnings().isEmpty());
    }

    @Test
    void anOwnedSubsectionRefusesAnUnknownKeyWithTheNearestKnownOne() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.parse("config.yaml",
                "memory:\n  retention:\n    keep_dayly: 7\n").memory());
        assertTrue(e.getMessage().startsWith("config.yaml: memory.retention.keep_dayly: unknown key; did you mean "
                + "keep_daily?"), e.getMessage());
        ConfigException enc = assertThrows(ConfigException.class, () -> ConfigFile.parse("config.yaml",
                "memory:\n  encryption:\n    keyfile: /k\n").memory());
        assertTrue(enc.getMessage().contains("memory.encryption.keyfile: unknown key; did you mean key_file?"),
                enc.getMessage());
    }

    @Test
    void aBoundSectionRefusesAnUnknownKeyNamingTheNearestKnownOne() {
        ConfigFile config = ConfigFile.parse("config.yaml", "stream:\n  enabeld: true\n");
        ConfigException e = assertThrows(ConfigException.class, () -> config.bind("stream", StreamSettings.class));
        assertTrue(e.getMessage().startsWith("config.yaml: stream.enabeld: unknown key; did you mean enabled?"),
                e.getMessage());
    }

    /** A section with a required key. */
    record Database(String url, Integer poolSize) {
        Database {
            if (url == null) {
                throw new IllegalArgumentException("url: required");
            }
        }
    }

    @Test
    void aMisspeltRequiredKeyIsReportedAsTheTypoItIs() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.parse("config.yaml",
                "db:\n  urll: jdbc:x\n").bind("db", Database.class));
        assertTrue(e.getMessage().startsWith("config.yaml: db.urll: unknown key; did you mean url?"), e.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> ConfigFile.parse("config.yaml",
                "db:\n  pool_size: 2\n").bind("db", Database.class));
        assertTrue(missing.getMessage().startsWith("config.yaml: db.url: required"), missing.getMessage());
        ConfigException fraction = assertThrows(ConfigException.class, () -> ConfigFile.parse("config.yaml",
                "db:\n  url: x\n  pool_size: 1.5\n").bind("db", Database.class));
        assertTrue(fraction.getMessage().startsWith("config.yaml: db.pool_size: expected a whole number"),
                fraction.getMessage());
    }

    @Test
    void bindingMapsSnakeCaseKeysAndAppliesTheRecordsDefaults() {
        ConfigFile config = ConfigFile.parse("c", "stream:\n  enabled: true\n  allowed_origins: [http://a]\n"
                + "  file: data/x.jsonl\n");
        StreamSettings s = config.bind("stream", StreamSettings.class);
        assertEquals(new StreamSettings(true, 8765, null, List.of("http://a"), Path.of("data/x.jsonl")), s);
        assertTrue(s == config.bind("stream", StreamSettings.class), "each section is parsed once");
        assertEquals(new StreamSettings(false, 8765, null, List.of(), null),
                ConfigFile.empty().bind("stream", StreamSettings.class), "an absent section binds as empty");
    }

    @Test
    void aWrongValueNamesTheKeyAndNeverEchoesTheValue() {
        ConfigException type = assertThrows(ConfigException.class, () -> ConfigFile.parse("config.yaml",
                "stream:\n  token: [s3cr3t-value]\n").bind("stream", StreamSettings.class));
        assertTrue(type.getMessage().startsWith("config.yaml: stream.token: expected a string"), type.getMessage());
        assertFalse(type.getMessage().contains("s3cr3t"), type.getMessage());
        ConfigException number = assertThrows(ConfigException.class, () -> ConfigFile.parse("config.yaml",
                "stream:\n  port: 1234567\n").bind("stream", StreamSettings.class));
        assertTrue(number.getMessage().contains("expected a port from 0 to 65535"), number.getMessage());
        ConfigException notANumber = assertThrows(ConfigException.class, () -> ConfigFile.parse("config.yaml",
                "stream:\n  port: \"abc-secret\"\n").bind("stream", StreamSettings.class));
        assertTrue(notANumber.getMessage().startsWith("config.yaml: stream.port: expected a whole number"),
                notANumber.getMessage());
        assertFalse(notANumber.getMessage().contains("abc-secret"), notANumber.getMessage());
    }

    @Test
    void aKeyGivenTwiceIsRefusedNamingBothLines() {
        String yaml = "memory:\n  encryption:\n    key_file: /k\nwebsocket: {}\nmemory:\n  snapshot_dir: x\n";
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.parse("config.yaml", yaml));
        assertTrue(e.getMessage().contains("config.yaml: memory: given twice, on line 1 and on line 5"),
                e.getMessage());
        ConfigException nested = assertThrows(ConfigException.class, () -> ConfigFile.parse("config.yaml",
                "memory:\n  retention:\n    keep_last: 1\n    keep_last: 2\n"));
        assertTrue(nested.getMessage().contains("memory.retention.keep_last: given twice, on line 3 and on line 4"),
                nested.getMessage());
        // the same key in two different mappings is fine
        ConfigFile.parse("c", "a:\n  x: 1\nb:\n  x: 2\nl:\n  - {x: 1}\n  - {x: 2}\n");
    }

    @Test
    void thePluginsSectionRefusesUnknownKeysAtStart() {
        ConfigException e = assertThrows(ConfigException.class, () -> Memsnap.start(ConfigFile.parse("config.yaml",
                "memory:\n  snapshot_dir: " + System.getProperty("java.io.tmpdir") + "/memsnap-typo\n"
                        + "plugins:\n  requird: [x]\n")));
        assertTrue(e.getMessage().contains("plugins.requird: unknown key; did you mean required?"), e.getMessage());
    }

    @Test
    void distanceCountsEditsAndSwaps() {
        assertEquals(0, Suggestions.distance("keep_daily", "keep_daily"));
        assertEquals(1, Suggestions.distance("keep_dayly", "keep_daily"));
        assertEquals(1, Suggestions.distance("enabeld", "enabled"), "a swap is one edit");
        assertEquals(1, Suggestions.distance("snapshot_intervall", "snapshot_interval"));
        assertEquals(Integer.MAX_VALUE, Suggestions.distance("x".repeat(500), "x"));
    }
}
