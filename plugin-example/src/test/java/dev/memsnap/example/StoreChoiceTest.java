package dev.memsnap.example;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.ConfigException;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.core.SnapshotStores;
import dev.memsnap.example.store.DirectorySnapshotStoreAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code memory.store: example-directory} picks the example store, for a running memsnap and for every tool alike. */
class StoreChoiceTest {
    @TempDir
    Path dir;

    private ConfigFile config(String extra) {
        return ConfigFile.parse("config.yaml", "memory:\n  store: example-directory\n  example_directory:\n    path: "
                + dir.resolve("store") + "\n" + extra + "audit:\n  file: " + dir.resolve("audit.jsonl") + "\n");
    }

    @Test
    void aRunningMemsnapAndTheToolsOpenTheSameStore() {
        String id;
        try (Memsnap memsnap = Memsnap.start(config(""))) {
            assertTrue(DirectorySnapshotStoreAccess.isExampleStore(memsnap.store()), memsnap.store().toString());
            EnhancedMemoryManager memory = memsnap.manager();
            memory.addTurn("user", "My name is Alice.");
            id = memory.createSnapshot();
            URI location = memory.saveSnapshot(id);
            assertTrue(Files.exists(Path.of(location)), location.toString());
            memory.loadSnapshot(location);
            assertEquals(List.of(id), memory.listSnapshots().stream().map(SnapshotMetadata::snapshotId).toList());
        }
        try (SnapshotStores.Opened opened = SnapshotStores.open(config(""))) {
            assertEquals("example-directory", opened.name());
            assertTrue(DirectorySnapshotStoreAccess.isExampleStore(opened.store()));
            MemorySnapshot read = opened.store().read(id).orElseThrow();
            assertEquals(1, read.shortTerm().turns().size());
        }
    }

    @Test
    void aMisspeltKeyOfTheStoresSectionStopsStartUpNamingIt() {
        ConfigFile config = ConfigFile.parse("config.yaml",
                "memory:\n  store: example-directory\n  example_directory:\n    paht: x\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Memsnap.start(config));
        assertTrue(e.getMessage().contains("memory.example_directory.paht"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean path?"), e.getMessage());
    }
}
