package dev.memsnap.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.spring.vectorstore.DocumentMemories;
import dev.memsnap.spring.vectorstore.MemsnapVectorStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.vectorstore.QuestionAnswerAdvisor;
import org.springframework.ai.chat.client.advisor.vectorstore.VectorStoreChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real SimpleVectorStore behind the memsnap decorator, over memsnap's own runtime and file store: documents of two
 * conversation ids become memsnap memories of those ids, and apply and undo put one id's documents back exactly (ids,
 * texts, metadata with their types, embeddings) without calling the embedding model, leaving the other id alone.
 */
class VectorStoreSnapshotTest {
    @TempDir
    Path dir;

    private Memsnap memsnap;
    private WordEmbeddingModel model;
    private SimpleVectorStore simple;
    private MemsnapVectorStore store;

    @BeforeEach
    void start() {
        memsnap = Memsnap.start(ConfigFile.of("test", Map.of("memory", Map.of("snapshot_dir",
                dir.resolve("snapshots").toString()))));
        model = new WordEmbeddingModel();
        simple = SimpleVectorStore.builder(model).build();
        store = MemsnapVectorStore.byMetadataKey(simple, memsnap.memories(), "conversationId");
    }

    @AfterEach
    void stop() {
        store.close();
        memsnap.close();
    }

    @Test
    void applyAndUndoRestoreOneConversationsDocumentsExactlyWithoutEmbedding() throws Exception {
        Map<String, Object> catMetadata = new LinkedHashMap<>();
        catMetadata.put("conversationId", "alice");
        catMetadata.put("topics", List.of("pets", "cats"));
        catMetadata.put("importance", 0.9);
        catMetadata.put("page", 3);
        catMetadata.put("offset", 12L);
        catMetadata.put("score", 1.5f);
        catMetadata.put("reviewed", true);
        store.add(List.of(new Document("a1", "cats purr softly on the sofa", catMetadata),
                new Document("a2", "dogs bark loudly at the door", Map.of("conversationId", "alice")),
                new Document("b1", "bob likes jazz and cats", Map.of("conversationId", "bob"))));
        store.add(List.of(new Document("n1", "a document of no conversation", Map.of("source", "manual"))));
        assertTrue(store.keepsEmbeddings());
        assertEquals(1, store.skipped(), "a document without conversationId is not recorded");
        EnhancedMemoryManager alice = memsnap.memories().get("alice");
        Memory cat = alice.memories().get("a1");
        assertEquals("cats purr softly on the sofa", cat.content());
        assertEquals(List.of("pets", "cats"), cat.topics());
        assertEquals(0.9, cat.importance());
        assertArrayEquals(WordEmbeddingModel.vector("cats purr softly on the sofa"), DocumentMemories.embedding(cat),
                "the vector the store computed, kept without a second embedding call");
        assertEquals(4, model.embedded(), "one embedding per document added, none by memsnap");
        Map<String, JsonNode> before = saved("before");

        String snapshot = alice.createSnapshot();
        alice.saveSnapshot(snapshot);
        store.delete(List.of("a2"));
        store.add(List.of(new Document("a1", "cats hiss at the vacuum", Map.of("conversationId", "alice")),
                new Document("a3", "parrots talk all day", Map.of("conversationId", "alice")),
                new Document("b2", "bob plays the saxophone", Map.of("conversationId", "bob"))));
        Map<String, JsonNode> changed = saved("changed");
        int embeddedBeforeApply = model.embedded();

        assertTrue(alice.applySnapshot(snapshot));
        assertEquals(embeddedBeforeApply, model.embedded(), "restoring embedded nothing");
        Map<String, JsonNode> applied = saved("applied");
        assertEquals(only(before, "a1", "a2"), only(applied, "a1", "a2", "a3"),
                "alice's documents are the snapshot's: ids, texts, metadata and embeddings");
        assertEquals(only(changed, "b1", "b2", "n1"), only(applied, "b1", "b2", "n1"), "bob's are untouched");
        assertEquals(Map.of("a1", "cats purr softly on the sofa", "a2", "dogs bark loudly at the door"),
                search("cats purr", "alice"));
        assertEquals(Map.of("b1", "bob likes jazz and cats", "b2", "bob plays the saxophone"), search("bob", "bob"));
        Document restored = store.similaritySearch(SearchRequest.builder().query("cats purr softly").topK(1)
                .filterExpression("conversationId == 'alice'").build()).get(0);
        Map<String, Object> metadata = new LinkedHashMap<>(restored.getMetadata());
        metadata.remove("distance");
        assertEquals(catMetadata, metadata, "metadata back with their Java types (Integer, Long, Float, Boolean)");

        int embeddedBeforeUndo = model.embedded();
        assertTrue(alice.undoApply());
        assertEquals(embeddedBeforeUndo, model.embedded(), "undoing embedded nothing");
        assertEquals(only(changed, "a1", "a2", "a3"), only(saved("undone"), "a1", "a2", "a3"),
                "undo brings the change back");
        assertEquals(Map.of("a1", "cats hiss at the vacuum", "a3", "parrots talk all day"), search("cats", "alice"));
        assertEquals(0, store.failures());
    }

