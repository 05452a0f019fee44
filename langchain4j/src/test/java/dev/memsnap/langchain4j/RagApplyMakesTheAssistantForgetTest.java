package dev.memsnap.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.input.PromptTemplate;
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import dev.langchain4j.rag.RetrievalAugmentor;
import dev.langchain4j.rag.content.injector.DefaultContentInjector;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.store.postgres.PostgresServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real AiServices assistant with chat memory over MemsnapChatMemoryStore and RAG over MemsnapEmbeddingStore, with the
 * real MiniLM model: an apply gives the model exactly the snapshot's messages and retrieved segments, for one user.
 */
class RagApplyMakesTheAssistantForgetTest {
    private static final int WINDOW = 6;
    private static final int RETRIEVED = 2;
    private static final String CONTENTS = "\n--- what is known:\n";
    private static EmbeddingModel model;

    interface Assistant {
        String chat(@MemoryId String user, @dev.langchain4j.service.UserMessage String message);
    }

    @TempDir
    Path dir;

    @BeforeAll
    static void loadModel() {
        model = new AllMiniLmL6V2EmbeddingModel(); // about a second; one per class
    }

    private String config(String store) {
        String yaml = "memory:\n  snapshot_dir: " + dir.toString().replace("\\", "/") + "\n  store: " + store + "\n";
        if (store.equals("postgres")) {
            PostgresServer server = PostgresServer.shared();
            yaml += "  postgres:\n    url: " + server.url(server.createDatabase()) + "\n    user: " + PostgresServer.USER
                    + "\n    password_env: " + PostgresServer.PASSWORD_ENV + "\n    connection_timeout: 5s\n";
        }
        return yaml;
    }

    /** The host's ingestion: a fact of one user, embedded and stored. */
    private static String learn(EmbeddingStore<TextSegment> store, String user, String fact, String topic) {
        TextSegment segment = TextSegment.from(fact, Metadata.from(Map.of("user_id", user, "source_type", "fact",
                "topics", topic)));
        return store.add(model.embed(segment).content(), segment);
    }

    private static EmbeddingStoreContentRetriever retriever(EmbeddingStore<TextSegment> store) {
        return EmbeddingStoreContentRetriever.builder().embeddingStore(store).embeddingModel(model)
                .maxResults(RETRIEVED).minScore(0.0)
                .dynamicFilter(query -> metadataKey("user_id").isEqualTo(String.valueOf(query.metadata().chatMemoryId())))
                .build();
    }

    private static RetrievalAugmentor augmentor(EmbeddingStore<TextSegment> store) {
        return DefaultRetrievalAugmentor.builder().contentRetriever(retriever(store))
                .contentInjector(DefaultContentInjector.builder()
                        .promptTemplate(PromptTemplate.from("{{userMessage}}" + CONTENTS + "{{contents}}")).build())
                .build();
    }

    /** The segments the model was given with the last request, as the injector wrote them. */
    private static List<String> retrievedIn(List<ChatMessage> request) {
        String text = ((UserMessage) request.get(request.size() - 1)).singleText();
        int at = text.indexOf(CONTENTS);
        return at < 0 ? List.of() : List.of(text.substring(at + CONTENTS.length()).split("\n\n"));
    }

    /** What the same retriever finds for a question over a plain store that holds exactly these segments. */
    private static List<String> retrievedFrom(Map<String, Memory> segments, String user, String question) {
        InMemoryEmbeddingStore<TextSegment> control = new InMemoryEmbeddingStore<>();
        segments.forEach((id, memory) -> control.addAll(List.of(id), List.of(SegmentMemories.embedding(memory)),
                List.of(SegmentMemories.segment(memory))));
        return retriever(control).retrieve(dev.langchain4j.rag.query.Query.from(question,
                dev.langchain4j.rag.query.Metadata.from(UserMessage.from(question), user, List.of())))
                .stream().map(c -> c.textSegment().text()).toList();
    }

