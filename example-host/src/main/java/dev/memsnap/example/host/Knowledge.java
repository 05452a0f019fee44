package dev.memsnap.example.host;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.langchain4j.MemsnapEmbeddingStore;
import dev.memsnap.langchain4j.SegmentMemories;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The assistant's long-term memory on LangChain4j: for each memsnap memory id (a user), a LangChain4j
 * {@link InMemoryEmbeddingStore} wrapped by {@link MemsnapEmbeddingStore#wrap}, so that every fact the host learns is
 * a segment memsnap keeps in that memory (and an apply or undo puts back, vectors and all), and a
 * {@link ContentRetriever} that retrieves, with an {@link EmbeddingStoreContentRetriever}, from the store of the
 * conversation's {@code @MemoryId}.
 *
 * <p>One store per user rather than one shared store by metadata key: a user's retrieval cannot see another's
 * segments whatever the filter, and a segment's id need only be unique within its user, so the host keeps memsnap's
 * readable keys ({@code memory_6}) as the segments' ids. A store is made the first time its user is used, filled from
 * memsnap's memory of that id (which an apply may have changed before), and kept in step by apply events after.
 *
 * <p>The embedding model is LangChain4j's in-process all-MiniLM-L6-v2, inside its Maven artifact (no download), made
 * once per process: {@link #warmUp()} starts loading it in the background, so the console is up before it is ready.
 */
final class Knowledge implements ContentRetriever, AutoCloseable {
    /** Segment metadata: when the host learned the fact, so that the newest of two that disagree can win. */
    static final String LEARNED_AT = "learned_at";
    /** The segment metadata the content injector writes beside each retrieved text, for the model to read. */
    static final List<String> SHOWN_METADATA = List.of(SegmentMemories.SOURCE_TYPE, SegmentMemories.TOPICS,
            LEARNED_AT);
    /** A user's memory is small: retrieval returns up to this many of the closest facts, ranked by similarity. */
    static final int MAX_RESULTS = 10;
    static final String MODEL_NAME = "all-MiniLM-L6-v2";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS",
            Locale.ROOT);
    private static final Pattern KEY = Pattern.compile("memory_(\\d+)");
    private static EmbeddingModel model;

    private final MemoryManagers memories;
    private final Map<String, MemsnapEmbeddingStore> stores = new ConcurrentHashMap<>();
    private final Map<String, ContentRetriever> retrievers = new ConcurrentHashMap<>();

    Knowledge(MemoryManagers memories) {
        this.memories = memories;
    }

    /**
     * @return the embedding model, loaded on the first call (about a second; later calls wait for it)
     */
    static synchronized EmbeddingModel model() {
        if (model == null) {
            // On the calling thread: the host embeds one segment or query at a time, and a pool of its own would be
            // threads left behind in a console that only ever embeds one thing at once.
            model = new AllMiniLmL6V2EmbeddingModel(Runnable::run);
        }
        return model;
    }

    /** Starts loading the embedding model on a daemon thread; a failure shows on first use instead. */
    static void warmUp() {
        Thread loader = new Thread(() -> {
            try {
                model();
            } catch (RuntimeException | LinkageError e) {
                // reported where the model is used
            }
        }, "minilm-loader");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * Embeds a fact and adds it to the user's store, as a segment whose metadata memsnap maps to the memory's source
     * type, topics and importance; memsnap records it as a long-term memory of that id under the segment's id.
     *
     * @param memoryId the user
     * @param fact     what was learned
     * @return the segment's id, which is the memory's key ({@code memory_N}, the next after the highest held)
     */
    String learn(String memoryId, FactRules.Learned fact) {
        TextSegment segment = segment(fact, LocalDateTime.now(ZoneOffset.UTC));
        Embedding embedding = model().embed(segment).content();
        String key = nextKey(memoryId);
        store(memoryId).addAll(List.of(key), List.of(embedding), List.of(segment));
        return key;
    }

    /**
     * @param fact      a fact
     * @param learnedAt when it was learned (UTC)
     * @return the segment that holds it: its text, and the metadata memsnap reads ({@code source_type},
     *         {@code topics}, {@code importance}) with {@value #LEARNED_AT}
     */
    static TextSegment segment(FactRules.Learned fact, LocalDateTime learnedAt) {
        return TextSegment.from(fact.content(), new Metadata()
                .put(SegmentMemories.SOURCE_TYPE, fact.sourceType())
                .put(SegmentMemories.TOPICS, String.join(",", fact.topics()))
                .put(SegmentMemories.IMPORTANCE, fact.importance())
                .put(LEARNED_AT, TIME.format(learnedAt)));
    }

    /** As memsnap's own {@code addMemory} numbers memories: one more than the highest {@code memory_N} held. */
    private String nextKey(String memoryId) {
        long highest = 0;
        for (String key : memories.get(memoryId).memories().keySet()) {
            Matcher m = KEY.matcher(key);
            if (m.matches() && m.group(1).length() < 18) {
                highest = Math.max(highest, Long.parseLong(m.group(1)));
            }
        }
        return "memory_" + (highest + 1);
    }

    /** @return the user's store, made (and filled from memsnap) the first time */
    MemsnapEmbeddingStore store(String memoryId) {
        return stores.computeIfAbsent(memoryId, id -> {
            MemsnapEmbeddingStore store = MemsnapEmbeddingStore.wrap(new InMemoryEmbeddingStore<>(), memories, id);
            store.restoreDelegate(id);
            return store;
        });
    }

    /** Retrieves from the store of the query's {@code @MemoryId}. */
    @Override
    public List<Content> retrieve(Query query) {
        String memoryId = String.valueOf(query.metadata().chatMemoryId());
        return retrievers.computeIfAbsent(memoryId, id -> EmbeddingStoreContentRetriever.builder()
                .embeddingStore(store(id))
                .embeddingModel(model())
                .maxResults(MAX_RESULTS)
                .minScore(0.0)
                .build()).retrieve(query);
    }

    /** @return how many times memsnap's side of a store's call failed, over every user (logged where it happened) */
    long failures() {
        return stores.values().stream().mapToLong(MemsnapEmbeddingStore::failures).sum();
    }

    /** Ends the stores' subscriptions to apply events. */
    @Override
    public void close() {
        stores.values().forEach(MemsnapEmbeddingStore::close);
    }
}
