package dev.memsnap.core.store;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.DataKeys;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crypto-shredding through the public store API: each memory's snapshots are encrypted under a data key of its own,
 * and {@link SnapshotStore#shredMemory} destroys it, so copies of that memory's snapshots taken before (a backup of
 * the snapshot files) no longer read, while every other memory's still do.
 */
class CryptoShreddingTest {
    private static final LocalDateTime T = LocalDateTime.of(2026, 3, 1, 12, 0);
    private static final KeyRing MASTER = KeyRing.ofKey(KeyRing.generateKey());

    @TempDir
    Path dir;

    private static SnapshotCodec codec(KeyRing ring) {
        return new SnapshotCodec(new SnapshotJson(), Compression.GZIP, 6, () -> ring);
    }

    private SnapshotStore open(Path root, boolean incremental, KeyRing ring) {
        SnapshotStore store = incremental ? FileStores.openIncremental(root, codec(ring))
                : FileStores.open(root, codec(ring));
        store.start();
        return store;
    }

    private static MemorySnapshot of(String memoryId, int n) {
        MemorySnapshot base = TestSnapshots.snapshot(String.format("snapshot_20260301_1200%02d_%08x", n, n),
                T.plusSeconds(n), 3, 20 + n);
        return base.withLineage(memoryId, null);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @ParameterizedTest(name = "incremental={0}")
    @ValueSource(booleans = {false, true})
    void aShreddedMemorysCopiesNoLongerReadWhileOtherMemoriesDo(boolean incremental) throws IOException {
        Path root = dir.resolve("store");
        SnapshotStore store = open(root, incremental, MASTER);
        List<MemorySnapshot> alice = List.of(of("alice", 1), of("alice", 2), of("alice", 3));
        List<MemorySnapshot> others = List.of(of("bob", 4), of("bob", 5), of("default", 6));
        alice.forEach(store::save);
        others.forEach(store::save);

        Path aliceDir = MemoryDirectories.of(root, "alice");
        Path backupOfFiles = dir.resolve("backup-of-files");
        copyTree(aliceDir, backupOfFiles); // the snapshot files only: what a backup of the memory's folder holds
        Path backupWithKeys = dir.resolve("backup-with-keys");
        copyTree(root, backupWithKeys); // everything, the hidden key folder included

        assertEquals(3, store.shredMemory("alice"));
        assertEquals(List.of(), store.list("alice"));
        assertFalse(Files.exists(aliceDir), "the memory's directory is gone");
        assertFalse(Files.exists(root.resolve(".memsnap/keys/" + DataKeys.nameOf("alice") + ".key")));
        for (MemorySnapshot s : others) {
            assertEquals(s, store.read(s.snapshotId()).orElseThrow(), "another memory still reads");
        }

        // the backup of the files is put back, as a restore would: the snapshots are there, and cannot be read
        copyTree(backupOfFiles, aliceDir);
        SnapshotStore reopened = open(root, incremental, MASTER);
        for (MemorySnapshot s : alice) {
            SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
                    () -> reopened.read("alice", s.snapshotId()));
            assertTrue(e.getMessage().contains("its data key was shredded"), e.getMessage());
        }
        for (MemorySnapshot s : others) {
            assertEquals(s, reopened.read(s.snapshotId()).orElseThrow());
        }

        // what the shredding cannot reach, said plainly: a backup that holds the keys folder still reads
        SnapshotStore fullBackup = open(backupWithKeys, incremental, MASTER);
        assertEquals(alice.get(0), fullBackup.read("alice", alice.get(0).snapshotId()).orElseThrow());
    }

