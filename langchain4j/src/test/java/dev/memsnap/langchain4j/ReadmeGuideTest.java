package dev.memsnap.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import dev.langchain4j.store.memory.chat.InMemoryChatMemoryStore;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's five-minute guide, step by step, with the test model in place of the application's. */
class ReadmeGuideTest {
    interface Assistant {
        String chat(@MemoryId String user, @UserMessage String message);
    }

    @TempDir
    Path dir;

    @Test
    void theGuideRunsAsWritten() {
        String yaml = "memory:\n  snapshot_dir: " + dir.toString().replace("\\", "/") + "\n";
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("config.yaml", yaml))) {
            MemoryManagers memories = memsnap.memories();
            ChatMemoryStore yours = new InMemoryChatMemoryStore();
            try (MemsnapChatMemoryStore store = MemsnapChatMemoryStore.wrap(yours, memories)) {
                Assistant assistant = AiServices.builder(Assistant.class)
                        .chatModel(new RecordingChatModel())
                        .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(10)
                                .chatMemoryStore(store).build())
                        .build();

                assistant.chat("alice", "I live in Paris");
                assistant.chat("bob", "I live in Oslo");
                EnhancedMemoryManager alice = memories.get("alice");
                String paris = alice.createSnapshot();
                alice.saveSnapshot(paris);
                assistant.chat("alice", "I moved to Rome");

                alice.applySnapshot(paris);
                assertEquals("You live in Paris.", assistant.chat("alice", "Where do I live?"));
                assertEquals("You live in Oslo.", assistant.chat("bob", "Where do I live?"));
                alice.undoApply();
                assertEquals("You live in Rome.", assistant.chat("alice", "Where do I live?"));

                List<SnapshotMetadata> history = alice.history(alice.createSnapshot());
                assertEquals(true, history.size() >= 2, history.toString());
                alice.enableAutoSnapshot(10);
                assertEquals(0, store.failures());
            }
        }
    }

    @Test
    void theEmbeddingStoreGuideRunsAsWritten() {
        String yaml = "memory:\n  snapshot_dir: " + dir.toString().replace("\\", "/") + "\n";
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("config.yaml", yaml))) {
            MemoryManagers memories = memsnap.memories();
            MemsnapChatMemoryStore store = MemsnapChatMemoryStore.inMemory(memories);
            RecordingChatModel model = new RecordingChatModel();

            EmbeddingStore<TextSegment> yours = new InMemoryEmbeddingStore<>();
            MemsnapEmbeddingStore knowledge = MemsnapEmbeddingStore.byMetadataKey(yours, memories, "user_id");
            EmbeddingModel embeddings = new AllMiniLmL6V2EmbeddingModel();
            TextSegment fact = TextSegment.from("Alice lives in Paris",
                    Metadata.from("user_id", "alice").put("topics", "home").put("source_type", "fact"));
            knowledge.add(embeddings.embed(fact).content(), fact);

            Assistant assistant = AiServices.builder(Assistant.class)
                    .chatModel(model)
                    .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(10)
                            .chatMemoryStore(store).build())
                    .contentRetriever(EmbeddingStoreContentRetriever.builder()
                            .embeddingStore(knowledge)
                            .embeddingModel(embeddings)
                            .maxResults(3)
                            .dynamicFilter(query -> metadataKey("user_id")
                                    .isEqualTo(String.valueOf(query.metadata().chatMemoryId())))
                            .build())
                    .build();

            EnhancedMemoryManager alice = memories.get("alice");
            String paris = alice.createSnapshot();
            knowledge.removeAll(metadataKey("user_id").isEqualTo("alice").and(metadataKey("topics").isEqualTo("home")));
            TextSegment rome = TextSegment.from("Alice lives in Rome",
                    Metadata.from("user_id", "alice").put("topics", "home"));
            knowledge.add(embeddings.embed(rome).content(), rome);
            assistant.chat("alice", "Where do I live?");
            assertTrue(model.lastRequest().toString().contains("Alice lives in Rome"));

            alice.applySnapshot(paris);
            assistant.chat("alice", "Where do I live?");
            assertTrue(model.lastRequest().toString().contains("Alice lives in Paris"));
            assertFalse(model.lastRequest().toString().contains("Alice lives in Rome"));
            alice.undoApply();
            assistant.chat("alice", "Where do I live?");
            assertTrue(model.lastRequest().toString().contains("Alice lives in Rome"));
            assertEquals(0, knowledge.failures());
            knowledge.close();
            store.close();
        }
    }
}
