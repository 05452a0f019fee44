package dev.memsnap.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What keeping the vectors costs in a snapshot file: the same 384-dimension MiniLM segments saved with and without
 * their {@code langchain4j} metadata, per compression setting. A size, not a time: it is the same on every machine.
 * Writes the figures to {@code target/embedding-size-overhead.txt}.
 */
class VectorSizeOverheadTest {
    private static final int SEGMENTS = 200;
    private static List<TextSegment> segments;
    private static List<Embedding> embeddings;

    @TempDir
    Path dir;

    @BeforeAll
    static void embed() {
        AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
        segments = new ArrayList<>();
        String[] people = {"Alice", "Bob", "Chen", "Dara", "Emil"};
        String[] facts = {"lives in %s", "works at %s", "likes %s", "was born in %s", "travels to %s each summer"};
        String[] things = {"Paris", "Oslo", "a bakery", "jazz", "Kyoto", "the mountains", "Lisbon", "chess"};
        for (int i = 0; i < SEGMENTS; i++) {
            String text = people[i % people.length] + " " + String.format(Locale.ROOT, facts[(i / 5) % facts.length],
                    things[(i / 25) % things.length]) + " (note " + i + ")";
            segments.add(TextSegment.from(text, Metadata.from(Map.of("user_id", "u", "source_type", "fact",
                    "topics", "profile", "document", "notes.md", "page", i / 10))));
        }
        embeddings = model.embedAll(segments).content();
    }

    private long savedBytes(String compression, boolean withVectors) throws IOException {
        Path snapshots = Files.createDirectories(dir.resolve(compression + "-" + withVectors));
        String yaml = "memory:\n  snapshot_dir: " + snapshots.toString().replace("\\", "/") + "\n  compression: "
                + compression + "\n";
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("t", yaml))) {
            MemsnapEmbeddingStore store = MemsnapEmbeddingStore.wrap(new InMemoryEmbeddingStore<>(),
                    memsnap.memories(), "u");
            List<String> ids = store.addAll(embeddings, segments);
            EnhancedMemoryManager memory = memsnap.memories().get("u");
            if (!withVectors) { // the same memories as a host would keep them without this store
                Map<String, Memory> plain = new LinkedHashMap<>();
                memory.memories().forEach((key, m) -> {
                    Map<String, Object> metadata = new LinkedHashMap<>(m.metadata());
                    metadata.remove(SegmentMemories.METADATA_KEY);
                    plain.put(key, new Memory(m.content(), m.timestamp(), m.importance(), metadata));
                });
                memory.removeMemories(ids);
                memory.putMemories(plain);
            }
            return Files.size(Path.of(memory.saveSnapshot(memory.createSnapshot())));
        }
    }

    @Test
    void keepingA384DimensionVectorCostsAboutItsBase64PerSegment() throws IOException {
        StringBuilder report = new StringBuilder("Snapshot file bytes for " + SEGMENTS
                + " MiniLM (384-dim) segments, with and without vectors and LangChain4j metadata\n");
        for (String compression : List.of("none", "gzip", "zstd")) {
            long with = savedBytes(compression, true);
            long without = savedBytes(compression, false);
            double perSegment = (with - without) / (double) SEGMENTS;
            report.append(String.format(Locale.ROOT, "%-5s with %8d  without %7d  overhead %7.1f bytes/segment%n",
                    compression, with, without, perSegment));
            if (compression.equals("none")) {
                // 1,536 bytes of float32 are 2,048 base64 characters; the metadata copy and key names add a little
                assertTrue(perSegment > 2048 && perSegment < 2600, report.toString());
            } else {
                assertTrue(perSegment < 2048, "compressed, the base64 is at most its raw bytes: " + report);
            }
        }
        Files.writeString(Path.of("target", "embedding-size-overhead.txt"), report);
        System.out.print(report);
    }
}
