package dev.memsnap.reliability;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.codec.EncryptionConfig;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.KeySource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Saving into a full disk: {@code saveSnapshot} fails with a {@link SnapshotStoreException} that says the disk is full,
 * the snapshots saved before stay intact, no temporary file is left, the manager keeps working, and once space returns
 * the same snapshot saves. Runs for both stores and every encoding, on a real size-capped tmpfs and on the injected
 * fault budget.
 */
class SaveOnFullDiskTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tmpfs", "injected"})
    void saveOnFullDiskFailsClearlyAndLosesNothing(String wanted, @TempDir Path tmp) throws Exception {
        Path keyFile = tmp.resolve("key");
        Files.write(keyFile, KeyRing.generateKey());
        EncryptionConfig encryption = new EncryptionConfig(new KeySource.KeyFile(keyFile), List.of());
        try (SmallDisk disk = SmallDisk.open(wanted, tmp)) {
            ReliabilityRun.figure(SaveOnFullDiskTest.class, "disk." + wanted, disk.kind());
            for (Stores.Kind kind : Stores.Kind.values()) {
                for (Layers layers : Layers.values()) {
                    Path dir = disk.root().resolve("snapshots-" + kind + "-" + layers.name().toLowerCase());
                    MemoryConfig config = new MemoryConfig(dir, false, 10).withStore(kind.configName)
                            .withCompression(layers.compression(), 6)
                            .withEncryption(layers.encrypted() ? encryption : null);
                    try (RunningManager running = RunningManager.start(config)) {
                        checkFullDisk(disk, running, dir, kind + " store, " + layers + ", on " + disk.kind());
                    }
                    // The next encoding starts with an empty disk again.
                    TempFiles.deleteTree(dir);
                }
            }
        }
    }

    private static void checkFullDisk(SmallDisk disk, RunningManager running, Path dir, String where) throws Exception {
        EnhancedMemoryManager manager = running.manager();
        SnapshotStore store = running.store();
        Map<String, MemorySnapshot> saved = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            manager.addTurn("user", "message " + i + " \uD83D\uDE00");
            manager.addMemory("fact " + i, "fact", 0.5, List.of("t" + i));
            String id = manager.createSnapshot();
            manager.saveSnapshot(id);
            saved.put(id, manager.getSnapshot(id).orElseThrow());
        }

        disk.fill();
        manager.addTurn("user", "said while the disk is full");
        String blocked = manager.createSnapshot();
        SnapshotStoreException failure = assertThrows(SnapshotStoreException.class,
                () -> manager.saveSnapshot(blocked), where + ": a save into a full disk must fail");
        assertTrue(failure.getMessage().contains(FaultyFileSystem.NO_SPACE),
                where + ": the error should say the disk is full: " + failure.getMessage());
        assertTrue(failure.getMessage().contains(blocked), where + ": the error should name the snapshot: "
                + failure.getMessage());

        assertEarlierSnapshotsIntact(store, saved, where + ", disk full");
        List<String> listed = manager.listSnapshots().stream().map(SnapshotMetadata::snapshotId).toList();
        assertTrue(listed.contains(blocked), where + ": the unsaved snapshot is still held in memory");
        assertTrue(!store.storedIds().contains(blocked), where + ": the failed save left a file behind");
        assertEquals(List.of(), TempFiles.in(dir), where + ": the failed save left temporary files");

        // The manager keeps working while the disk is full: memory, capture and apply do not need the disk.
        manager.addTurn("assistant", "still answering");
        String afterwards = manager.createSnapshot();
        assertTrue(manager.applySnapshot(saved.keySet().iterator().next()), where + ": apply while full");

        disk.free();
        manager.saveSnapshot(blocked);
        manager.saveSnapshot(afterwards);
        saved.put(blocked, manager.getSnapshot(blocked).orElseThrow());
        saved.put(afterwards, manager.getSnapshot(afterwards).orElseThrow());
        assertEarlierSnapshotsIntact(store, saved, where + ", after space returned");
    }

    private static void assertEarlierSnapshotsIntact(SnapshotStore store, Map<String, MemorySnapshot> saved,
                                                     String where) {
        for (Map.Entry<String, MemorySnapshot> e : saved.entrySet()) {
            Verification v = store.verify(e.getKey());
            assertTrue(v.intact(), where + ": " + e.getKey() + " damaged: " + v.detail());
            assertEquals(e.getValue(), store.read(e.getKey()).orElseThrow(), where + ": " + e.getKey() + " changed");
        }
    }
}