    @Test
    void deletingByFilterRemovesTheMatchingDocumentsFromMemsnap() {
        store.add(List.of(new Document("a1", "cats", Map.of("conversationId", "alice", "year", 2023)),
                new Document("a2", "dogs", Map.of("conversationId", "alice", "year", 2025)),
                new Document("b1", "jazz", Map.of("conversationId", "bob", "year", 2021))));

        store.delete("year < 2024 && conversationId == 'alice'");
        assertEquals(List.of("a2"), List.copyOf(memsnap.memories().get("alice").memories().keySet()));
        store.delete("year >= 2020");
        assertEquals(Map.of(), memsnap.memories().get("alice").memories());
        assertEquals(Map.of(), memsnap.memories().get("bob").memories());
        assertEquals(0, store.failures());
    }

    @Test
    void throughChatClientTheAdvisorsSeeTheSnapshotsDocumentsAfterAnApply() {
        ScriptedChatModel chat = new ScriptedChatModel();
        ChatClient client = ChatClient.builder(chat).build();
        VectorStoreChatMemoryAdvisor memory = VectorStoreChatMemoryAdvisor.builder(store).defaultTopK(20).build();
        client.prompt().user("my cat is called Miso").advisors(memory)
                .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "alice")).call().content();
        client.prompt().user("bob here, I play jazz").advisors(memory)
                .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "bob")).call().content();
        EnhancedMemoryManager alice = memsnap.memories().get("alice");
        assertEquals(2, alice.memories().size(), "the advisor's user and assistant documents of alice");
        String snapshot = alice.createSnapshot();
        client.prompt().user("actually my cat is called Tofu").advisors(memory)
                .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "alice")).call().content();

        alice.applySnapshot(snapshot);
        client.prompt().user("what is my cat called?").advisors(memory)
                .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "alice")).call().content();
        String system = chat.lastPrompt().get(0);
        assertTrue(system.contains("my cat is called Miso"), system);
        assertTrue(!system.contains("Tofu") && !system.contains("jazz"), system);

        store.add(List.of(new Document("fact", "Miso is a grey cat", Map.of("conversationId", "alice"))));
        String withFact = alice.createSnapshot();
        store.delete(List.of("fact"));
        alice.applySnapshot(withFact);
        QuestionAnswerAdvisor rag = QuestionAnswerAdvisor.builder(store).searchRequest(SearchRequest.builder()
                .topK(1).build()).build();
        client.prompt().user("grey cat").advisors(rag)
                .advisors(a -> a.param(QuestionAnswerAdvisor.FILTER_EXPRESSION, "conversationId == 'alice'"))
                .call().content();
        String user = chat.lastPrompt().get(chat.lastPrompt().size() - 1);
        assertTrue(user.contains("Miso is a grey cat"), user);
        assertEquals(0, store.failures());
    }

    private Map<String, String> search(String query, String conversation) {
        return store.similaritySearch(SearchRequest.builder().query(query).topK(10)
                        .filterExpression("conversationId == '" + conversation + "'").build()).stream()
                .collect(Collectors.toMap(Document::getId, Document::getText));
    }

    /** The store as SimpleVectorStore.save writes it: id, text, metadata and embedding of every document. */
    private Map<String, JsonNode> saved(String name) throws Exception {
        Path file = dir.resolve(name + ".json");
        simple.save(file.toFile());
        Map<String, JsonNode> documents = new TreeMap<>();
        JsonMapper.builder().build().readTree(file.toFile()).fields()
                .forEachRemaining(e -> documents.put(e.getKey(), e.getValue()));
        return documents;
    }

    private static Map<String, JsonNode> only(Map<String, JsonNode> documents, String... ids) {
        Map<String, JsonNode> kept = new TreeMap<>();
        for (String id : ids) {
            if (documents.containsKey(id)) {
                kept.put(id, documents.get(id));
            }
        }
        return kept;
    }
}
