package dev.memsnap.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.Turn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.memsnap.acceptance.Acceptance.SEED_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code loadSnapshot} reads a file in the seed's layout, validates it and registers the snapshot; a bad file throws
 * an exception naming the file and the problem, and changes nothing.
 */
class LoadSnapshotAcceptanceTest {

    @TempDir
    Path tmp;

    private Path dir;
    private EnhancedMemoryManager m;
    private String existing;

    @BeforeEach
    void someState() {
        dir = tmp.resolve("snapshots");
        m = Acceptance.manager(dir);
        m.addTurn("user", "state before");
        m.addMemory("a memory before", "fact", 0.3, List.of("before"));
        existing = m.createSnapshot();
        m.saveSnapshot(existing);
        m.addTurn("assistant", "in memory only");
        m.createSnapshot();
    }

    private static String edit(Consumer<ObjectNode> change) {
        ObjectNode root = (ObjectNode) Acceptance.seedTree();
        change.accept(root);
        return root.toPrettyString();
    }

    private static ObjectNode at(ObjectNode root, String... path) {
        ObjectNode node = root;
        for (String p : path) {
            node = (ObjectNode) node.get(p);
        }
        return node;
    }

    /** name, file content, a word the message must contain besides the file name (or null: any explanation). */
    static Stream<Arguments> badFiles() {
        String seed = Acceptance.seedText();
        return Stream.of(
                Arguments.of("malformed", "{ \"snapshot_id\": \"snapshot_20250426_123456_abcd1234\", oops }", null),
                Arguments.of("truncated", seed.substring(0, seed.length() / 2), null),
                Arguments.of("empty", "", null),
                Arguments.of("top-level-array", "[1, 2, 3]", null),
                Arguments.of("importance-as-string",
                        edit(r -> at(r, "long_term", "memories", "memory_1").put("importance", "0.8")), "importance"),
                Arguments.of("importance-as-word",
                        edit(r -> at(r, "long_term", "memories", "memory_1").put("importance", "high")), "importance"),
                Arguments.of("turns-not-an-array",
                        edit(r -> at(r, "short_term").putObject("turns").put("role", "user")), "turns"),
                Arguments.of("turn-content-not-a-string",
                        edit(r -> ((ObjectNode) at(r, "short_term").get("turns").get(1)).put("content", 42)),
                        "content"),
                Arguments.of("timestamp-not-a-time", edit(r -> r.put("timestamp", "yesterday")), "timestamp"),
                Arguments.of("missing-short-term", edit(r -> r.remove("short_term")), "short_term"),
                Arguments.of("id-with-path", edit(r -> r.put("snapshot_id", "../../etc/passwd")), "snapshot_id"),
                Arguments.of("id-upper-hex",
                        edit(r -> r.put("snapshot_id", "snapshot_20250426_123456_ABCD1234")), "snapshot_id"),
                Arguments.of("id-missing", edit(r -> r.remove("snapshot_id")), "snapshot_id"),
                Arguments.of("turn-count-mismatch", edit(r -> at(r, "short_term").put("turn_count", 4)), "turn_count"),
                Arguments.of("memory-count-mismatch",
                        edit(r -> at(r, "long_term").put("memory_count", 5)), "memory_count"),
                Arguments.of("trailing-garbage", seed + "\n garbage", null),
                Arguments.of("two-documents", seed + "\n" + seed, null),
                Arguments.of("json-null", "null", null),
                Arguments.of("importance-overflows", edit(r -> at(r, "long_term", "memories", "memory_1")
                        .put("importance", new java.math.BigDecimal("1e400"))), "importance"),
                Arguments.of("impossible-date",
                        edit(r -> r.put("timestamp", "2025-02-30T12:00:00.000000")), "timestamp"),
                Arguments.of("turn-count-as-string", edit(r -> at(r, "short_term").put("turn_count", "3")),
                        "turn_count"),
                Arguments.of("memory-null", edit(r -> at(r, "long_term", "memories").putNull("memory_1")),
                        "memory_1"),
                Arguments.of("turn-without-role",
                        edit(r -> ((ObjectNode) at(r, "short_term").get("turns").get(0)).remove("role")), "role"),
                Arguments.of("deeply-nested-metadata", deeplyNested(), null),
                Arguments.of("importance-nan", seed.replace("\"importance\": 0.8", "\"importance\": NaN"), null),
                Arguments.of("metadata-number-overflows", edit(r -> at(r, "long_term", "memories", "memory_1",
                        "metadata").put("weight", new java.math.BigDecimal("1e400"))), "weight"),
                Arguments.of("source-type-not-a-string", edit(r -> at(r, "long_term", "memories", "memory_1",
                        "metadata").put("source_type", 5)), "source_type"),
                Arguments.of("topics-not-a-list", edit(r -> at(r, "long_term", "memories", "memory_1",
                        "metadata").put("topics", "user")), "topics"),
                Arguments.of("turn-not-an-object",
                        edit(r -> ((ArrayNode) at(r, "short_term").get("turns")).add("hello")), "turns"),
                Arguments.of("short-term-not-an-object", edit(r -> r.putArray("short_term")), "short_term"),
                Arguments.of("topics-not-strings",
                        edit(r -> ((ArrayNode) at(r, "long_term", "memories", "memory_1", "metadata")
                                .get("topics")).add(7)), "topics"));
    }

