package dev.memsnap.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.memsnap.acceptance.Acceptance.SEED_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's own example snapshot loads, applies, and is written back in the seed's layout. */
class SeedFixtureAcceptanceTest {

    @TempDir
    Path tmp;

    private Path seedFile() {
        return Acceptance.write(tmp.resolve("incoming").resolve("seed-snapshot.json"), Acceptance.seedText());
    }

    @Test
    void seedFixtureLoadsAndReturnsItsId() {
        EnhancedMemoryManager m = Acceptance.manager(tmp.resolve("snapshots"));
        assertEquals(SEED_ID, m.loadSnapshot(seedFile()));

        MemorySnapshot s = m.getSnapshot(SEED_ID).orElseThrow();
        assertEquals(LocalDateTime.of(2025, 4, 26, 12, 34, 56, 789_012_000), s.timestamp());
        assertEquals(LocalDateTime.of(2025, 4, 26, 12, 0), s.shortTerm().sessionStart());
        assertEquals(3, s.shortTerm().turnCount());
        assertEquals(2, s.longTerm().memoryCount());
        assertEquals(List.of("user", "name", "preference", "communication"), s.longTerm().topics());
        assertEquals(new SnapshotMetadata(SEED_ID, s.timestamp(), 3, 2, 4), s.metadata());
        assertTrue(m.listSnapshots().contains(s.metadata()), "loaded snapshot is listed: " + m.listSnapshots());
    }

    @Test
    void applyingSeedGivesExactlyItsThreeTurnsAndTwoMemories() {
        EnhancedMemoryManager m = Acceptance.manager(tmp.resolve("snapshots"));
        m.addTurn("user", "something that must disappear");
        m.addMemory("a memory that must disappear", "fact", 0.1, List.of("gone"));

        String id = m.loadSnapshot(seedFile());
        assertTrue(m.applySnapshot(id));

        assertEquals(List.of(
                new Turn("system", "You are Coda."),
                new Turn("user", "Hello, who are you?"),
                new Turn("assistant", "I'm Coda, your voice assistant.")), m.turns());

        Map<String, Memory> memories = m.memories();
        assertEquals(List.of("memory_1", "memory_2"), new ArrayList<>(memories.keySet()));
        Memory m1 = memories.get("memory_1");
        assertEquals("The user's name is Alice.", m1.content());
        assertEquals(LocalDateTime.of(2025, 4, 26, 12, 5), m1.timestamp());
        assertEquals(0.8, m1.importance());
        assertEquals("fact", m1.sourceType());
        assertEquals(List.of("user", "name"), m1.topics());
        Memory m2 = memories.get("memory_2");
        assertEquals("The user prefers brief responses.", m2.content());
        assertEquals(LocalDateTime.of(2025, 4, 26, 12, 10), m2.timestamp());
        assertEquals(0.7, m2.importance());
        assertEquals("preference", m2.sourceType());
        assertEquals(List.of("user", "preference", "communication"), m2.topics());
    }

    @Test
    void savingTheLoadedSeedWritesTheSameJsonTree() throws Exception {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m = Acceptance.manager(dir);
        String id = m.loadSnapshot(seedFile());

        URI uri = m.saveSnapshot(id);
        Path saved = Path.of(uri);
        assertEquals(dir.resolve(SEED_ID + ".json").toRealPath(), saved.toRealPath());

        JsonNode expected = Acceptance.seedTree();
        JsonNode actual = Acceptance.tree(saved);
        assertTrue(Acceptance.sameTree(expected, actual),
                "saved file differs from the seed fixture\nexpected: " + expected + "\nactual:   " + actual);
        assertTrue(Files.readString(saved).contains("\"snapshot_id\""), "snake_case keys in the file");
    }

    @Test
    void aFreshSnapshotOfTheAppliedSeedUsesTheSeedLayoutAndKeyNames() {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m = Acceptance.manager(dir);
        assertTrue(m.applySnapshot(m.loadSnapshot(seedFile())));

        String fresh = m.createSnapshot();
        JsonNode actual = Acceptance.tree(Path.of(m.saveSnapshot(fresh)));
        JsonNode seed = Acceptance.seedTree();

        // the seed's keys, plus the one optional key memsnap adds when it says something: this snapshot descends
        // from the applied seed
        var expectedKeys = new java.util.TreeSet<>(keyPaths(seed, ""));
        expectedKeys.add("/parent_snapshot_id");
        assertEquals(expectedKeys, new java.util.TreeSet<>(keyPaths(actual, "")),
                "same keys at every level as the seed's layout");
        assertEquals(SEED_ID, actual.get("parent_snapshot_id").textValue());
        assertEquals(fresh, actual.get("snapshot_id").textValue());
        assertTrue(Acceptance.sameTree(seed.get("short_term"), actual.get("short_term")),
                "short_term: " + actual.get("short_term"));
        assertTrue(Acceptance.sameTree(seed.get("long_term"), actual.get("long_term")),
                "long_term: " + actual.get("long_term"));
        JsonNode lt = actual.path("memory_stats").path("long_term");
        assertEquals(2, lt.path("total_memories").intValue());
        assertEquals(Acceptance.tree("{\"fact\":1,\"preference\":1}"), lt.path("source_types"));
        assertEquals(0.75, lt.path("average_importance").doubleValue(), 1e-9);
        assertEquals("2025-04-26T12:05:00.000000", lt.path("oldest_memory").textValue());
        assertEquals("2025-04-26T12:10:00.000000", lt.path("newest_memory").textValue());
        assertEquals(4, lt.path("topics").intValue());
        assertEquals(3, actual.path("memory_stats").path("short_term").path("turn_count").intValue());
    }

    /** Every object key path in the tree; array elements are descended with "[]" so lists of objects count too. */
    private static Set<String> keyPaths(JsonNode node, String prefix) {
        Set<String> out = new TreeSet<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = prefix + "/" + e.getKey();
                out.add(p);
                out.addAll(keyPaths(e.getValue(), p));
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                out.addAll(keyPaths(element, prefix + "[]"));
            }
        }
        return out;
    }
}
