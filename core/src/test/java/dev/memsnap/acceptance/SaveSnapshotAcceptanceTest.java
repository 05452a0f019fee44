package dev.memsnap.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.InvalidSnapshotIdException;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code saveSnapshot} writes {@code <snapshot_dir>/<id>.json} atomically and returns its URI; ids are validated
 * before any file is touched.
 */
class SaveSnapshotAcceptanceTest {

    @TempDir
    Path tmp;

    @Test
    void saveWritesIdDotJsonInTheSnapshotDirAndReturnsItsUri() throws Exception {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m = Acceptance.manager(dir);
        m.addTurn("user", "hello");
        m.addMemory("the sky is blue", "fact", 0.4, List.of("sky"));
        String id = m.createSnapshot();

        URI uri = m.saveSnapshot(id);

        assertEquals("file", uri.getScheme(), "the default store returns a file URI: " + uri);
        Path file = dir.resolve(id + ".json");
        assertTrue(Files.isRegularFile(file), "expected " + file);
        assertEquals(file.toRealPath(), Path.of(uri).toRealPath());
        JsonNode tree = Acceptance.tree(file);
        assertEquals(id, tree.path("snapshot_id").textValue());
        assertEquals("hello", tree.path("short_term").path("turns").path(0).path("content").textValue());
        assertEquals(1, tree.path("short_term").path("turn_count").intValue());
        assertEquals(1, tree.path("long_term").path("memory_count").intValue());
        assertEquals(List.of(id + ".json"), Acceptance.fileNames(dir));
        assertEquals(List.of(), Acceptance.temporaries(dir));
    }

    @Test
    void savingCreatesAMissingNestedSnapshotDirAndConstructionDoesNot() {
        Path dir = tmp.resolve("a").resolve("b").resolve("snapshots");
        EnhancedMemoryManager m = Acceptance.manager(dir);
        assertFalse(Files.exists(tmp.resolve("a")), "building the manager must not create the snapshot dir");
        String id = m.createSnapshot();
        m.saveSnapshot(id);
        assertTrue(Files.isRegularFile(dir.resolve(id + ".json")));
    }