    /** Metadata nested far deeper than any real snapshot: must be rejected as a format error, not a crash. */
    private static String deeplyNested() {
        String seed = Acceptance.seedText();
        String marker = "\"source_type\": \"fact\",";
        int depth = 5000;
        String nested = "\"deep\": " + "[".repeat(depth) + "]".repeat(depth) + ", ";
        return seed.replace(marker, nested + marker);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFileThrowsAFormatErrorNamingFileAndProblemAndChangesNothing(String name, String content, String word) {
        Path file = Acceptance.write(tmp.resolve("incoming").resolve(name + ".json"), content);
        List<Turn> turns = m.turns();
        Map<String, Memory> memories = m.memories();
        List<SnapshotMetadata> listed = m.listSnapshots();
        Map<String, String> files = Acceptance.inventory(tmp);

        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> m.loadSnapshot(file));

        String message = e.getMessage();
        assertTrue(message.contains(file.getFileName().toString()), "message names the file: " + message);
        assertTrue(e.source() != null && e.source().contains(file.getFileName().toString()),
                "source() names the file: " + e.source());
        String explanation = message.replace(file.toString(), "").replace(file.getFileName().toString(), "");
        assertTrue(explanation.chars().filter(Character::isLetter).count() >= 5,
                "message explains the problem: " + message);
        if (word != null) {
            assertTrue(message.contains(word), "message names the problem (" + word + "): " + message);
        }
        assertEquals(turns, m.turns(), "short-term memory changed");
        assertEquals(memories, m.memories(), "long-term memory changed");
        assertEquals(listed, m.listSnapshots(), "snapshot list changed");
        assertEquals(files, Acceptance.inventory(tmp), "files changed");
        assertFalse(m.getSnapshot(SEED_ID).isPresent(), "the bad file's snapshot was registered");
    }