    @Test
    void aMemoryUsedAgainAfterShreddingGetsANewKeyAndItsOldCopiesStayUnreadable() throws IOException {
        Path root = dir.resolve("store");
        SnapshotStore store = open(root, false, MASTER);
        MemorySnapshot old = of("alice", 1);
        store.save(old);
        Path oldFile = MemoryDirectories.of(root, "alice").resolve(old.snapshotId() + ".json.gz.enc");
        byte[] oldBytes = Files.readAllBytes(oldFile);
        store.shredMemory("alice");

        MemorySnapshot fresh = of("alice", 2);
        store.save(fresh);
        Files.write(MemoryDirectories.of(root, "alice").resolve(old.snapshotId() + ".json.gz.enc"), oldBytes);
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
                () -> store.read("alice", old.snapshotId()));
        assertTrue(e.getMessage().contains("its data key was shredded"), e.getMessage());
        assertTrue(e.getMessage().contains("the memory has a new key"), e.getMessage());
        assertEquals(fresh, store.read("alice", fresh.snapshotId()).orElseThrow());
    }

    @Test
    void aWrappedKeyMovedToAnotherMemorysNameDoesNotOpen() throws IOException {
        Path root = dir.resolve("store");
        SnapshotStore store = open(root, false, MASTER);
        MemorySnapshot alice = of("alice", 1);
        store.save(alice);
        store.save(of("bob", 2));
        Path keys = root.resolve(".memsnap/keys");
        Files.copy(keys.resolve(DataKeys.nameOf("bob") + ".key"), keys.resolve(DataKeys.nameOf("alice") + ".key"),
                StandardCopyOption.REPLACE_EXISTING);
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
                () -> open(root, false, MASTER).read("alice", alice.snapshotId()));
        assertTrue(e.getMessage().contains("belongs to another memory"), e.getMessage());
    }

    @Test
    void eachMemoryHasItsOwnKeyAndTheKeyFileHoldsItOnlyWrapped() throws IOException {
        Path root = dir.resolve("store");
        SnapshotStore store = open(root, false, MASTER);
        store.save(of("alice", 1));
        store.save(of("bob", 2));
        store.save(of("default", 3));
        Path keys = root.resolve(".memsnap/keys");
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(keys)) {
            files.filter(f -> f.toString().endsWith(".key")).forEach(f -> names.add(f.getFileName().toString()));
        }
        assertEquals(3, names.size(), names.toString());
        byte[] alice = Files.readAllBytes(keys.resolve(DataKeys.nameOf("alice") + ".key"));
        byte[] bob = Files.readAllBytes(keys.resolve(DataKeys.nameOf("bob") + ".key"));
        assertEquals(104, alice.length);
        assertFalse(java.util.Arrays.equals(alice, bob));
        if (Files.getFileStore(keys).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(keys.resolve(DataKeys.nameOf("alice") + ".key"))));
        }
    }

    @Test
    void aRotatedMasterKeyReWrapsTheDataKeysAndLeavesTheSnapshotsAsTheyAre() throws IOException {
        Path root = dir.resolve("store");
        SnapshotStore store = open(root, false, MASTER);
        MemorySnapshot alice = of("alice", 1);
        MemorySnapshot bob = of("bob", 2);
        store.save(alice);
        store.save(bob);
        Path aliceFile = MemoryDirectories.of(root, "alice").resolve(alice.snapshotId() + ".json.gz.enc");
        byte[] before = Files.readAllBytes(aliceFile);

        KeyRing next = KeyRing.ofKey(KeyRing.generateKey());
        DataKeys keys = FileStores.withDataKeys(root, codec(MASTER)).dataKeys().orElseThrow();
        assertEquals(2, keys.rewrap(next));
        assertEquals(0, keys.rewrap(next), "a second run has nothing left to do");

        SnapshotStore newKeyOnly = open(root, false, next);
        assertEquals(alice, newKeyOnly.read(alice.snapshotId()).orElseThrow());
        assertEquals(bob, newKeyOnly.read(bob.snapshotId()).orElseThrow());
        assertArrayEquals(before, Files.readAllBytes(aliceFile), "the snapshot itself was not rewritten");
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
                () -> open(root, false, MASTER).read(alice.snapshotId()));
        assertTrue(e.getMessage().contains("wrong key"), e.getMessage());
    }

    @Test
    void aStoreWithoutEncryptionRefusesToShredAndDeletesNothing() {
        SnapshotStore store = FileStores.open(dir, SnapshotCodec.plain());
        store.start();
        store.save(of("alice", 1));
        SnapshotStoreException e = assertThrows(SnapshotStoreException.class, () -> store.shredMemory("alice"));
        assertTrue(e.getMessage().contains("nothing was deleted"), e.getMessage());
        assertEquals(1, store.list("alice").size());
    }

    @Test
    void snapshotsWrittenBeforeDataKeysStillRead() throws IOException {
        Path root = dir.resolve("store");
        // written under the master key itself, as encrypted stores did before data keys
        MemorySnapshot old = of("alice", 1);
        Path aliceDir = MemoryDirectories.of(root, "alice");
        Files.createDirectories(aliceDir);
        Files.writeString(aliceDir.resolve(MemoryDirectories.MEMORY_ID_FILE), "alice");
        Files.write(aliceDir.resolve(old.snapshotId() + ".json.gz.enc"), codec(MASTER).encode(old));
        SnapshotStore store = open(root, false, MASTER);
        assertEquals(old, store.read("alice", old.snapshotId()).orElseThrow());
        assertEquals(Map.of(), Map.of());
    }
}
