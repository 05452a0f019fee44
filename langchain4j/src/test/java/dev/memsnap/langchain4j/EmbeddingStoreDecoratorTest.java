package dev.memsnap.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.InvalidMemoryIdException;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What MemsnapEmbeddingStore adds to an EmbeddingStore, and that it changes nothing LangChain4j sees. */
class EmbeddingStoreDecoratorTest {
    @TempDir
    Path dir;
    private Memsnap memsnap;
    private MemoryManagers memories;

    @BeforeEach
    void start() {
        memsnap = Memsnap.start(ConfigFile.parse("t", "memory:\n  snapshot_dir: "
                + dir.toString().replace("\\", "/") + "\n"));
        memories = memsnap.memories();
    }

    @AfterEach
    void stop() {
        memsnap.close();
    }

    private static Embedding vector(float... values) {
        return Embedding.from(values);
    }

    private static Set<String> ids(EmbeddingStore<TextSegment> store) {
        return store.search(EmbeddingSearchRequest.builder().queryEmbedding(vector(1, 0, 0)).maxResults(100)
                .minScore(0.0).build()).matches().stream().map(EmbeddingMatch::embeddingId)
                .collect(Collectors.toSet());
    }

    @Test
    void eachAddedSegmentBecomesAMemoryUnderItsIdWithItsTextTopicsAndImportance() {
        InMemoryEmbeddingStore<TextSegment> delegate = new InMemoryEmbeddingStore<>();
        MemsnapEmbeddingStore store = MemsnapEmbeddingStore.wrap(delegate, memories, "alice");
        TextSegment paris = TextSegment.from("Alice lives in Paris", Metadata.from(Map.of(
                "source_type", "fact", "topics", "home, city", "importance", 0.9, "page", 3)));
        String id = store.add(vector(1, 0, 0), paris);
        store.add("plain-1", vector(0, 1, 0));

        Memory kept = memories.get("alice").memories().get(id);
        assertEquals("Alice lives in Paris", kept.content());
        assertEquals("fact", kept.sourceType());
        assertEquals(List.of("home", "city"), kept.topics());
        assertEquals(0.9, kept.importance());
        assertEquals(paris, SegmentMemories.segment(kept));
        assertArrayEquals(new float[] {1, 0, 0}, SegmentMemories.embedding(kept).vector());

        Memory alone = memories.get("alice").memories().get("plain-1");
        assertEquals("", alone.content());
        assertEquals(SegmentMemories.DEFAULT_SOURCE_TYPE, alone.sourceType());
        assertEquals(SegmentMemories.DEFAULT_IMPORTANCE, alone.importance());
        assertNull(SegmentMemories.segment(alone));

        assertEquals(Set.of(id, "plain-1"), ids(delegate), "the delegate holds what it was given");
        assertEquals(ids(delegate), ids(store), "search is the delegate's");
        assertEquals(0, store.failures());
    }

    @Test
    void aSegmentSavedAndLoadedBackIsTheLiveMemoryExactly() {
        MemsnapEmbeddingStore store = MemsnapEmbeddingStore.wrap(new InMemoryEmbeddingStore<>(), memories, "alice");
        String id = store.add(vector(0.1f, 0.2f, 0.3f), TextSegment.from("Alice lives in Paris",
                Metadata.from(Map.of("source_type", "fact", "importance", 0.8))));
        EnhancedMemoryManager alice = memories.get("alice");
        String snapshot = alice.createSnapshot();
        java.net.URI file = alice.saveSnapshot(snapshot);

        String loaded = alice.loadSnapshot(Path.of(file));
        assertEquals(alice.memories().get(id), alice.getSnapshot(loaded).orElseThrow().longTerm().memories().get(id),
                "the file keeps the timestamp to the microsecond, as the memory has it");
    }

    @Test
    void addAllKeepsTheDelegatesIdsAndRemovalsKeepMemsnapInStep() {
        MemsnapEmbeddingStore store = MemsnapEmbeddingStore.wrap(new InMemoryEmbeddingStore<>(), memories, "alice");
        List<String> ids = store.addAll(List.of(vector(1, 0, 0), vector(0, 1, 0), vector(0, 0, 1)), List.of(
                TextSegment.from("a", Metadata.from("kind", "note")), TextSegment.from("b", Metadata.from("kind", "doc")),
                TextSegment.from("c", Metadata.from("kind", "note"))));
        store.addAll(List.of("d", "e"), List.of(vector(1, 1, 0), vector(0, 1, 1)),
                List.of(TextSegment.from("d"), TextSegment.from("e")));
        EnhancedMemoryManager alice = memories.get("alice");
        String host = alice.addMemory("a host's own memory", "fact", 0.5, List.of());
        assertEquals(List.of(ids.get(0), ids.get(1), ids.get(2), "d", "e", host),
                List.copyOf(alice.memories().keySet()));

        store.remove(ids.get(1));
        store.removeAll(List.of("d", "no-such-id"));
        assertEquals(List.of(ids.get(0), ids.get(2), "e", host), List.copyOf(alice.memories().keySet()));

        store.removeAll(metadataKey("kind").isEqualTo("note"));
        assertEquals(List.of("e", host), List.copyOf(alice.memories().keySet()));
        assertEquals(Set.of("e"), ids(store));

        store.removeAll();
        assertEquals(List.of(host), List.copyOf(alice.memories().keySet()), "a memory without a vector stays");
        assertEquals(Set.of(), ids(store));
        assertEquals(0, store.failures());
    }