    @Test
    void aBadFileLoadedByUriAlsoThrowsAFormatError() {
        String seed = Acceptance.seedText();
        Path file = Acceptance.write(tmp.resolve("incoming").resolve("half.json"), seed.substring(0, seed.length() / 2));
        List<SnapshotMetadata> listed = m.listSnapshots();
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> m.loadSnapshot(file.toUri()));
        assertTrue(e.getMessage().contains("half.json"), e.getMessage());
        assertEquals(listed, m.listSnapshots());
    }

    @Test
    void aMissingFileThrowsNotFound() {
        Path missing = tmp.resolve("incoming").resolve("nope.json");
        List<SnapshotMetadata> listed = m.listSnapshots();
        SnapshotNotFoundException e = assertThrows(SnapshotNotFoundException.class, () -> m.loadSnapshot(missing));
        assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
        assertThrows(SnapshotNotFoundException.class, () -> m.loadSnapshot(missing.toUri()));
        assertEquals(listed, m.listSnapshots());
    }

    @Test
    void loadingByFileUriWorksAndRegistersTheSnapshot() {
        Path file = Acceptance.write(tmp.resolve("incoming").resolve("seed-snapshot.json"), Acceptance.seedText());
        String id = m.loadSnapshot(file.toUri());
        assertEquals(SEED_ID, id);
        assertTrue(m.getSnapshot(id).isPresent());
        assertTrue(m.listSnapshots().stream().anyMatch(s -> s.snapshotId().equals(SEED_ID)));
        assertTrue(m.applySnapshot(id));
        assertEquals(3, m.turns().size());
        assertEquals(2, m.memories().size());
    }

    @Test
    void theUriSaveReturnedLoadsInAFreshManager() {
        URI uri = m.saveSnapshot(existing);
        EnhancedMemoryManager fresh = Acceptance.manager(tmp.resolve("elsewhere"));
        assertEquals(existing, fresh.loadSnapshot(uri));
        assertEquals(m.getSnapshot(existing), fresh.getSnapshot(existing));
        assertTrue(fresh.applySnapshot(existing));
        assertEquals(List.of(new Turn("user", "state before")), fresh.turns());
    }

    @Test
    void loadingDoesNotChangeMemoryUntilApplied() {
        List<Turn> turns = m.turns();
        Map<String, Memory> memories = m.memories();
        m.loadSnapshot(Acceptance.write(tmp.resolve("incoming").resolve("s.json"), Acceptance.seedText()));
        assertEquals(turns, m.turns());
        assertEquals(memories, m.memories());
    }

    @Test
    void loadingTheSameFileTwiceRegistersItOnce() {
        Path file = Acceptance.write(tmp.resolve("incoming").resolve("seed.json"), Acceptance.seedText());
        int before = m.listSnapshots().size();
        assertEquals(SEED_ID, m.loadSnapshot(file));
        assertEquals(SEED_ID, m.loadSnapshot(file));
        assertEquals(before + 1, m.listSnapshots().size());
    }

    @Test
    void aUriThatIsNotAFileAndNotTheStoresFails() {
        List<SnapshotMetadata> listed = m.listSnapshots();
        assertThrows(dev.memsnap.api.SnapshotException.class,
                () -> m.loadSnapshot(URI.create("memsnap-test://nowhere/snapshot_20250426_123456_abcd1234.json")));
        assertEquals(listed, m.listSnapshots());
    }

    /** The facade reports errors as SnapshotExceptions: odd but syntactically valid file URIs included. */
    @Test
    void oddFileUrisFailWithASnapshotException() {
        List<SnapshotMetadata> listed = m.listSnapshots();
        List<String> problems = new java.util.ArrayList<>();
        for (String uri : new String[] {"file:relative-seed.json", "file:///nowhere/x.json#fragment",
                "file://some-host/share/x.json", "file:///nowhere/x.json?query=1"}) {
            try {
                m.loadSnapshot(URI.create(uri));
                problems.add(uri + " loaded");
            } catch (dev.memsnap.api.SnapshotException expected) {
                // reported the memsnap way
            } catch (RuntimeException other) {
                problems.add(uri + " threw " + other);
            }
        }
        assertEquals(List.of(), problems, "every failure must be a SnapshotException");
        assertEquals(listed, m.listSnapshots());
    }

    @Test
    void unknownMetadataKeysSurviveLoadAndSave() {
        String content = edit(r -> {
            ObjectNode md = at(r, "long_term", "memories", "memory_1", "metadata");
            md.put("confidence", 0.93);
            md.putObject("origin").put("tool", "search").putArray("refs").add(1).add(true).addNull();
        });
        Path file = Acceptance.write(tmp.resolve("incoming").resolve("extra.json"), content);
        String id = m.loadSnapshot(file);
        Memory loaded = m.getSnapshot(id).orElseThrow().longTerm().memories().get("memory_1");
        assertEquals(0.93, ((Number) loaded.metadata().get("confidence")).doubleValue());

        JsonNode saved = Acceptance.tree(Path.of(m.saveSnapshot(id)));
        assertTrue(Acceptance.sameTree(Acceptance.tree(content), saved), "saved: " + saved);
    }

    @Test
    void invalidUtf8IsAFormatError() throws Exception {
        byte[] bad = Acceptance.seedText().replace("Alice", "Al\u0000ice").getBytes(StandardCharsets.UTF_8);
        // Overwrite the NUL with an invalid UTF-8 byte.
        for (int i = 0; i < bad.length; i++) {
            if (bad[i] == 0) {
                bad[i] = (byte) 0xC3;
                bad[i + 1] = (byte) 0x28;
            }
        }
        Path file = tmp.resolve("incoming").resolve("invalid-utf8.json");
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.write(file, bad);
        List<SnapshotMetadata> listed = m.listSnapshots();
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> m.loadSnapshot(file));
        assertTrue(e.getMessage().contains("invalid-utf8.json"), e.getMessage());
        assertEquals(listed, m.listSnapshots());
    }
}