    @Test
    void manySavesLeaveNoTemporaryFiles() throws Exception {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m = Acceptance.manager(dir);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            m.addTurn("user", "turn " + i);
            String id = m.createSnapshot();
            m.saveSnapshot(id);
            m.saveSnapshot(id); // saving again replaces, still one file
            expected.add(id + ".json");
        }
        expected.sort(null);
        assertEquals(expected, Acceptance.fileNames(dir), "only <id>.json files, no temporaries");
        assertEquals(List.of(), Acceptance.temporaries(tmp), "no temporary files anywhere");
        try (var all = Files.walk(tmp)) {
            List<Path> stray = all.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(dir)).toList();
            assertEquals(List.of(), stray, "no files anywhere else either");
        }
    }

    @Test
    void savingAnUnknownIdThrowsNotFoundNamingTheIdAndWritesNothing() {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m = Acceptance.manager(dir);
        String unknown = "snapshot_20240101_010203_0badf00d";
        SnapshotNotFoundException e = assertThrows(SnapshotNotFoundException.class, () -> m.saveSnapshot(unknown));
        assertTrue(e.getMessage().contains(unknown), "message names the id: " + e.getMessage());
        assertEquals(List.of(), Acceptance.fileNames(dir));
        assertEquals(List.of(), Acceptance.temporaries(tmp));
    }

    @Test
    void aSnapshotDirThatIsAFileFailsWithAStoreErrorAndKeepsTheSnapshot() throws Exception {
        Path notADir = Acceptance.write(tmp.resolve("occupied"), "I am a file");
        EnhancedMemoryManager m = Acceptance.manager(notADir);
        m.addTurn("user", "keep me");
        String id = m.createSnapshot();
        assertThrows(SnapshotStoreException.class, () -> m.saveSnapshot(id));
        assertEquals("I am a file", Files.readString(notADir));
        assertTrue(m.getSnapshot(id).isPresent(), "the snapshot is still held after a failed save");
        assertEquals(List.of("occupied"), Acceptance.fileNames(tmp), "nothing else written");
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFile() throws Exception {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m = Acceptance.manager(dir);
        String id = m.createSnapshot();
        Files.createDirectories(dir.resolve(id + ".json")); // the target name is taken by a non-empty directory
        Acceptance.write(dir.resolve(id + ".json").resolve("blocker"), "x");
        assertThrows(SnapshotStoreException.class, () -> m.saveSnapshot(id));
        assertEquals(List.of(), Acceptance.fileNames(dir), "no file written beside the blocked target");
        assertEquals(List.of(), Acceptance.temporaries(dir), "no temporary file left behind");
        assertTrue(Files.isDirectory(dir.resolve(id + ".json")), "the blocking directory is untouched");
        assertTrue(m.getSnapshot(id).isPresent());
    }

    /**
     * Saving replaces a stored snapshot atomically: a reader in another manager never sees a half-written file
     * (which would read as a format error) while the same id is saved over and over.
     */
    @Test
    void overwritingASavedSnapshotIsAtomicForConcurrentReaders() throws Exception {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager writer = Acceptance.manager(dir);
        writer.addTurn("user", "x".repeat(512 * 1024) + "😀");
        writer.addMemory("y".repeat(256 * 1024), "fact", 0.5, List.of("big"));
        String id = writer.createSnapshot();
        writer.saveSnapshot(id);
        var expected = writer.getSnapshot(id).orElseThrow();

        EnhancedMemoryManager reader = Acceptance.manager(dir);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var saves = pool.submit(() -> {
                go.await();
                for (int i = 0; i < 40; i++) {
                    writer.saveSnapshot(id);
                }
                return null;
            });
            var reads = pool.submit(() -> {
                go.await();
                for (int i = 0; i < 40; i++) {
                    var got = reader.getSnapshot(id);
                    assertTrue(got.isPresent(), "stored snapshot vanished during an overwrite (read " + i + ")");
                    assertEquals(expected, got.get());
                }
                return null;
            });
            go.countDown();
            saves.get(60, java.util.concurrent.TimeUnit.SECONDS);
            reads.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(id + ".json"), Acceptance.fileNames(dir));
        assertEquals(List.of(), Acceptance.temporaries(dir));
    }

    static final String[] PATH_TRICKS = {
            "../x",
            "../../x",
            "snapshot_20250101_000000_abcd1234/../../x",
            "snapshot_20250101_000000_abcd1234/../../outside/evil",
            "snapshot_20250101_000000_ABCD1234",
            "snapshot_20250101_000000_abcd1234.json",
            "snapshot_20250101_000000_abcd1234\u0000",
            "..\\x",
            "",
            "x/../snapshot_20250101_000000_abcd1234",
    };

    /**
     * A tree with bait outside {@code snapshot_dir}: valid snapshot files an unvalidated id could reach, and a
     * directory inside {@code snapshot_dir} named like an id so that {@code id/../../x} resolves on a real file
     * system.
     */
    @Test
    void pathTricksAreRejectedAsInvalidIdsAndNothingOutsideTheDirIsTouched() {
        Path root = tmp.resolve("root");
        Path dir = root.resolve("snapshots");
        EnhancedMemoryManager m = Acceptance.manager(dir);
        String good = m.createSnapshot();
        m.saveSnapshot(good);
        Acceptance.write(root.resolve("x.json"), Acceptance.seedWith("snapshot_20200101_000000_00000001",
                "2020-01-01T00:00:00.000000"));
        Acceptance.write(root.resolve("outside").resolve("evil.json"),
                Acceptance.seedWith("snapshot_20200101_000000_00000002", "2020-01-01T00:00:00.000000"));
        Acceptance.write(tmp.resolve("x.json"), Acceptance.seedWith("snapshot_20200101_000000_00000003",
                "2020-01-01T00:00:00.000000"));
        try {
            Files.createDirectories(dir.resolve("snapshot_20250101_000000_abcd1234"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        List<String> tricks = new ArrayList<>(List.of(PATH_TRICKS));
        tricks.add(root.resolve("outside").resolve("evil").toAbsolutePath().toString());
        tricks.add(root.resolve("x").toAbsolutePath().toString());
        tricks.add("/etc/passwd");
        tricks.add(null);

        Map<String, String> before = Acceptance.inventory(tmp);
        List<String> before2 = List.copyOf(m.turns().stream().map(Object::toString).toList());
        for (String trick : tricks) {
            expectInvalid(trick, "saveSnapshot", t -> m.saveSnapshot(t));
            expectInvalid(trick, "applySnapshot", t -> m.applySnapshot(t));
            expectInvalid(trick, "getSnapshot", t -> m.getSnapshot(t));
        }
        assertEquals(before, Acceptance.inventory(tmp), "files were touched through an invalid id");
        assertEquals(before2, m.turns().stream().map(Object::toString).toList());
        assertFalse(m.listSnapshots().stream().anyMatch(s -> s.snapshotId().startsWith("snapshot_20200101")),
                "bait outside snapshot_dir was read: " + m.listSnapshots());
    }

    private static void expectInvalid(String id, String what, Consumer<String> call) {
        String shown = id == null ? "null" : '"' + id.replace("\u0000", "\\0") + '"';
        SnapshotException e;
        try {
            call.accept(id);
            throw new AssertionError(what + "(" + shown + ") did not throw");
        } catch (InvalidSnapshotIdException expected) {
            e = expected;
        } catch (RuntimeException other) {
            throw new AssertionError(what + "(" + shown + ") threw " + other + " instead of InvalidSnapshotIdException",
                    other);
        }
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what + ": empty message");
    }
}
