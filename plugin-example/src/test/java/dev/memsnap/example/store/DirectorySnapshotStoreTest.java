package dev.memsnap.example.store;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.testing.SnapshotStoreContract;
import dev.memsnap.core.testing.TestSnapshots;
import dev.memsnap.example.Contexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example store passes core's store contract, and keeps what the contract does not yet ask: tags, sizes, damaged
 * snapshots reported rather than listed, the configured encoding.
 */
class DirectorySnapshotStoreTest extends SnapshotStoreContract {
    private static final PluginContext CONTEXT = Contexts.defaults();

    @TempDir
    Path dir;

    @Override
    protected SnapshotStore createStore() {
        return started(new DirectorySnapshotStore(dir.resolve("store"), CONTEXT));
    }

    @Override
    protected SnapshotStore reopenStore() {
        return started(new DirectorySnapshotStore(dir.resolve("store"), CONTEXT));
    }

    private static SnapshotStore started(SnapshotStore store) {
        store.start();
        return store;
    }

    @Test
    void tagsAreKeptReplacedAndRemoved() {
        store.save(TestSnapshots.snapshot(id(40), T0, 1, 1));
        assertEquals(SnapshotTags.NONE, store.tags(id(40)));
        SnapshotTags tags = new SnapshotTags(Set.of("before release", "two\nlines", "ünïcode"), true);
        store.setTags(id(40), tags);
        assertEquals(tags, store.tags(id(40)));
        assertEquals(tags, reopenStore().tags(id(40)), "tags are stored, not held");
        store.setTags(id(40), new SnapshotTags(Set.of("kept"), false));
        assertEquals(new SnapshotTags(Set.of("kept"), false), store.tags(id(40)));
        store.setTags(id(40), SnapshotTags.NONE);
        assertEquals(SnapshotTags.NONE, store.tags(id(40)));
        assertFalse(Files.exists(dir.resolve("store").resolve(id(40) + DirectorySnapshotStore.TAGS_SUFFIX)));
    }

    @Test
    void tagsOfASnapshotNotStoredAreRefusedAndDeletingASnapshotDeletesItsTags() {
        assertThrows(SnapshotNotFoundException.class,
                () -> store.setTags(id(41), new SnapshotTags(Set.of("x"), true)));
        store.save(TestSnapshots.snapshot(id(41), T0, 1, 1));
        store.setTags(id(41), new SnapshotTags(Set.of("x"), true));
        assertTrue(store.delete(id(41)));
        store.save(TestSnapshots.snapshot(id(41), T0, 1, 1));
        assertEquals(SnapshotTags.NONE, store.tags(id(41)), "a new snapshot of the same id starts untagged");
    }

    @Test
    void inventoryIsNewestFirstWithSizesAndTags() throws IOException {
        store.save(TestSnapshots.snapshot(id(50), T0, 1, 1));
        store.save(TestSnapshots.snapshot(id(51), T0.plusSeconds(1), 2, 2));
        store.setTags(id(50), new SnapshotTags(Set.of("first"), true));
        List<StoredSnapshot> inventory = store.inventory();
        assertEquals(List.of(id(51), id(50)), inventory.stream().map(StoredSnapshot::snapshotId).toList());
        assertEquals(Files.size(dir.resolve("store").resolve(id(50) + DirectorySnapshotStore.SUFFIX)),
                inventory.get(1).storedBytes());
        assertEquals(new SnapshotTags(Set.of("first"), true), inventory.get(1).tags());
        assertEquals(SnapshotTags.NONE, inventory.get(0).tags());
    }

    @Test
    void aDamagedSnapshotIsLeftOutOfTheListingButStoredAndReportedByVerify() throws IOException {
        store.save(TestSnapshots.snapshot(id(60), T0, 1, 1));
        store.save(TestSnapshots.snapshot(id(61), T0, 1, 1));
        Files.write(dir.resolve("store").resolve(id(61) + DirectorySnapshotStore.SUFFIX), new byte[] {'{', 'x'});
        Files.copy(dir.resolve("store").resolve(id(60) + DirectorySnapshotStore.SUFFIX),
                dir.resolve("store").resolve(id(62) + DirectorySnapshotStore.SUFFIX)); // holds another id

        assertEquals(List.of(id(60)), store.list().stream().map(SnapshotMetadata::snapshotId).toList());
        assertEquals(Set.of(id(60), id(61), id(62)), Set.copyOf(store.storedIds()));
        assertTrue(store.verify(id(60)).intact());
        Verification damaged = store.verify(id(61));
        assertFalse(damaged.intact());
        assertFalse(store.verify(id(62)).intact());
        assertTrue(store.verify(id(62)).detail().contains(id(60)), store.verify(id(62)).detail());
        assertFalse(store.verify(id(63)).intact(), "not found");
    }

    @Test
    void filesThatAreNotSnapshotsAreIgnored() throws IOException {
        Files.writeString(dir.resolve("store").resolve("notes.snapshot"), "not mine");
        Files.writeString(dir.resolve("store").resolve("." + id(70) + ".snapshot.123.tmp"), "half");
        assertEquals(List.of(), store.storedIds());
        assertEquals(List.of(), store.list());
    }

    @Test
    void snapshotsAreStoredInTheConfiguredEncodingAndReadUnderAnyOther() throws IOException {
        PluginContext gzip = Contexts.of(ConfigFile.parse("config.yaml", "memory:\n  compression: gzip\n"));
        SnapshotStore compressed = started(new DirectorySnapshotStore(dir.resolve("store"), gzip));
        MemorySnapshot snapshot = TestSnapshots.snapshot(id(80), T0, 4, 4);
        URI location = compressed.save(snapshot);
        byte[] stored = Files.readAllBytes(Path.of(location));
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, new byte[] {stored[0], stored[1]}, "gzip");
        assertEquals(snapshot, store.read(id(80)).orElseThrow(), "the plain-JSON store reads it too");
    }

    @Test
    void aLocationOutsideTheDirectoryIsNotFoundEvenWithTheRightName() {
        URI elsewhere = dir.resolve("other").resolve(id(90) + DirectorySnapshotStore.SUFFIX).toUri();
        assertThrows(SnapshotNotFoundException.class, () -> store.read(elsewhere));
        URI escaping = URI.create(dir.resolve("store").toUri() + "../" + id(90) + DirectorySnapshotStore.SUFFIX);
        assertThrows(SnapshotNotFoundException.class, () -> store.read(escaping));
        URI missing = dir.resolve("store").resolve(id(90) + DirectorySnapshotStore.SUFFIX).toUri();
        assertThrows(SnapshotNotFoundException.class, () -> store.read(missing));
    }
}
