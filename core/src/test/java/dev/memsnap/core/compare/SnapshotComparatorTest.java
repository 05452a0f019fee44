package dev.memsnap.core.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.compare.SnapshotDiff.FieldChange;
import dev.memsnap.core.compare.SnapshotDiff.TurnChange;
import dev.memsnap.core.format.Snapshots;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotComparatorTest {
    private static final LocalDateTime T = LocalDateTime.of(2025, 4, 26, 12, 0);

    private static MemorySnapshot snapshot(String id, int minutes, List<Turn> turns, Map<String, Memory> memories) {
        return Snapshots.of(id, T.plusMinutes(minutes), turns, T, memories, null);
    }

    private static final Turn SYS = new Turn("system", "You are Coda.");
    private static final Turn HELLO = new Turn("user", "Hello");
    private static final Turn HI = new Turn("assistant", "Hi, I'm Coda.");
    private static final Turn NAME = new Turn("user", "I'm Alice.");
    private static final Turn BYE = new Turn("user", "Bye");

    private static final Memory ALICE = Memory.of("The user's name is Alice.", T, 0.8, "fact", List.of("user", "name"));
    private static final Memory BRIEF = Memory.of("Prefers brief answers.", T, 0.7, "preference",
            List.of("user", "style"));
    private static final Memory TEA = Memory.of("Likes tea.", T, 0.4, "preference", List.of("drink"));

    @Test
    void aHandBuiltPairGivesTheKnownAnswer() {
        Map<String, Memory> before = new LinkedHashMap<>();
        before.put("memory_1", ALICE);
        before.put("memory_2", BRIEF);
        Map<String, Memory> after = new LinkedHashMap<>();
        Map<String, Object> aliceMeta = new LinkedHashMap<>(ALICE.metadata());
        aliceMeta.put("topics", List.of("user"));
        aliceMeta.put("confidence", 0.9);
        after.put("memory_1", new Memory("The user's name is Alice Smith.", T, 0.9, aliceMeta));
        after.put("memory_3", TEA);

        SnapshotDiff diff = SnapshotComparator.compare(
                snapshot("snapshot_20250426_120000_0000000a", 0, List.of(SYS, HELLO, HI, BYE), before),
                snapshot("snapshot_20250426_121000_0000000b", 10, List.of(SYS, HELLO, NAME, HI), after));

        assertEquals(List.of(new TurnChange(3, BYE)), diff.turnsRemoved());
        assertEquals(List.of(new TurnChange(2, NAME)), diff.turnsAdded());
        assertEquals(Map.of("memory_2", BRIEF), diff.memoriesRemoved());
        assertEquals(Map.of("memory_3", TEA), diff.memoriesAdded());
        assertEquals(1, diff.memoriesChanged().size());
        assertEquals(List.of(
                new FieldChange("content", "The user's name is Alice.", "The user's name is Alice Smith."),
                new FieldChange("importance", 0.8, 0.9),
                new FieldChange("topics", List.of("user", "name"), List.of("user")),
                new FieldChange("metadata.confidence", null, 0.9)), diff.memoriesChanged().get(0).fields());
        assertEquals(List.of("name", "style"), diff.topicsLost());
        assertEquals(List.of("drink"), diff.topicsGained());
        assertEquals(0, diff.stats().turns());
        assertEquals(0, diff.stats().memories());
        assertEquals(-1, diff.stats().topics());
        assertEquals(0.65 - 0.75, diff.stats().averageImportance(), 1e-9);
        assertEquals(600.0, diff.stats().sessionDuration(), 1e-9);
        assertEquals(Map.of("fact", 0), Map.of("fact", diff.stats().sourceTypes().getOrDefault("fact", 0)));
        assertEquals(Map.of(), diff.stats().sourceTypes(), "one fact and one preference on both sides");
        assertFalse(diff.isEmpty());
    }

    @Test
    void jsonAndTextSayTheSame() {
        SnapshotDiff diff = SnapshotComparator.compare(
                snapshot("snapshot_20250426_120000_0000000a", 0, List.of(SYS), Map.of("memory_1", ALICE)),
                snapshot("snapshot_20250426_121000_0000000b", 5, List.of(SYS, HELLO), Map.of("memory_2", TEA)));
        JsonNode json = DiffFormat.toJson(diff);
        assertFalse(json.get("identical").asBoolean());
        assertEquals("Hello", json.at("/turns/added/0/content").asText());
        assertEquals(1, json.at("/turns/added/0/index").asInt());
        assertEquals("Likes tea.", json.at("/memories/added/memory_2/content").asText());
        assertEquals("2025-04-26T12:00:00.000000", json.at("/memories/removed/memory_1/timestamp").asText());
        assertEquals(1, json.at("/stats/source_types/preference").asInt());
        assertEquals(-1, json.at("/stats/source_types/fact").asInt());

        String text = DiffFormat.toText(diff);
        assertTrue(text.startsWith("snapshot_20250426_120000_0000000a -> snapshot_20250426_121000_0000000b\n"), text);
        assertTrue(text.contains("turns: +1 -0\n  + [1] user: Hello\n"), text);
        assertTrue(text.contains("  + memory_2 (preference, 0.4): Likes tea.\n"), text);
        assertTrue(text.contains("  - memory_1 (fact, 0.8): The user's name is Alice.\n"), text);
        assertTrue(text.contains("topics: +drink -user -name\n"), text);
    }

    @Test
    void identicalMemoryIsEmpty() {
        MemorySnapshot a = snapshot("snapshot_20250426_120000_0000000a", 0, List.of(SYS, HI), Map.of("m", ALICE));
        MemorySnapshot b = snapshot("snapshot_20250426_121000_0000000b", 7, List.of(SYS, HI), Map.of("m", ALICE));
        SnapshotDiff diff = SnapshotComparator.compare(a, b);
        assertTrue(diff.isEmpty());
        assertTrue(DiffFormat.toText(diff).endsWith(": identical memory\n"));
    }

    @Test
    void longConversationsDiffExactlyWhereTheyDiffer() {
        List<Turn> before = new java.util.ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            before.add(new Turn(i % 2 == 0 ? "user" : "assistant", "message " + i));
        }
        List<Turn> after = new java.util.ArrayList<>(before);
        after.remove(1_000);
        after.add(3_000, new Turn("user", "inserted"));
        SnapshotDiff diff = SnapshotComparator.compare(
                snapshot("snapshot_20250426_100000_00000001", 0, before, Map.of()),
                snapshot("snapshot_20250426_100000_00000002", 1, after, Map.of()));
        assertEquals(List.of(new TurnChange(1_000, before.get(1_000))), diff.turnsRemoved());
        assertEquals(List.of(new TurnChange(3_000, new Turn("user", "inserted"))), diff.turnsAdded());
    }
}
