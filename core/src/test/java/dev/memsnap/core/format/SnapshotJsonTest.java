package dev.memsnap.core.format;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotJsonTest {
    private final SnapshotJson json = new SnapshotJson();

    @Test
    void theSeedExampleReadsAndIsWrittenBackByteForByte() {
        byte[] seed = TestSnapshots.seedSnapshotJson();
        MemorySnapshot snapshot = json.read(seed, "seed-snapshot.json");

        assertEquals("snapshot_20250426_123456_abcd1234", snapshot.snapshotId());
        assertEquals(LocalDateTime.of(2025, 4, 26, 12, 34, 56, 789_012_000), snapshot.timestamp());
        assertEquals(3, snapshot.shortTerm().turns().size());
        assertEquals("I'm Coda, your voice assistant.", snapshot.shortTerm().turns().get(2).content());
        var alice = snapshot.longTerm().memories().get("memory_1");
        assertEquals("The user's name is Alice.", alice.content());
        assertEquals(0.8, alice.importance());
        assertEquals("fact", alice.sourceType());
        assertEquals(List.of("user", "name"), alice.topics());
        assertEquals(2100.0, snapshot.memoryStats().shortTerm().sessionDuration());
        assertEquals(0.75, snapshot.memoryStats().longTerm().averageImportance());
        assertNull(snapshot.memoryStats().lastToolUsed());

        assertEquals(new String(seed, StandardCharsets.UTF_8),
                new String(json.toBytes(snapshot), StandardCharsets.UTF_8));
    }

    @Test
    void awkwardContentRoundTripsExactly() {
        MemorySnapshot snapshot = TestSnapshots.awkward("snapshot_20250426_123456_00000001",
                LocalDateTime.of(2025, 4, 26, 12, 0));
        assertEquals(snapshot, json.read(json.toBytes(snapshot), "test"));
    }

    @Test
    void metadataStreamedAgreesWithTheFullRead() throws IOException {
        MemorySnapshot snapshot = TestSnapshots.snapshot("snapshot_20250426_123456_00000002",
                LocalDateTime.of(2025, 4, 26, 12, 0), 7, 9);
        SnapshotMetadata streamed = json.readMetadata(new ByteArrayInputStream(json.toBytes(snapshot)), "test");
        assertEquals(snapshot.metadata(), streamed);
        assertEquals(json.read(TestSnapshots.seedSnapshotJson(), "seed").metadata(),
                json.readMetadata(new ByteArrayInputStream(TestSnapshots.seedSnapshotJson()), "seed"));
    }

    @Test
    void derivedPartsMayBeAbsentAndAreComputed() {
        String minimal = """
                {"snapshot_id": "snapshot_20250101_000000_0000000a", "timestamp": "2025-01-01T00:10:00",
                 "short_term": {"turns": [{"role": "user", "content": "hi"}], "session_start": "2025-01-01T00:00:00"},
                 "long_term": {"memories": {"m": {"content": "c", "timestamp": "2025-01-01T00:05:00Z",
                   "importance": 1, "metadata": {"source_type": "fact", "topics": ["a", "b"]}}}}}
                """;
        MemorySnapshot snapshot = json.read(minimal.getBytes(StandardCharsets.UTF_8), "minimal");
        assertEquals(List.of("a", "b"), snapshot.longTerm().topics());
        assertEquals(1, snapshot.memoryStats().longTerm().totalMemories());
        assertEquals(600.0, snapshot.memoryStats().shortTerm().sessionDuration());
        assertEquals(1.0, snapshot.memoryStats().longTerm().averageImportance());
        assertEquals(LocalDateTime.of(2025, 1, 1, 0, 5), snapshot.longTerm().memories().get("m").timestamp());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty input                  | ''                                                        | empty input",
            "not JSON                     | 'hello'                                                   | not valid JSON",
            "array at the top             | '[]'                                                      | $: expected an object",
            "trailing garbage             | '{} {}'                                                   | not valid JSON",
            "missing id                   | '{\"timestamp\": \"2025-01-01T00:00:00\"}'                | snapshot_id: missing",
            "path trick as id             | '{\"snapshot_id\": \"../../etc/passwd\"}'                 | not a snapshot id",
            "bad timestamp                | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"yesterday\"}' | timestamp: not an ISO-8601 timestamp",
            "turns not an array           | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": {}}}' | short_term.turns: expected an array",
            "turn without role            | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": [{\"content\": \"x\"}]}}' | short_term.turns[0].role: missing",
            "count mismatch               | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": [], \"turn_count\": 3}}' | short_term.turn_count: is 3 but",
            "importance as a string       | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": []}, \"long_term\": {\"memories\": {\"m\": {\"content\": \"c\", \"timestamp\": \"2025-01-01T00:00:00\", \"importance\": \"high\"}}}}' | long_term.memories.m.importance: expected a number",
            "topics not strings           | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": []}, \"long_term\": {\"memories\": {\"m\": {\"content\": \"c\", \"timestamp\": \"2025-01-01T00:00:00\", \"importance\": 1, \"metadata\": {\"topics\": [1]}}}}}' | long_term.memories.m: metadata.topics must be a list of strings",
            "duplicate key                | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"snapshot_id\": \"snapshot_20250101_000000_0000000b\"}' | Duplicate field",
            "duplicate unknown field      | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"x\": 1, \"x\": 2}' | x: Duplicate field 'x'",
            "duplicate turn field         | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": [{\"role\": \"user\", \"role\": \"user\", \"content\": \"x\"}]}}' | short_term.turns[0].role: Duplicate field",
            "duplicate short_term field   | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": [], \"turns\": []}}' | short_term.turns: Duplicate field",
            "duplicate memory id          | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": []}, \"long_term\": {\"memories\": {\"m\": {\"content\": \"c\", \"timestamp\": \"2025-01-01T00:00:00\", \"importance\": 1}, \"m\": {\"content\": \"c\", \"timestamp\": \"2025-01-01T00:00:00\", \"importance\": 1}}}}' | long_term.memories.m: Duplicate field 'm'",
            "duplicate memory field       | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": []}, \"long_term\": {\"memories\": {\"m\": {\"content\": \"c\", \"timestamp\": \"2025-01-01T00:00:00\", \"importance\": 1, \"importance\": 2}}}}' | long_term.memories.m.importance: Duplicate field",
            "duplicate metadata key       | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": []}, \"long_term\": {\"memories\": {\"m\": {\"content\": \"c\", \"timestamp\": \"2025-01-01T00:00:00\", \"importance\": 1, \"metadata\": {\"a\": {\"b\": 1, \"b\": 2}}}}}}' | Duplicate field 'b'",
            "duplicate among many keys    | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": []}, \"long_term\": {\"memories\": {\"m\": {\"content\": \"c\", \"timestamp\": \"2025-01-01T00:00:00\", \"importance\": 1, \"metadata\": {\"k1\": 1, \"k2\": 2, \"k3\": 3, \"k4\": 4, \"k5\": 5, \"k6\": 6, \"k7\": 7, \"k8\": 8, \"k9\": 9, \"k3\": 3}}}}}' | metadata.k3: Duplicate field 'k3'",
            "metadata number too large    | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": []}, \"long_term\": {\"memories\": {\"m\": {\"content\": \"c\", \"timestamp\": \"2025-01-01T00:00:00\", \"importance\": 1, \"metadata\": {\"source_type\": \"fact\", \"x\": {\"y\": [1, 1e400]}}}}}}' | long_term.memories.m: metadata.x.y[1] must be a finite number, got Infinity",
            "source type not a string     | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": []}, \"long_term\": {\"memories\": {\"m\": {\"content\": \"c\", \"timestamp\": \"2025-01-01T00:00:00\", \"importance\": 1, \"metadata\": {\"topics\": [], \"source_type\": 7}}}}}' | long_term.memories.m: metadata.source_type must be a string",
            "duplicate stats field        | '{\"snapshot_id\": \"snapshot_20250101_000000_0000000a\", \"timestamp\": \"2025-01-01T00:00:00\", \"short_term\": {\"turns\": []}, \"long_term\": {\"memories\": {}}, \"memory_stats\": {\"recent_topics\": [], \"recent_topics\": []}}' | Duplicate field 'recent_topics'",
    })
    void invalidInputNamesTheSourceAndTheProblem(String name, String input, String expected) {
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
                () -> json.read(input.getBytes(StandardCharsets.UTF_8), "bad.json"));
        assertTrue(e.getMessage().startsWith("bad.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void memoryFieldsAndMetadataKeysInAnyOrderReadAsWritten() {
        String input = """
                {"snapshot_id": "snapshot_20250101_000000_0000000a", "timestamp": "2025-01-01T00:10:00",
                 "short_term": {"turns": []},
                 "long_term": {"memories": {
                   "a": {"metadata": {"topics": ["t"], "extra": {"n": [1, 2.5, null, true]}, "source_type": "fact"},
                         "importance": 0.5, "unknown": 1, "timestamp": "2025-01-01T00:05:00.123", "content": "x"},
                   "b": {"content": "y", "timestamp": "2025-01-01T00:06:00.000001", "importance": 1,
                         "metadata": {"k1": 1, "k2": 2, "k3": 3, "k4": 4, "k5": 5, "k6": 6, "k7": 7, "k8": 8,
                                      "k9": 9, "k10": {}, "source_type": "preference", "topics": []}}}}}
                """;
        MemorySnapshot snapshot = json.read(input.getBytes(StandardCharsets.UTF_8), "any order");
        Memory a = snapshot.longTerm().memories().get("a");
        assertEquals("x", a.content());
        assertEquals(LocalDateTime.of(2025, 1, 1, 0, 5, 0, 123_000_000), a.timestamp());
        assertEquals("fact", a.sourceType());
        assertEquals(List.of("t"), a.topics());
        assertEquals(List.of("topics", "extra", "source_type"), List.copyOf(a.metadata().keySet()));
        java.util.List<Object> n = new java.util.ArrayList<>(java.util.Arrays.asList(1, 2.5, null, true));
        assertEquals(java.util.Map.of("n", n), a.metadata().get("extra"));
        Memory b = snapshot.longTerm().memories().get("b");
        assertEquals("preference", b.sourceType());
        assertEquals(9, b.metadata().get("k9"));
        assertEquals(java.util.Map.of(), b.metadata().get("k10"));
        assertEquals(12, b.metadata().size());
        assertThrows(UnsupportedOperationException.class, () -> b.metadata().put("k11", 1));
        assertEquals(snapshot, json.read(json.toBytes(snapshot), "again"));
    }

    @Test
    void everyTruncationOfAValidFileIsRefused() {
        byte[] seed = TestSnapshots.seedSnapshotJson();
        for (int length = 0; length < seed.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(seed, length);
            assertThrows(SnapshotFormatException.class, () -> json.read(cut, "cut"), "length " + length);
            assertThrows(SnapshotFormatException.class,
                    () -> json.readMetadata(new ByteArrayInputStream(cut), "cut"), "length " + length);
        }
    }

    @Test
    void turnMetadataRoundTripsAndIsLeftOutWhenEmpty() {
        java.util.Map<String, Object> lc4j = new java.util.LinkedHashMap<>();
        lc4j.put("langchain4j", "{\"text\":\"hi\",\"toolExecutionRequests\":[{\"name\":\"f\"}],\"type\":\"AI\"}");
        lc4j.put("tool_calls", java.util.List.of(java.util.Map.of("name", "f", "arguments", "{}")));
        lc4j.put("n", 3);
        java.time.LocalDateTime t = java.time.LocalDateTime.of(2025, 4, 26, 12, 0);
        dev.memsnap.api.MemorySnapshot snapshot = Snapshots.of("snapshot_20250426_120000_0000abcd", t,
                java.util.List.of(new dev.memsnap.api.Turn("user", "plain"),
                        new dev.memsnap.api.Turn("assistant", "hi", lc4j)), t, java.util.Map.of(), null);
        byte[] bytes = json.toBytes(snapshot);
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertEquals(1, text.split("\"metadata\"", -1).length - 1,
                "only the turn that has metadata carries the key: " + text);
        dev.memsnap.api.MemorySnapshot read = json.read(bytes, "test");
        org.junit.jupiter.api.Assertions.assertEquals(snapshot.shortTerm().turns(), read.shortTerm().turns());
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Map.of(), read.shortTerm().turns().get(0).metadata());
    }
}
