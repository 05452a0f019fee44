package dev.memsnap.acceptance;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.ConfigException;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.MemorySnapshotModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code MemoryConfig.load} reads the {@code memory:} section of a host's {@code config.yaml}. */
class ConfigAcceptanceTest {

    @TempDir
    Path tmp;

    private Path yaml(String text) {
        return Acceptance.write(tmp.resolve("config.yaml"), text);
    }

    @Test
    void defaultsAreTheSeeds() {
        MemoryConfig d = MemoryConfig.defaults();
        assertEquals(Path.of("data/memory/snapshots"), d.snapshotDir());
        assertFalse(d.autoSnapshot());
        assertEquals(10, d.snapshotInterval());
    }

    @Test
    void loadReadsItsKeysAndIgnoresTheHostsUnderMemory() {
        Path file = yaml("""
                # a host's config.yaml
                llm:
                  model: some-model
                  temperature: 0.2
                memory:
                  # host keys memsnap does not own
                  short_term_limit: 20
                  long_term_enabled: yes
                  vector_db:
                    url: http://localhost:6333
                    collections: [a, b]
                  embedding_model: "all-MiniLM-L6-v2"
                  snapshot_dir: /var/lib/coda/snapshots
                  auto_snapshot: true
                  snapshot_interval: 7
                websocket:
                  port: 8765
                """);
        MemoryConfig cfg = MemoryConfig.load(file);
        assertEquals(new MemoryConfig(Path.of("/var/lib/coda/snapshots"), true, 7), cfg);
        assertEquals(cfg, ConfigFile.load(file).memory());
    }

    @Test
    void missingKeysTakeDefaults() {
        assertEquals(MemoryConfig.defaults(), MemoryConfig.load(yaml("memory:\n  short_term_limit: 5\n")));
        assertEquals(MemoryConfig.defaults(), MemoryConfig.load(yaml("llm:\n  model: x\n")));
        assertEquals(new MemoryConfig(Path.of("data/memory/snapshots"), false, 3),
                MemoryConfig.load(yaml("memory:\n  snapshot_interval: 3\n")));
        assertEquals(MemoryConfig.defaults(), MemoryConfig.load(yaml("memory:\n")));
        assertEquals(MemoryConfig.defaults(), MemoryConfig.load(yaml("")));
        assertEquals(new MemoryConfig(Path.of("snaps"), false, 10),
                MemoryConfig.load(yaml("memory:\n  snapshot_dir: snaps\n")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "snapshot_interval|0",
            "snapshot_interval|-3",
            "snapshot_interval|\"ten\"",
            "snapshot_interval|ten",
            "snapshot_interval|2.5",
            "snapshot_interval|99999999999",
            "snapshot_interval|[1, 2]",
            "auto_snapshot|maybe",
            "snapshot_dir|[a, b]",
            "snapshot_dir|{x: 1}",
            "snapshot_dir|\"\"",
    })
    void aBadValueFailsWithAMessageNamingTheKey(String key, String value) {
        Path file = yaml("memory:\n  other_host_key: fine\n  " + key + ": " + value + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> MemoryConfig.load(file));
        assertTrue(e.getMessage().contains(key), "message names " + key + ": " + e.getMessage());
    }

    @Test
    void missingFileFailsClearly() {
        Path missing = tmp.resolve("no-such-config.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> MemoryConfig.load(missing));
        assertTrue(e.getMessage().contains("no-such-config.yaml"), e.getMessage());
    }

    @Test
    void invalidYamlFailsClearly() {
        Path file = yaml("memory:\n  snapshot_dir: [unclosed\n  auto_snapshot: true\n");
        ConfigException e = assertThrows(ConfigException.class, () -> MemoryConfig.load(file));
        assertTrue(e.getMessage().contains("config.yaml"), e.getMessage());
    }

    @Test
    void memorySectionThatIsNotAMappingFails() {
        Path file = yaml("memory: 42\n");
        ConfigException e = assertThrows(ConfigException.class, () -> MemoryConfig.load(file));
        assertTrue(e.getMessage().contains("memory"), e.getMessage());
    }

    @Test
    void moduleConstructionAndInjectorCreationDoNoIo() {
        Path dir = tmp.resolve("not").resolve("yet").resolve("there");
        MemorySnapshotModule module = new MemorySnapshotModule(Acceptance.config(dir));
        Injector injector = Guice.createInjector(module);
        EnhancedMemoryManager m = injector.getInstance(EnhancedMemoryManager.class);
        assertFalse(Files.exists(tmp.resolve("not")), "nothing created before a save");
        m.addTurn("user", "hi");
        m.createSnapshot();
        assertFalse(Files.exists(tmp.resolve("not")), "nothing created before a save");
        assertEquals(1, m.listSnapshots().size());
    }

    @Test
    void theConfiguredSnapshotDirIsUsed() {
        Path dir = tmp.resolve("configured");
        MemoryConfig cfg = MemoryConfig.load(yaml("memory:\n  snapshot_dir: \"" + dir + "\"\n"));
        EnhancedMemoryManager m = Guice.createInjector(new MemorySnapshotModule(cfg))
                .getInstance(EnhancedMemoryManager.class);
        String id = m.createSnapshot();
        m.saveSnapshot(id);
        assertTrue(Files.isRegularFile(dir.resolve(id + ".json")));
    }
}
