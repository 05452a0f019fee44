package dev.memsnap.acceptance;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.SnapshotMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code listSnapshots} covers snapshots in memory and in the store, each once, newest first. */
class ListSnapshotsAcceptanceTest {

    @TempDir
    Path tmp;

    private static List<String> ids(List<SnapshotMetadata> list) {
        return list.stream().map(SnapshotMetadata::snapshotId).toList();
    }

    private static void assertNewestFirstAndUnique(List<SnapshotMetadata> list) {
        for (int i = 1; i < list.size(); i++) {
            LocalDateTime newer = list.get(i - 1).timestamp();
            LocalDateTime older = list.get(i).timestamp();
            assertFalse(older.isAfter(newer), "not newest first at " + i + ": " + list);
        }
        assertEquals(list.size(), ids(list).stream().distinct().count(), "duplicates: " + ids(list));
    }

    @Test
    void eachSnapshotOnceWhetherInMemorySavedOrBoth() {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m = Acceptance.manager(dir);
        m.addTurn("user", "1");
        String inMemory = m.createSnapshot();
        m.addTurn("user", "2");
        String both = m.createSnapshot();
        m.saveSnapshot(both);

        EnhancedMemoryManager other = Acceptance.manager(dir);
        other.addTurn("user", "from the other manager");
        String storeOnly = other.createSnapshot();
        other.saveSnapshot(storeOnly);

        List<SnapshotMetadata> list = m.listSnapshots();
        assertNewestFirstAndUnique(list);
        assertEquals(3, list.size(), "in memory, both, store only: " + ids(list));
        assertTrue(ids(list).containsAll(List.of(inMemory, both, storeOnly)), ids(list).toString());
        Map<String, SnapshotMetadata> byId = list.stream()
                .collect(Collectors.toMap(SnapshotMetadata::snapshotId, Function.identity()));
        assertEquals(1, byId.get(inMemory).shortTermTurns());
        assertEquals(2, byId.get(both).shortTermTurns());
        assertEquals(1, byId.get(storeOnly).shortTermTurns());
        assertEquals(other.getSnapshot(storeOnly).orElseThrow().metadata(), byId.get(storeOnly));

        List<SnapshotMetadata> otherList = other.listSnapshots();
        assertNewestFirstAndUnique(otherList);
        assertEquals(List.of(storeOnly, both).stream().sorted().toList(), ids(otherList).stream().sorted().toList(),
                "the other manager sees the store and its own, not the first one's unsaved snapshot");
    }

    @Test
    void newestFirstByTimestampAcrossLoadedCreatedAndStored() {
        Path dir = tmp.resolve("snapshots");
        // Store-only entries with known timestamps, written by another manager.
        EnhancedMemoryManager writer = Acceptance.manager(dir);
        String future = "snapshot_20990101_000000_0000f00d";
        String old = "snapshot_20010101_000000_000000a1";
        writer.saveSnapshot(writer.loadSnapshot(Acceptance.write(tmp.resolve("in").resolve("future.json"),
                Acceptance.seedWith(future, "2099-01-01T00:00:00.000000"))));
        writer.saveSnapshot(writer.loadSnapshot(Acceptance.write(tmp.resolve("in").resolve("old.json"),
                Acceptance.seedWith(old, "2001-01-01T00:00:00.000000"))));

        EnhancedMemoryManager m = Acceptance.manager(dir);
        String seed = m.loadSnapshot(Acceptance.write(tmp.resolve("in").resolve("seed.json"), Acceptance.seedText()));
        String now = m.createSnapshot();
        String middle = m.loadSnapshot(Acceptance.write(tmp.resolve("in").resolve("middle.json"),
                Acceptance.seedWith("snapshot_20100615_120000_00c0ffee", "2010-06-15T12:00:00.000000")));
        m.saveSnapshot(middle); // now both in memory and in the store

        List<SnapshotMetadata> list = m.listSnapshots();
        assertEquals(List.of(future, now, seed, middle, old), ids(list));
        assertNewestFirstAndUnique(list);
        SnapshotMetadata seedMeta = list.get(2);
        assertEquals(new SnapshotMetadata(seed, LocalDateTime.of(2025, 4, 26, 12, 34, 56, 789_012_000), 3, 2, 4),
                seedMeta);
    }

    @Test
    void manySnapshotsInMemoryAndSavedAreListedOnceNewestFirst() {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m = Acceptance.manager(dir);
        for (int i = 0; i < 30; i++) {
            m.addTurn("user", "t" + i);
            String id = m.createSnapshot();
            if (i % 2 == 0) {
                m.saveSnapshot(id);
            }
        }
        List<SnapshotMetadata> list = m.listSnapshots();
        assertEquals(30, list.size());
        assertNewestFirstAndUnique(list);
        // Created one after another: the one with more turns is never listed after one with fewer unless same time.
        for (int i = 1; i < list.size(); i++) {
            if (list.get(i - 1).timestamp().isAfter(list.get(i).timestamp())) {
                assertTrue(list.get(i - 1).shortTermTurns() > list.get(i).shortTermTurns(), list.toString());
            }
        }
    }

    @Test
    void damagedAndForeignFilesInTheSnapshotDirAreLeftOutNotFatal() {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m = Acceptance.manager(dir);
        String good = m.createSnapshot();
        m.saveSnapshot(good);
        Acceptance.write(dir.resolve("snapshot_20240101_000000_0000dead.json"), "{ half a snap");
        Acceptance.write(dir.resolve("notes.txt"), "host notes");
        Acceptance.write(dir.resolve("readme.json"), "{}");
        Acceptance.write(dir.resolve(".hidden.json"), "{}");
        // Leftovers of an interrupted writer or an editor: whole snapshots, but not named <id>.json.
        String stray = "snapshot_20240202_000000_0000abcd";
        String strayContent = Acceptance.seedWith(stray, "2024-02-02T00:00:00.000000");
        Acceptance.write(dir.resolve(stray + ".json.tmp"), strayContent);
        Acceptance.write(dir.resolve("." + stray + ".json.1234.tmp"), strayContent);
        Acceptance.write(dir.resolve(stray + ".json~"), strayContent);

        EnhancedMemoryManager other = Acceptance.manager(dir);
        List<SnapshotMetadata> list = other.listSnapshots();
        assertEquals(List.of(good), ids(list));
    }

    @Test
    void emptyWhenNothingAnywhere() {
        assertEquals(List.of(), Acceptance.manager(tmp.resolve("does-not-exist")).listSnapshots());
    }
}
