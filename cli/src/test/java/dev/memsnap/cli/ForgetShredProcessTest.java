package dev.memsnap.cli;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.store.MemoryDirectories;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code memsnap forget --memory ID --shred} in a real process: a copy of the memory's snapshot file taken before
 * cannot be read afterwards, with a message that says why, while another memory's snapshots still read.
 */
class ForgetShredProcessTest {
    private static final LocalDateTime T = LocalDateTime.of(2026, 3, 1, 12, 0);

    @TempDir
    Path dir;

    @Test
    void aCopyTakenBeforeTheShreddingIsUnreadableAfterItAndOtherMemoriesStillRead() throws Exception {
        Path key = dir.resolve("key");
        Fixtures.keyFile(key);
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path store = dir.resolve("store");
        SnapshotStore writer = Fixtures.store(store, Fixtures.codec(Compression.GZIP, Fixtures.ring(key)));
        MemorySnapshot alice = TestSnapshots.snapshot(Fixtures.id(T, 1), T, 2, 3).withLineage("alice", null);
        MemorySnapshot bob = TestSnapshots.snapshot(Fixtures.id(T.plusMinutes(1), 2), T.plusMinutes(1), 2, 3)
                .withLineage("bob", null);
        writer.save(alice);
        writer.save(bob);
        Path aliceFile = MemoryDirectories.of(store, "alice").resolve(alice.snapshotId() + ".json.gz.enc");
        Path copy = Files.copy(aliceFile, store.resolve("backup-" + alice.snapshotId() + ".json.gz.enc"));

        HostileInputProcessTest.Run before = HostileInputProcessTest.memsnap(dir, "show", copy.toString(),
                "--dir", store.toString(), "--key-file", key.toString());
        assertEquals(0, before.code(), "the copy reads before: " + before);

        HostileInputProcessTest.Run forget = HostileInputProcessTest.memsnap(dir, "forget", "--memory", "alice",
                "--shred", "--dir", store.toString(), "--key-file", key.toString());
        assertEquals(0, forget.code(), forget.toString());
        assertTrue(forget.out().contains("shredded memory alice: its data key is destroyed and 1 snapshot deleted"),
                forget.toString());
        assertFalse(Files.exists(aliceFile));

        HostileInputProcessTest.Run after = HostileInputProcessTest.memsnap(dir, "show", copy.toString(),
                "--dir", store.toString(), "--key-file", key.toString());
        assertEquals(ExitCodes.DAMAGED, after.code(), after.toString());
        assertTrue(after.err().contains("its data key was shredded"), after.toString());

        HostileInputProcessTest.Run other = HostileInputProcessTest.memsnap(dir, "show", bob.snapshotId(),
                "--memory", "bob", "--dir", store.toString(), "--key-file", key.toString());
        assertEquals(0, other.code(), other.toString());
    }

    @Test
    void shreddingAnUnencryptedStoreIsRefusedAndDeletesNothing() throws Exception {
        Path store = dir.resolve("plain");
        MemorySnapshot alice = TestSnapshots.snapshot(Fixtures.id(T, 1), T, 2, 3).withLineage("alice", null);
        Fixtures.store(store, dev.memsnap.core.codec.SnapshotCodec.plain()).save(alice);
        HostileInputProcessTest.Run run = HostileInputProcessTest.memsnap(dir, "forget", "--memory", "alice",
                "--shred", "--dir", store.toString());
        assertFalse(run.code() == 0, run.toString());
        assertTrue(run.err().contains("nothing was deleted"), run.toString());
        assertTrue(Files.exists(MemoryDirectories.of(store, "alice").resolve(alice.snapshotId() + ".json")));
    }
}
