package dev.memsnap.core.store;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.testing.SnapshotStoreContract;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileSnapshotStoreTest extends SnapshotStoreContract {
    @TempDir
    Path dir;

    @Override
    protected SnapshotStore createStore() {
        return startedStore(dir);
    }

    @Override
    protected SnapshotStore reopenStore() {
        return startedStore(dir);
    }

    private static SnapshotStore startedStore(Path dir) {
        FileSnapshotStore store = new FileSnapshotStore(dir, SnapshotCodec.plain());
        store.start();
        return store;
    }

    @Test
    void savesOneJsonFilePerSnapshotNamedByIdAndLeavesNoTemporaryFile() throws IOException {
        MemorySnapshot snapshot = TestSnapshots.snapshot(id(1), T0, 2, 2);
        var location = store.save(snapshot);
        Path file = dir.resolve(id(1) + ".json");
        assertEquals(file.toUri(), location);
        assertArrayEquals(new SnapshotJson().toBytes(snapshot), Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of(file, dir.resolve(".memsnap")), files.collect(Collectors.toSet()));
        }
        try (Stream<Path> files = Files.list(dir.resolve(".memsnap"))) {
            assertEquals(Set.of(dir.resolve(".memsnap/" + id(1) + ".json.sha256"), dir.resolve(".memsnap/save.lock")),
                    files.collect(Collectors.toSet()));
        }
    }

    @Test
    void aChecksumCatchesDamageThatStillParses() throws Exception {
        store.save(TestSnapshots.snapshot(id(40), T0, 1, 1));
        Path file = dir.resolve(id(40) + ".json");
        Files.writeString(file, Files.readString(file).replace("turn 0 of", "turn 9 of"));

        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> store.read(id(40)));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        Verification verification = store.verify(id(40));
        assertFalse(verification.intact());
        assertTrue(verification.detail().contains("checksum mismatch"), verification.detail());

        Files.delete(dir.resolve(".memsnap/" + id(40) + ".json.sha256")); // the user accepts the edit
        assertTrue(store.read(id(40)).orElseThrow().shortTerm().turns().get(0).content().startsWith("turn 9 of"));
        Verification unchecked = store.verify(id(40));
        assertTrue(unchecked.intact());
        assertTrue(unchecked.detail().contains("no checksum recorded"), unchecked.detail());
    }

    @Test
    void labelsAndPinsAreKeptBesideTheSnapshotAndGoWithIt() {
        store.save(TestSnapshots.snapshot(id(41), T0, 1, 1));
        assertEquals(SnapshotTags.NONE, store.tags(id(41)));
        SnapshotTags tags = new SnapshotTags(Set.of("before-upgrade", "good"), true);
        store.setTags(id(41), tags);
        assertEquals(tags, reopenStore().tags(id(41)));
        StoredSnapshot inventoried = store.inventory().get(0);
        assertEquals(tags, inventoried.tags());
        assertTrue(inventoried.storedBytes() > 100);

        assertThrows(SnapshotNotFoundException.class, () -> store.setTags(id(42), tags));
        assertTrue(store.delete(id(41)));
        store.save(TestSnapshots.snapshot(id(41), T0, 1, 1));
        assertEquals(SnapshotTags.NONE, store.tags(id(41)), "a deleted snapshot's tags go with it");
    }

    @Test
    void theDirectoryIsMadeOnFirstSaveWhenNotStarted() {
        Path nested = dir.resolve("a/b/c");
        FileSnapshotStore store = new FileSnapshotStore(nested, SnapshotCodec.plain());
        assertFalse(Files.exists(nested), "construction does no I/O");
        assertEquals(List.of(), store.list());
        store.save(TestSnapshots.snapshot(id(2), T0, 1, 1));
        assertTrue(Files.exists(nested.resolve(id(2) + ".json")));
    }

    @Test
    void aFailedWriteLeavesThePreviousFileIntactAndNoTemporaryFile() throws IOException {
        Path raw = Files.createDirectory(dir.resolve("raw"));
        Path file = raw.resolve(id(3) + ".json");
        Files.writeString(file, "previous");
        IOException failure = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half of a new snap".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", failure.getMessage());
        assertEquals("previous", Files.readString(file));
        try (Stream<Path> files = Files.list(raw)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aSaveThatCannotWriteSaysWhyAndKeepsStoredSnapshots() throws IOException {
        store.save(TestSnapshots.snapshot(id(4), T0, 1, 1));
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file where the directory should be");
        FileSnapshotStore broken = new FileSnapshotStore(blocked, SnapshotCodec.plain());
        SnapshotStoreException e = assertThrows(SnapshotStoreException.class,
                () -> broken.save(TestSnapshots.snapshot(id(5), T0, 1, 1)));
        assertTrue(e.getMessage().contains(id(5)), e.getMessage());
        assertEquals(1, store.list().size());
    }

    @Test
    void listSkipsDamagedAndForeignFilesButReadNamesTheProblem() throws IOException {
        store.save(TestSnapshots.snapshot(id(6), T0, 1, 1));
        byte[] whole = new SnapshotJson().toBytes(TestSnapshots.snapshot(id(7), T0, 1, 1));
        Files.write(dir.resolve(id(7) + ".json"), java.util.Arrays.copyOf(whole, whole.length / 2));
        Files.writeString(dir.resolve("notes.json"), "{}");
        Files.writeString(dir.resolve(".snapshot_x.json.123.tmp"), "partial");

        assertEquals(List.of(id(6)), store.list().stream().map(SnapshotMetadata::snapshotId).toList());
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> store.read(id(7)));
        assertTrue(e.getMessage().contains(id(7) + ".json"), e.getMessage());
    }

    @Test
    void aFileWhoseContentHasAnotherIdIsRefused() throws IOException {
        MemorySnapshot snapshot = TestSnapshots.snapshot(id(8), T0, 1, 1);
        Files.write(dir.resolve(id(9) + ".json"), new SnapshotJson().toBytes(snapshot));
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> store.read(id(9)));
        assertTrue(e.getMessage().contains("holds snapshot " + id(8)), e.getMessage());
        assertEquals(List.of(), store.list());
    }

    @Test
    void startRemovesStaleTemporaryFilesOnly() throws IOException {
        Path stale = dir.resolve("." + id(10) + ".json.abc.tmp");
        Path fresh = dir.resolve("." + id(11) + ".json.def.tmp");
        Files.writeString(stale, "left by a crash");
        Files.writeString(fresh, "being written by another process");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
        startedStore(dir);
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh));
    }

    @Test
    void theListingCacheNeverHidesAChangeMadeBehindItsBack() throws IOException {
        store.save(TestSnapshots.snapshot(id(50), T0, 1, 1));
        assertEquals(1, store.list().get(0).shortTermTurns());
        // another tool replaces the file with a different snapshot of the same id
        Files.write(dir.resolve(id(50) + ".json"), new SnapshotJson().toBytes(TestSnapshots.snapshot(id(50), T0, 4, 2)));
        SnapshotStore fresh = reopenStore();
        assertEquals(4, fresh.list().get(0).shortTermTurns(), "a new process, with the cache on disk");
        assertEquals(4, store.list().get(0).shortTermTurns(), "the same process, with the cache in memory");

        Files.writeString(dir.resolve(".memsnap/" + ListingIndex.FILE), "damaged");
        assertEquals(List.of(id(50)), reopenStore().list().stream().map(SnapshotMetadata::snapshotId).toList());
        Files.delete(dir.resolve(id(50) + ".json"));
        assertEquals(List.of(), store.list());
    }
}
