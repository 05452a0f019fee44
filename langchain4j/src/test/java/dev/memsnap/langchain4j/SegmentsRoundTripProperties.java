package dev.memsnap.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Embedded segments (ids, vectors bit for bit, metadata of every type LangChain4j's metadata holds) come back exactly
 * after the store records them, a snapshot is saved, loaded into a fresh runtime over the same directory and applied
 * there into an empty embedding store.
 */
class SegmentsRoundTripProperties {
    private static final String ID = "round-trip";
    private static final int DIMENSION = 8;

    /** LangChain4j's in-memory store, which also tells what it was given (its entries are its own). */
    static final class Written extends InMemoryEmbeddingStore<TextSegment> {
        final List<String> ids = new java.util.ArrayList<>();
        final List<Embedding> embeddings = new java.util.ArrayList<>();
        final List<TextSegment> segments = new java.util.ArrayList<>();

        @Override
        public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
            super.addAll(ids, embeddings, segments);
            this.ids.addAll(ids);
            this.embeddings.addAll(embeddings);
            this.segments.addAll(segments);
        }
    }

    /** One embedded segment, as generated. */
    record Entry(String id, float[] vector, TextSegment segment) {
    }

    @Property(tries = 60)
    void segmentsRoundTripThroughSaveLoadAndApply(@ForAll("segments") List<Entry> entries,
                                                  @ForAll("stores") String storeName) throws IOException {
        Path dir = Files.createTempDirectory("memsnap-lc4j-seg-");
        try {
            String yaml = "memory:\n  snapshot_dir: " + dir.toString().replace("\\", "/") + "\n  store: " + storeName
                    + "\n";
            URI location;
            String snapshotId;
            try (Memsnap first = Memsnap.start(ConfigFile.parse("first", yaml))) {
                MemsnapEmbeddingStore store = MemsnapEmbeddingStore.wrap(new InMemoryEmbeddingStore<>(),
                        first.memories(), ID);
                store.addAll(entries.stream().map(Entry::id).toList(),
                        entries.stream().map(e -> Embedding.from(e.vector())).toList(),
                        entries.stream().map(Entry::segment).toList());
                EnhancedMemoryManager memory = first.memories().get(ID);
                assertEquals(entries.stream().map(Entry::id).toList(), List.copyOf(memory.memories().keySet()));
                snapshotId = memory.createSnapshot();
                location = memory.saveSnapshot(snapshotId);
                assertEquals(0, store.failures());
            }
            try (Memsnap second = Memsnap.start(ConfigFile.parse("second", yaml))) {
                Written empty = new Written();
                MemsnapEmbeddingStore store = MemsnapEmbeddingStore.wrap(empty, second.memories(), ID);
                EnhancedMemoryManager memory = second.memories().get(ID);
                assertEquals(snapshotId, memory.loadSnapshot(location));
                assertTrue(memory.applySnapshot(snapshotId));

                assertEquals(entries.size(), empty.size());
                assertEquals(entries.stream().map(Entry::id).toList(), empty.ids);
                for (int i = 0; i < entries.size(); i++) {
                    Entry e = entries.get(i);
                    assertArrayEquals(bits(e.vector()), bits(empty.embeddings.get(i).vector()), e.id());
                    TextSegment restored = empty.segments.get(i);
                    assertEquals(e.segment(), restored, e.id());
                    restored.metadata().toMap().forEach((k, v) -> assertEquals(
                            e.segment().metadata().toMap().get(k).getClass(), v.getClass(), k));
                }
                assertEquals(0, store.failures());
            }
        } finally {
            TempTrees.delete(dir);
        }
    }

    @Provide
    Arbitrary<String> stores() {
        return Arbitraries.of("file", "incremental");
    }

    @Provide
    Arbitrary<List<Entry>> segments() {
        Arbitrary<float[]> vector = Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE)
                .map(Float::intBitsToFloat).filter(f -> !Float.isNaN(f))
                .injectDuplicates(0.1).edgeCases(c -> c.add(-0.0f).add(Float.MIN_VALUE).add(Float.MAX_VALUE))
                .array(float[].class).ofSize(DIMENSION);
        Arbitrary<Object> value = Arbitraries.oneOf(
                text().map(s -> (Object) s),
                Arbitraries.randomValue(r -> (Object) new UUID(r.nextLong(), r.nextLong())),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.floats().filter(Float::isFinite).map(f -> (Object) f),
                Arbitraries.doubles().filter(Double::isFinite).map(d -> (Object) d));
        Arbitrary<Map<String, Object>> metadata = Arbitraries.maps(
                Arbitraries.strings().alpha().numeric().withChars("_-.").ofMinLength(1).ofMaxLength(10), value)
                .ofMaxSize(6);
        Arbitrary<TextSegment> segment = Combinators.combine(text().filter(s -> !s.isBlank()), metadata)
                .as((text, m) -> TextSegment.from(text, Metadata.from(m)));
        Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.create(() -> UUID.randomUUID().toString()),
                text().filter(s -> !s.isBlank()));
        return Combinators.combine(id, vector, segment).as(Entry::new).list().ofMaxSize(12)
                .uniqueElements(Entry::id);
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange(' ', '\uD7FF').withChars("\n\t\r\"\\\u0000\u001f,")
                .ofMaxLength(30);
    }

    private static int[] bits(float[] vector) {
        int[] bits = new int[vector.length];
        for (int i = 0; i < vector.length; i++) {
            bits[i] = Float.floatToRawIntBits(vector[i]);
        }
        return bits;
    }
}
