package dev.memsnap.core.testing;

import dev.memsnap.api.InvalidSnapshotIdException;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link SnapshotStore} must do. A store module extends this class and supplies a fresh, empty, started
 * store; core's file store runs it, and so must every other store. It covers the whole store SPI, the default
 * methods included, so a store that inherits {@code setTags}' {@code UnsupportedOperationException} fails it.
 */
public abstract class SnapshotStoreContract {
    protected static final LocalDateTime T0 = LocalDateTime.of(2025, 4, 26, 12, 34, 56, 789_012_000);

    protected SnapshotStore store;

    /** @return a new store holding no snapshots, already started */
    protected abstract SnapshotStore createStore() throws Exception;

    /** @return another store over the same storage as {@link #store}, to show it sees what the first saved */
    protected abstract SnapshotStore reopenStore() throws Exception;

    @BeforeEach
    void createTheStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void stopTheStore() {
        store.stop();
    }

    protected static String id(int n) {
        return String.format("snapshot_20250426_1234%02d_%08x", n % 60, n);
    }

    @Test
    void savedSnapshotReadsBackEqualByIdAndByLocation() {
        MemorySnapshot snapshot = TestSnapshots.snapshot(id(1), T0, 3, 5);
        URI location = store.save(snapshot);
        assertEquals(snapshot, store.read(id(1)).orElseThrow());
        assertEquals(snapshot, store.read(location));
    }

    @Test
    void awkwardContentRoundTripsExactly() {
        MemorySnapshot snapshot = TestSnapshots.awkward(id(2), T0);
        store.save(snapshot);
        assertEquals(snapshot, store.read(id(2)).orElseThrow());
    }

    @Test
    void anotherInstanceOverTheSameStorageSeesSavedSnapshots() throws Exception {
        MemorySnapshot snapshot = TestSnapshots.snapshot(id(3), T0, 1, 1);
        store.save(snapshot);
        SnapshotStore other = reopenStore();
        try {
            assertEquals(snapshot, other.read(id(3)).orElseThrow());
            assertEquals(List.of(snapshot.metadata()), other.list());
        } finally {
            other.stop();
        }
    }

    @Test
    void unknownIdReadsAsEmpty() {
        assertTrue(store.read(id(4)).isEmpty());
        assertFalse(store.delete(id(4)));
    }

    @Test
    void invalidIdsAreRefusedBeforeAnythingIsTouched() {
        for (String bad : List.of("../etc/passwd", "snapshot_20250426_123456_ABCD1234", "",
                "snapshot_20250426_123456_abcd1234/../../x", "/tmp/snapshot_20250426_123456_abcd1234")) {
            assertThrows(InvalidSnapshotIdException.class, () -> store.read(bad), bad);
            assertThrows(InvalidSnapshotIdException.class, () -> store.delete(bad), bad);
        }
        assertThrows(InvalidSnapshotIdException.class, () -> store.read((String) null));
    }

    @Test
    void aLocationOfAnotherStoreIsNotFound() {
        assertThrows(SnapshotNotFoundException.class,
                () -> store.read(URI.create("file:///etc/" + id(5) + ".json")));
        assertThrows(SnapshotNotFoundException.class, () -> store.read(URI.create("nosuch://x/" + id(5))));
    }

    @Test
    void listIsNewestFirstWithMetadata() {
        store.save(TestSnapshots.snapshot(id(10), T0.plusSeconds(10), 1, 2));
        store.save(TestSnapshots.snapshot(id(11), T0.plusSeconds(30), 3, 4));
        store.save(TestSnapshots.snapshot(id(12), T0.plusSeconds(20), 5, 6));
        List<SnapshotMetadata> listing = store.list();
        assertEquals(List.of(id(11), id(12), id(10)), listing.stream().map(SnapshotMetadata::snapshotId).toList());
        assertEquals(new SnapshotMetadata(id(11), T0.plusSeconds(30), 3, 4, 4), listing.get(0));
    }

    @Test
    void savingAnIdAgainReplacesIt() {
        store.save(TestSnapshots.snapshot(id(20), T0, 1, 1));
        MemorySnapshot second = TestSnapshots.snapshot(id(20), T0, 7, 2);
        store.save(second);
        assertEquals(second, store.read(id(20)).orElseThrow());
        assertEquals(1, store.list().size());
    }

    @Test
    void deleteRemovesOnlyThatSnapshot() {
        store.save(TestSnapshots.snapshot(id(30), T0, 1, 1));
        store.save(TestSnapshots.snapshot(id(31), T0, 1, 1));
        assertTrue(store.delete(id(30)));
        assertTrue(store.read(id(30)).isEmpty());
        assertEquals(List.of(id(31)), store.list().stream().map(SnapshotMetadata::snapshotId).toList());
    }