    /** Every segment the store holds for a user: id to (text, vector). */
    private static Map<String, Map.Entry<String, float[]>> held(EmbeddingStore<TextSegment> store, String user) {
        List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(model.embed("anything").content()).maxResults(1000).minScore(0.0)
                .filter(metadataKey("user_id").isEqualTo(user)).build()).matches();
        Map<String, Map.Entry<String, float[]>> byId = new LinkedHashMap<>();
        matches.stream().sorted(Comparator.comparing(EmbeddingMatch::embeddingId)).forEach(m ->
                byId.put(m.embeddingId(), Map.entry(m.embedded().text(), m.embedding().vector())));
        return byId;
    }

    private static void assertSameSegments(Map<String, Map.Entry<String, float[]>> expected,
                                           Map<String, Map.Entry<String, float[]>> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((id, e) -> {
            assertEquals(e.getKey(), actual.get(id).getKey());
            assertArrayEquals(e.getValue(), actual.get(id).getValue(), 0f, id);
        });
    }

    private static <T> List<T> tail(List<T> list, int n) {
        return list.subList(Math.max(0, list.size() - n), list.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "incremental", "postgres"})
    void applyGivesTheModelTheSnapshotsMessagesAndSegmentsAndUndoBringsTheChangeBack(String storeName) {
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("t", config(storeName)))) {
            MemoryManagers memories = memsnap.memories();
            MemsnapChatMemoryStore chatStore = MemsnapChatMemoryStore.inMemory(memories);
            InMemoryEmbeddingStore<TextSegment> vectors = new InMemoryEmbeddingStore<>();
            MemsnapEmbeddingStore knowledge = MemsnapEmbeddingStore.byMetadataKey(vectors, memories, "user_id");
            RecordingChatModel chat = new RecordingChatModel();
            Assistant assistant = AiServices.builder(Assistant.class)
                    .chatModel(chat)
                    .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(WINDOW)
                            .chatMemoryStore(chatStore).build())
                    .retrievalAugmentor(augmentor(knowledge))
                    .build();

            String paris = learn(knowledge, "alice", "Alice lives in Paris", "home");
            learn(knowledge, "alice", "Alice works at ACME as a baker", "work");
            learn(knowledge, "alice", "Alice has a cat called Tom", "pets");
            learn(knowledge, "bob", "Bob lives in Oslo", "home");
            learn(knowledge, "bob", "Bob plays the cello", "music");
            assistant.chat("alice", "Hello");
            assistant.chat("bob", "Hi there");
            assistant.chat("alice", "I live in Paris");
            assistant.chat("bob", "Where do I live?");
            List<String> bobRetrieved = retrievedFrom(memories.get("bob").memories(), "bob", "Where do I live?");
            assertEquals(bobRetrieved, retrievedIn(chat.lastRequest()));
            assertTrue(bobRetrieved.contains("Bob lives in Oslo"), bobRetrieved.toString());

            EnhancedMemoryManager alice = memories.get("alice");
            String snapshotId = alice.createSnapshot();
            alice.saveSnapshot(snapshotId);
            Map<String, Memory> snapshotSegments = alice.getSnapshot(snapshotId).orElseThrow().longTerm().memories();
            List<ChatMessage> snapshotConversation = MemsnapChatMemoryStore.conversation(
                    alice.getSnapshot(snapshotId).orElseThrow().shortTerm().turns());
            Map<String, Map.Entry<String, float[]>> aliceBefore = held(vectors, "alice");
            Map<String, Map.Entry<String, float[]>> bob = held(vectors, "bob");
            List<Memory> bobMemories = List.copyOf(memories.get("bob").memories().values());
            assertEquals(3, snapshotSegments.size());

            // alice's facts change: she moves, changes jobs
            knowledge.remove(paris);
            learn(knowledge, "alice", "Alice lives in Rome", "home");
            knowledge.removeAll(metadataKey("user_id").isEqualTo("alice").and(metadataKey("topics").isEqualTo("work")));
            learn(knowledge, "alice", "Alice works at Initech as a coder", "work");
            assistant.chat("alice", "I moved to Rome");
            assistant.chat("alice", "Where do I live?");
            assertTrue(retrievedIn(chat.lastRequest()).contains("Alice lives in Rome"), chat.lastRequest().toString());
            assertEquals(3, alice.memories().size());

            assertTrue(alice.applySnapshot(snapshotId));
            assertSameSegments(aliceBefore, held(vectors, "alice"));
            assistant.chat("alice", "Where do I live?");
            List<ChatMessage> request = chat.lastRequest();
            assertEquals(retrievedFrom(snapshotSegments, "alice", "Where do I live?"), retrievedIn(request));
            assertTrue(retrievedIn(request).contains("Alice lives in Paris"), request.toString());
            assertEquals(tail(snapshotConversation, WINDOW - 1), request.subList(0, request.size() - 1));
            assertFalse(request.toString().contains("Rome") || request.toString().contains("Initech"));

            // bob is untouched: his segments, his memories, what his next question retrieves
            assertSameSegments(bob, held(vectors, "bob"));
            assertEquals(bobMemories, List.copyOf(memories.get("bob").memories().values()));
            assistant.chat("bob", "Where do I live?");
            assertEquals(bobRetrieved, retrievedIn(chat.lastRequest()));

            assertTrue(alice.undoApply());
            assistant.chat("alice", "Where do I live?");
            assertTrue(retrievedIn(chat.lastRequest()).contains("Alice lives in Rome"), chat.lastRequest().toString());
            assertTrue(chat.lastRequest().toString().contains("I moved to Rome"));
            List<String> aliceTexts = new ArrayList<>();
            held(vectors, "alice").values().forEach(e -> aliceTexts.add(e.getKey()));
            assertEquals(List.of("Alice has a cat called Tom", "Alice lives in Rome", "Alice works at Initech as a coder"),
                    aliceTexts.stream().sorted().toList());
            assertEquals(0, knowledge.failures());
            assertEquals(0, chatStore.failures());
        }
    }
}
