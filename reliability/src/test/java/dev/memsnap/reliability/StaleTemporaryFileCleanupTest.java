package dev.memsnap.reliability;

import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leftovers of crashed writers: a temporary file is never listed or read as a snapshot, even when its name holds a
 * snapshot id and its content is a complete snapshot; starting a store removes those older than the store's cut-off
 * (10 minutes) and keeps fresh ones, which may be another process's save in progress.
 */
class StaleTemporaryFileCleanupTest {
    private static final String ID = "snapshot_20250426_120000_0000abcd";
    private static final String LEFTOVER = "snapshot_20250426_120100_0000dcba";

    @Test
    void fileStoreRemovesOldLeftoversAndNeverListsThem(@TempDir Path dir) throws Exception {
        SnapshotStore store = Stores.started(Stores.Kind.FILE, dir, SnapshotCodec.plain());
        store.save(TestSnapshots.snapshot(ID, LocalDateTime.of(2025, 4, 26, 12, 0), 2, 1));
        byte[] complete = SnapshotCodec.plain().encode(
                TestSnapshots.snapshot(LEFTOVER, LocalDateTime.of(2025, 4, 26, 12, 1), 1, 1));
        List<Path> old = List.of(dir.resolve("." + LEFTOVER + ".json.0123456789abcdef.tmp"),
                dir.resolve(".memsnap").resolve("." + LEFTOVER + ".json.sha256.0123456789abcdef.tmp"));
        Path fresh = dir.resolve("." + LEFTOVER + ".json.fedcba9876543210.tmp");
        checkCleanup(Stores.Kind.FILE, dir, complete, old, fresh);
    }

    @Test
    void incrementalStoreRemovesOldLeftoversAndNeverListsThem(@TempDir Path dir) throws Exception {
        SnapshotStore store = Stores.started(Stores.Kind.INCREMENTAL, dir, SnapshotCodec.plain());
        store.save(TestSnapshots.snapshot(ID, LocalDateTime.of(2025, 4, 26, 12, 0), 2, 1));
        byte[] complete = "{}".getBytes();
        Path chunkBucket = Files.createDirectories(dir.resolve("chunks").resolve("ab"));
        List<Path> old = List.of(dir.resolve("manifests").resolve("." + LEFTOVER + ".json.0123456789abcdef.tmp"),
                chunkBucket.resolve(".ab" + "0".repeat(62) + ".0123456789abcdef.tmp"));
        Path fresh = dir.resolve("manifests").resolve("." + LEFTOVER + ".json.fedcba9876543210.tmp");
        checkCleanup(Stores.Kind.INCREMENTAL, dir, complete, old, fresh);
    }

    private static void checkCleanup(Stores.Kind kind, Path dir, byte[] content, List<Path> old, Path fresh)
            throws Exception {
        List<Path> all = new ArrayList<>(old);
        all.add(fresh);
        for (Path temp : all) {
            Files.write(temp, content);
        }
        for (Path temp : old) {
            Files.setLastModifiedTime(temp, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        }

        SnapshotStore restarted = Stores.started(kind, dir, SnapshotCodec.plain());
        for (Path temp : old) {
            assertTrue(Files.notExists(temp), "start() kept a temporary file an hour old: " + temp);
        }
        assertTrue(Files.exists(fresh), "start() removed a fresh temporary file, perhaps a save in progress");
        assertEquals(List.of(ID), restarted.list().stream().map(SnapshotMetadata::snapshotId).toList(),
                "a temporary file was listed as a snapshot");
        assertEquals(List.of(ID), restarted.storedIds());
        assertTrue(restarted.read(LEFTOVER).isEmpty(), "a temporary file was read as a snapshot");
    }
}
