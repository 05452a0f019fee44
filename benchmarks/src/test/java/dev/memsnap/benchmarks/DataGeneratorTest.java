package dev.memsnap.benchmarks;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.compare.SnapshotComparator;
import dev.memsnap.core.compare.SnapshotDiff;
import dev.memsnap.core.format.SnapshotIds;
import dev.memsnap.core.format.SnapshotJson;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataGeneratorTest {
    private final DataGenerator generator = new DataGenerator();

    @Test
    void isDeterministic() {
        DataGenerator other = new DataGenerator();
        assertEquals(generator.memories(200), other.memories(200));
        assertEquals(generator.turns(50), other.turns(50));
        assertEquals(generator.snapshot(100, 10), other.snapshot(100, 10));
        assertNotEquals(generator.memory(0), new DataGenerator(1).memory(0));
    }

    @Test
    void memoriesLookReal() {
        Map<String, Memory> memories = generator.memories(2_000);
        Set<String> sourceTypes = new HashSet<>();
        Memory previous = null;
        for (Memory m : memories.values()) {
            int bytes = DataGenerator.bytesOf(m.content());
            assertTrue(bytes >= 200 && bytes <= 500, "content of " + bytes + " bytes: " + m.content());
            assertTrue(m.topics().size() >= 1 && m.topics().size() <= 4, m.topics().toString());
            assertTrue(generator.topicVocabulary().containsAll(m.topics()));
            assertTrue(m.importance() >= 0 && m.importance() <= 1);
            assertTrue(m.metadata().containsKey("confidence") && m.metadata().containsKey("origin"));
            sourceTypes.add(m.sourceType());
            if (previous != null) {
                assertTrue(m.timestamp().isAfter(previous.timestamp()), "timestamps increase");
            }
            previous = m;
        }
        assertEquals(Set.copyOf(DataGenerator.sourceTypes()), sourceTypes);
        assertEquals(DataGenerator.TOPIC_VOCABULARY, generator.topicVocabulary().size());
        assertTrue(generator.vocabularySize() > 3_000);
        assertEquals("memory_1", memories.keySet().iterator().next());
    }

    @Test
    void turnsAlternateAndVary() {
        List<Turn> turns = generator.turns(300);
        assertEquals(300, turns.size());
        assertEquals("user", turns.get(0).role());
        assertEquals("assistant", turns.get(1).role());
        int shortest = turns.stream().mapToInt(t -> t.content().length()).min().orElseThrow();
        int longest = turns.stream().mapToInt(t -> t.content().length()).max().orElseThrow();
        assertTrue(shortest < 100 && longest > 800, shortest + ".." + longest);
    }

    @Test
    void snapshotsRoundTripThroughTheFormatAndCompressLikeText() throws IOException {
        MemorySnapshot snapshot = generator.snapshot(1_000, 300);
        assertTrue(SnapshotIds.isValid(snapshot.snapshotId()), snapshot.snapshotId());
        SnapshotJson json = new SnapshotJson();
        byte[] bytes = json.toBytes(snapshot);
        assertEquals(snapshot, json.read(bytes, "test"));
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(bytes);
        }
        double ratio = (double) bytes.length / compressed.size();
        assertTrue(ratio > 2 && ratio < 6, "gzip ratio " + ratio + " is not that of real text");
    }

    @Test
    void changesAreWhatTheySay() {
        MemorySnapshot base = generator.snapshot(10_000, 10);
        SnapshotDiff diff = SnapshotComparator.compare(base, generator.withChanges(base, 100, false));
        assertEquals(50, diff.memoriesChanged().size());
        assertEquals(25, diff.memoriesRemoved().size());
        assertEquals(25, diff.memoriesAdded().size());
        SnapshotDiff modified = SnapshotComparator.compare(base, generator.withChanges(base, 100, true));
        assertEquals(100, modified.memoriesChanged().size());
        assertTrue(modified.memoriesAdded().isEmpty() && modified.memoriesRemoved().isEmpty());
    }

    @Test
    void theBaselineWritesTheSameLayout() {
        MemorySnapshot snapshot = generator.snapshot(500, 20);
        NaiveMemoryManager naive = new NaiveMemoryManager(null);
        byte[] bytes = naive.toBytes(NaiveMemoryManager.toMaps(snapshot));
        MemorySnapshot read = new SnapshotJson().read(bytes, "baseline");
        assertEquals(snapshot.longTerm().memories(), read.longTerm().memories());
        assertEquals(snapshot.shortTerm().turns(), read.shortTerm().turns());
    }
}