    @Test
    void byMetadataKeyEachSegmentGoesToTheMemoryItsMetadataNames() {
        MemsnapEmbeddingStore store = MemsnapEmbeddingStore.byMetadataKey(new InMemoryEmbeddingStore<>(), memories,
                "user_id");
        store.addAll(List.of("a1"), List.of(vector(1, 0, 0)), List.of(TextSegment.from("Alice likes tea", Metadata.from("user_id", "alice"))));
        store.addAll(List.of("b1", "n1", "a2"), List.of(vector(0, 1, 0), vector(0, 0, 1), vector(1, 1, 0)), List.of(
                TextSegment.from("Bob likes coffee", Metadata.from(Map.of("user_id", "bob"))),
                TextSegment.from("shared manual page"),
                TextSegment.from("Alice is 30", Metadata.from(Map.of("user_id", "alice")))));
        assertEquals(List.of("a1", "a2"), List.copyOf(memories.get("alice").memories().keySet()));
        assertEquals(List.of("b1"), List.copyOf(memories.get("bob").memories().keySet()));
        assertEquals(1, store.skipped(), "a segment without user_id is the delegate's alone");
        assertEquals(Set.of("a1", "a2", "b1", "n1"), ids(store));

        store.addAll(List.of("a1"), List.of(vector(1, 0, 0)), List.of(TextSegment.from("now Bob's", Metadata.from("user_id", "bob"))));
        assertEquals(List.of("a2"), List.copyOf(memories.get("alice").memories().keySet()), "moved out of alice");

        store.removeAll(List.of("a2", "b1", "n1"));
        assertEquals(Map.of(), memories.get("alice").memories());
        assertEquals(List.of("a1"), List.copyOf(memories.get("bob").memories().keySet()));

        store.removeAll(metadataKey("user_id").isEqualTo("bob"));
        assertEquals(Map.of(), memories.get("bob").memories());
        assertEquals(0, store.failures());
    }

    @Test
    void theDelegatesFailuresReachTheCallerAndMemsnapRecordsNothing() {
        EmbeddingStore<TextSegment> searchOnly = new InMemoryEmbeddingStore<>() {
            @Override
            public void removeAll(java.util.Collection<String> ids) {
                throw new IllegalStateException("read-only");
            }
        };
        MemsnapEmbeddingStore store = MemsnapEmbeddingStore.wrap(searchOnly, memories, "alice");
        store.addAll(List.of("x"), List.of(vector(1, 0, 0)), List.of(TextSegment.from("x")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.removeAll(List.of("x")));
        assertEquals("read-only", e.getMessage());
        assertTrue(memories.get("alice").memories().containsKey("x"), "the delegate kept it, so memsnap does");
        assertEquals(0, store.failures());
    }

    @Test
    void memsnapsOwnFailuresAreCountedAndNeverFailTheCall() {
        MemsnapEmbeddingStore store = MemsnapEmbeddingStore.byMetadataKey(new InMemoryEmbeddingStore<>(), memories,
                "user_id");
        String id = store.add(vector(1, 0, 0), TextSegment.from("no valid user", Metadata.from("user_id", "")));
        assertEquals(Set.of(id), ids(store));
        assertEquals(1, store.failures(), "an empty string is no memory id");

        assertThrows(InvalidMemoryIdException.class,
                () -> MemsnapEmbeddingStore.wrap(new InMemoryEmbeddingStore<>(), memories, ""));
        assertThrows(IllegalArgumentException.class,
                () -> MemsnapEmbeddingStore.byMetadataKey(new InMemoryEmbeddingStore<>(), memories, " "));
    }

    @Test
    void aHostsOwnMemoriesAreNeitherRemovedNorWrittenToTheDelegate() {
        InMemoryEmbeddingStore<TextSegment> delegate = new InMemoryEmbeddingStore<>();
        MemsnapEmbeddingStore store = MemsnapEmbeddingStore.wrap(delegate, memories, "alice");
        store.addAll(List.of("s"), List.of(vector(1, 0, 0)), List.of(TextSegment.from("segment")));
        memories.get("alice").addMemory("typed by hand", "fact", 0.5, List.of());
        store.restoreDelegate("alice");
        assertEquals(Set.of("s"), ids(delegate));
        store.restoreDelegate("bob"); // not this store's memory id: ignored
        assertEquals(Set.of("s"), ids(delegate));
        assertFalse(memories.get("bob").memories().containsKey("s"));
    }
}
