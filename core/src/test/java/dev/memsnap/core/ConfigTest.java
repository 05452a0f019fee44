package dev.memsnap.core;

import dev.memsnap.api.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), yaml);
    }

    @Test
    void defaultsAreTheSeeds() {
        assertEquals(new MemoryConfig(Path.of("data/memory/snapshots"), false, 10), MemoryConfig.defaults());
    }

    @Test
    void readsTheMemorySectionAndIgnoresTheHostsKeys() throws IOException {
        Path file = write("""
                assistant:
                  name: Coda
                memory:
                  # Other memory settings...
                  max_short_term_turns: 20
                  vector_db: chroma
                  snapshot_dir: /var/lib/coda/snapshots
                  auto_snapshot: true
                  snapshot_interval: 25
                """);
        assertEquals(new MemoryConfig(Path.of("/var/lib/coda/snapshots"), true, 25), MemoryConfig.load(file));
    }

    @Test
    void anEmptyFileOrSectionGivesTheDefaults() throws IOException {
        assertEquals(MemoryConfig.defaults(), MemoryConfig.load(write("")));
        assertEquals(MemoryConfig.defaults(), MemoryConfig.load(write("memory:\n")));
        assertEquals(MemoryConfig.defaults(), MemoryConfig.load(write("other: 1\n")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "'snapshot_interval: 0'        | memory.snapshot_interval: expected a whole number from 1",
            "'snapshot_interval: ten'      | memory.snapshot_interval: expected a whole number from 1 to 2147483647, got \"ten\"",
            "'snapshot_interval: 2.5'      | memory.snapshot_interval",
            "'snapshot_interval: 99999999999' | memory.snapshot_interval",
            "'auto_snapshot: maybe'        | memory.auto_snapshot: expected true or false, got \"maybe\"",
            "'snapshot_dir: [a, b]'        | memory.snapshot_dir: expected a non-empty string",
            "'snapshot_dir: \"\"'          | memory.snapshot_dir: expected a non-empty string",
    })
    void aBadValueNamesTheFileAndTheKey(String entry, String expected) throws IOException {
        Path file = write("memory:\n  " + entry + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> MemoryConfig.load(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aMissingOrMalformedFileSaysSo() throws IOException {
        Path missing = dir.resolve("nope.yaml");
        assertEquals("config file not found: " + missing,
                assertThrows(ConfigException.class, () -> MemoryConfig.load(missing)).getMessage());
        ConfigException e = assertThrows(ConfigException.class, () -> MemoryConfig.load(write("memory: [1, 2\n")));
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> MemoryConfig.load(write("memory: 5\n")));
        assertTrue(e.getMessage().contains("memory: expected a mapping"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> MemoryConfig.load(write("- a\n- b\n")));
        assertTrue(e.getMessage().contains("expected a mapping of sections"), e.getMessage());
    }

    @Test
    void pluginsReadTheirOwnSections() {
        ConfigFile config = ConfigFile.parse("inline", """
                websocket:
                  enabled: true
                  port: 9000
                  allowed_origins: [http://localhost:3000]
                """);
        ConfigSection ws = config.section("websocket");
        assertTrue(ws.bool("enabled", false));
        assertEquals(9000, ws.integer("port", 8765, 0, 65535));
        assertEquals(java.util.List.of("http://localhost:3000"), ws.strings("allowed_origins"));
        assertEquals("/memsnap", ws.string("path", "/memsnap"));
        assertEquals("inline: websocket.port: expected a whole number from 0 to 80, got 9000",
                assertThrows(ConfigException.class, () -> ws.integer("port", 1, 0, 80)).getMessage());
    }
}
