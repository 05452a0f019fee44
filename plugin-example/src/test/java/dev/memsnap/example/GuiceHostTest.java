package dev.memsnap.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemorySnapshotModule;
import dev.memsnap.core.MemsnapLifecycle;
import dev.memsnap.core.PluginModule;
import dev.memsnap.example.audit.AuditLogPlugin;
import dev.memsnap.example.store.DirectorySnapshotStoreAccess;
import dev.memsnap.example.store.DirectoryStorePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host that builds its own injector, as the README shows: {@code PluginModule} beside {@code MemorySnapshotModule},
 * started and stopped through {@code MemsnapLifecycle}. No class path scanning, no plugin directory.
 */
class GuiceHostTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theAuditPluginInstalledAsAModuleAuditsTheHostsOperations() throws IOException {
        Path audit = dir.resolve("audit.jsonl");
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: " + dir.resolve("snapshots")
                + "\naudit:\n  file: " + audit + "\n");
        Injector injector = Guice.createInjector(new MemorySnapshotModule(config.memory()),
                new PluginModule(config, List.of(new AuditLogPlugin())));
        assertFalse(Files.exists(audit), "building the injector opens nothing");
        MemsnapLifecycle lifecycle = injector.getInstance(MemsnapLifecycle.class).start();
        String id;
        try {
            EnhancedMemoryManager memory = injector.getInstance(EnhancedMemoryManager.class);
            memory.addTurn("user", "Hello");
            id = memory.createSnapshot();
            memory.saveSnapshot(id);
        } finally {
            lifecycle.stop();
        }
        List<String> actions = new ArrayList<>();
        for (String line : Files.readAllLines(audit)) {
            JsonNode event = JSON.readTree(line).get("memory_snapshot");
            assertEquals(id, event.get("snapshot_id").asText());
            actions.add(event.get("action").asText());
        }
        assertEquals(List.of("create", "save"), actions);
        assertTrue(Files.exists(dir.resolve("snapshots").resolve(id + ".json")), "core's file store, the default");
    }

    @Test
    void bothExamplePluginsInstalledAsAModuleStoreInTheExampleDirectory() throws IOException {
        Path audit = dir.resolve("audit.jsonl");
        Path store = dir.resolve("example-store");
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  store: example-directory\n"
                + "  example_directory:\n    path: " + store + "\naudit:\n  file: " + audit + "\n");
        Injector injector = Guice.createInjector(new MemorySnapshotModule(config.memory()),
                new PluginModule(config, List.of(new AuditLogPlugin(), new DirectoryStorePlugin())));
        assertTrue(DirectorySnapshotStoreAccess.isExampleStore(injector.getInstance(SnapshotStore.class)));
        assertFalse(Files.exists(store), "building the injector creates nothing");
        String id;
        try (MemsnapLifecycle lifecycle = injector.getInstance(MemsnapLifecycle.class).start()) {
            assertTrue(lifecycle.isRunning());
            assertTrue(Files.isDirectory(store), "the store creates its directory when started");
            EnhancedMemoryManager memory = injector.getInstance(EnhancedMemoryManager.class);
            memory.addTurn("user", "Hello");
            id = memory.createSnapshot();
            memory.saveSnapshot(id);
            assertEquals(id, injector.getInstance(SnapshotStore.class).read(id).orElseThrow().snapshotId());
        }
        assertTrue(Files.exists(store.resolve(id + ".snapshot")));
        assertEquals(2, Files.readAllLines(audit).size());
    }
}