    @Test
    void concurrentSavesAreAllKept() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<URI>> saves = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                MemorySnapshot snapshot = TestSnapshots.snapshot(id(100 + i), T0.plusSeconds(i), 2, 3);
                saves.add(pool.submit(() -> store.save(snapshot)));
            }
            for (Future<URI> save : saves) {
                save.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(64, store.list().size());
        for (int i = 0; i < 64; i++) {
            assertEquals(TestSnapshots.snapshot(id(100 + i), T0.plusSeconds(i), 2, 3),
                    store.read(id(100 + i)).orElseThrow());
        }
    }

    // ------------------------------------------------------------------ the SPI's default methods, which a store
    // may inherit or override: either way they must hold

    @Test
    void inventoryListsEverySnapshotNewestFirstWithSizeAndTags() {
        store.save(TestSnapshots.snapshot(id(40), T0.plusSeconds(1), 1, 2));
        store.save(TestSnapshots.snapshot(id(41), T0.plusSeconds(2), 3, 4));
        store.setTags(id(40), new SnapshotTags(Set.of("before-upgrade"), true));
        List<StoredSnapshot> inventory = store.inventory();
        assertEquals(List.of(id(41), id(40)), inventory.stream().map(StoredSnapshot::snapshotId).toList());
        assertEquals(store.list(), inventory.stream().map(StoredSnapshot::metadata).toList());
        for (StoredSnapshot s : inventory) {
            assertTrue(s.storedBytes() == -1 || s.storedBytes() > 0, "a size is positive or unknown: " + s);
        }
        assertEquals(new SnapshotTags(Set.of("before-upgrade"), true), inventory.get(1).tags());
        assertEquals(SnapshotTags.NONE, inventory.get(0).tags());
    }

    @Test
    void storedIdsNameEverySavedSnapshot() {
        store.save(TestSnapshots.snapshot(id(42), T0, 1, 1));
        store.save(TestSnapshots.snapshot(id(43), T0, 1, 1));
        assertEquals(Set.of(id(42), id(43)), Set.copyOf(store.storedIds()));
        store.delete(id(42));
        assertEquals(Set.of(id(43)), Set.copyOf(store.storedIds()));
    }

    @Test
    void verifyFindsAnIntactSnapshotIntactAndAnUnknownOneNot() {
        store.save(TestSnapshots.snapshot(id(44), T0, 2, 2));
        Verification ok = store.verify(id(44));
        assertEquals(id(44), ok.snapshotId());
        assertTrue(ok.intact(), ok.detail());
        assertFalse(store.verify(id(45)).intact(), "a snapshot that is not there is not intact");
    }

    @Test
    void tagsAreKeptReplacedAndSeenByAnotherInstance() throws Exception {
        store.save(TestSnapshots.snapshot(id(46), T0, 1, 1));
        assertEquals(SnapshotTags.NONE, store.tags(id(46)));
        store.setTags(id(46), new SnapshotTags(Set.of("a", "b"), false));
        store.setTags(id(46), new SnapshotTags(Set.of("b", "c"), true));
        assertEquals(new SnapshotTags(Set.of("b", "c"), true), store.tags(id(46)));
        SnapshotStore other = reopenStore();
        try {
            assertEquals(new SnapshotTags(Set.of("b", "c"), true), other.tags(id(46)));
        } finally {
            if (other != store) {
                other.stop();
            }
        }
        store.setTags(id(46), SnapshotTags.NONE);
        assertEquals(SnapshotTags.NONE, store.tags(id(46)));
        assertEquals(store.read(id(46)).orElseThrow(), TestSnapshots.snapshot(id(46), T0, 1, 1),
                "tags never change the snapshot");
    }

    @Test
    void tagsOfASnapshotThatIsNotStoredAreRefused() {
        assertThrows(SnapshotNotFoundException.class,
                () -> store.setTags(id(47), new SnapshotTags(Set.of("x"), false)));
        assertThrows(InvalidSnapshotIdException.class,
                () -> store.setTags("../" + id(47), new SnapshotTags(Set.of("x"), false)));
    }

    @Test
    void deletingASnapshotDropsItsTags() {
        store.save(TestSnapshots.snapshot(id(48), T0, 1, 1));
        store.setTags(id(48), new SnapshotTags(Set.of("x"), true));
        assertTrue(store.delete(id(48)));
        store.save(TestSnapshots.snapshot(id(48), T0, 1, 1));
        assertEquals(SnapshotTags.NONE, store.tags(id(48)), "a new snapshot of that id starts without tags");
    }

    @Test
    void compareAndSetTagsChangesTagsOnlyWhereTheyAreStillWhatWasRead() {
        store.save(TestSnapshots.snapshot(id(49), T0, 1, 1));
        SnapshotTags a = new SnapshotTags(Set.of("a"), false);
        SnapshotTags b = new SnapshotTags(Set.of("a", "b"), true);
        assertTrue(store.compareAndSetTags(id(49), SnapshotTags.NONE, a));
        assertEquals(a, store.tags(id(49)));
        assertFalse(store.compareAndSetTags(id(49), SnapshotTags.NONE, b), "the tags read are stale");
        assertEquals(a, store.tags(id(49)), "a failed compare-and-set changes nothing");
        assertTrue(store.compareAndSetTags(id(49), a, b));
        assertEquals(b, store.tags(id(49)));
        assertThrows(SnapshotNotFoundException.class, () -> store.compareAndSetTags(id(50), SnapshotTags.NONE, a));
        assertThrows(InvalidSnapshotIdException.class,
                () -> store.compareAndSetTags("../" + id(50), SnapshotTags.NONE, a));
    }

    @Test
    void deleteIfTagsAreKeepsASnapshotWhoseTagsChanged() {
        store.save(TestSnapshots.snapshot(id(51), T0, 1, 1));
        SnapshotTags pinned = new SnapshotTags(Set.of(), true);
        store.setTags(id(51), pinned);
        assertFalse(store.deleteIfTagsAre(id(51), SnapshotTags.NONE), "pinned since the caller read it");
        assertTrue(store.read(id(51)).isPresent());
        assertTrue(store.deleteIfTagsAre(id(51), pinned));
        assertTrue(store.read(id(51)).isEmpty());
        assertFalse(store.deleteIfTagsAre(id(51), pinned), "nothing left to delete");
        assertThrows(InvalidSnapshotIdException.class, () -> store.deleteIfTagsAre("../" + id(51), pinned));
    }

    /**
     * Two instances over the same storage each add labels to one snapshot from several threads, each label by
     * read, change, compare-and-set, retrying when another got there first (as the tooling labels): none is lost.
     */
    @Test
    void labelsAddedAtOnceThroughTwoInstancesAreAllKept() throws Exception {
        store.save(TestSnapshots.snapshot(id(52), T0, 1, 1));
        SnapshotStore other = reopenStore();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            Set<String> expected = new java.util.TreeSet<>();
            for (int t = 0; t < 4; t++) {
                SnapshotStore through = t % 2 == 0 ? store : other;
                String prefix = "t" + t + "-";
                for (int i = 0; i < 8; i++) {
                    expected.add(prefix + i);
                }
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 8; i++) {
                        while (true) {
                            SnapshotTags read = through.tags(id(52));
                            Set<String> labels = new java.util.TreeSet<>(read.labels());
                            labels.add(prefix + i);
                            if (through.compareAndSetTags(id(52), read, new SnapshotTags(labels, false))) {
                                break;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertEquals(expected, store.tags(id(52)).labels());
        } finally {
            pool.shutdownNow();
            if (other != store) {
                other.stop();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ memory ids

    private static MemorySnapshot of(String memoryId, int n, String parent) {
        return TestSnapshots.snapshot(id(n), T0.plusSeconds(n), 1, 1).withLineage(memoryId, parent);
    }

    @Test
    void eachMemoryListsAndReadsOnlyItsOwnSnapshots() throws Exception {
        store.save(of("alice@example.com", 60, null));
        store.save(of("alice@example.com", 61, id(60)));
        store.save(of("bob", 62, null));
        store.save(TestSnapshots.snapshot(id(63), T0.plusSeconds(63), 1, 1));
        assertEquals(List.of(id(61), id(60)), store.list("alice@example.com").stream()
                .map(SnapshotMetadata::snapshotId).toList());
        assertEquals(List.of(id(62)), store.list("bob").stream().map(SnapshotMetadata::snapshotId).toList());
        assertEquals(List.of(id(63)), store.list("default").stream().map(SnapshotMetadata::snapshotId).toList());
        assertEquals(id(60), store.list("alice@example.com").get(0).parentSnapshotId());
        assertEquals("alice@example.com", store.list("alice@example.com").get(0).memoryId());
        assertEquals(of("alice@example.com", 61, id(60)), store.read("alice@example.com", id(61)).orElseThrow());
        assertTrue(store.read("bob", id(61)).isEmpty(), "bob cannot read alice's snapshot by id");
        assertEquals(of("bob", 62, null), store.read(id(62)).orElseThrow(), "an id alone reads any memory's");
        assertEquals(List.of("alice@example.com", "bob", "default"), store.memoryIds());
        assertEquals(4, store.list().size());
        assertEquals(2, store.inventory("alice@example.com").size());
        SnapshotStore other = reopenStore();
        try {
            assertEquals(2, other.list("alice@example.com").size(), "memories survive a reopen");
        } finally {
            if (other != store) {
                other.stop();
            }
        }
    }

    @Test
    void deletingOneMemoryLeavesTheOthersWhole() {
        store.save(of("carol", 70, null));
        store.save(of("carol", 71, id(70)));
        store.save(of("dave", 72, null));
        assertEquals(2, store.deleteMemory("carol"));
        assertTrue(store.list("carol").isEmpty());
        assertEquals(of("dave", 72, null), store.read("dave", id(72)).orElseThrow());
        assertFalse(store.memoryIds().contains("carol"));
        assertTrue(store.verify(id(72)).intact());
    }
}
