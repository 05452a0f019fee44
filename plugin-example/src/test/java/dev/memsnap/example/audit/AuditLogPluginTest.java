package dev.memsnap.example.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memsnap.api.ConfigException;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.example.store.DirectoryStorePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin as memsnap sees it on the class path. (Loading it as a dropped-in jar from a plugin directory is
 * {@code DropInJarIT}'s, on the packaged jar; the example host does it too.)
 */
class AuditLogPluginTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static List<JsonNode> auditLines(Path audit) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(audit)) {
            lines.add(JSON.readTree(line).get("memory_snapshot"));
        }
        return lines;
    }

    @Test
    void serviceLoaderFindsThePluginByItsServicesFile() {
        List<String> names = ServiceLoader.load(MemsnapPlugin.class).stream()
                .map(p -> p.get().name()).toList();
        assertEquals(List.of(AuditLogPlugin.NAME, DirectoryStorePlugin.NAME), names);
    }

    @Test
    void everyOperationOfARunningMemsnapIsAudited() throws IOException {
        Path audit = dir.resolve("audit.jsonl");
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: " + dir.resolve("snapshots")
                + "\naudit:\n  file: " + audit + "\n");
        String id;
        try (Memsnap memsnap = Memsnap.start(config)) {
            assertEquals(List.of(AuditLogPlugin.NAME, DirectoryStorePlugin.NAME),
                    memsnap.plugins().stream().map(MemsnapPlugin::name).toList());
            EnhancedMemoryManager memory = memsnap.manager();
            memory.addTurn("user", "My name is Alice.\nSecond line.");
            id = memory.createSnapshot();
            URI location = memory.saveSnapshot(id);
            memory.loadSnapshot(location);
            memory.applySnapshot(id);
            memory.listSnapshots();
        }
        List<JsonNode> lines = auditLines(audit);
        assertEquals(List.of("create", "save", "load", "apply", "list"),
                lines.stream().map(l -> l.get("action").asText()).toList());
        assertTrue(lines.subList(0, 4).stream().allMatch(l -> id.equals(l.get("snapshot_id").asText())));
        assertTrue(lines.get(3).get("success").asBoolean());
    }

    @Test
    void aWrongAuditFileStopsStartUpNamingTheKey() {
        ConfigFile config = ConfigFile.parse("config.yaml", "audit:\n  file: [not, a, path]\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Memsnap.start(config));
        assertTrue(e.getMessage().contains("audit.file"), e.getMessage());
    }

    @Test
    void aMisspeltAuditKeyStopsStartUpNamingTheKnownOne() {
        ConfigFile config = ConfigFile.parse("config.yaml", "audit:\n  fiel: audit.jsonl\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Memsnap.start(config));
        assertTrue(e.getMessage().contains("audit.fiel"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean file?"), e.getMessage());
    }

    @Test
    void anEmptyAuditFileStopsStartUpNamingTheKey() {
        ConfigFile config = ConfigFile.parse("config.yaml", "audit:\n  file: ''\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Memsnap.start(config));
        assertTrue(e.getMessage().contains("audit"), e.getMessage());
        assertTrue(e.getMessage().contains("config.yaml: audit.file: expected a file, not an empty path"),
                e.getMessage());
    }

    @Test
    void disabledTheAuditWritesNothing() {
        Path audit = dir.resolve("audit.jsonl");
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: " + dir.resolve("snapshots")
                + "\naudit:\n  enabled: false\n  file: " + audit + "\n");
        try (Memsnap memsnap = Memsnap.start(config)) {
            memsnap.manager().saveSnapshot(memsnap.manager().createSnapshot());
        }
        assertFalse(Files.exists(audit));
    }
}
