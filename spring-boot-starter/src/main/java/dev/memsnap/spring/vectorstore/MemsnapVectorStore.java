package dev.memsnap.spring.vectorstore;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Spring AI {@link VectorStore} that makes an assistant's long-term knowledge (RAG documents, the messages
 * {@code VectorStoreChatMemoryAdvisor} keeps) part of memsnap's snapshots: it wraps the application's store and keeps
 * every document as a long-term memory of a memsnap memory id, so that a snapshot holds what the assistant knew and an
 * apply (or undo) puts exactly that back into the store. The starter puts it around every {@code VectorStore} bean.
 *
 * <ul>
 *   <li><b>Which memory.</b> {@link #byMetadataKey(VectorStore, MemoryManagers, String)} keeps each document in the
 *       memory id its metadata names under a key ({@code conversationId}, which {@code VectorStoreChatMemoryAdvisor}
 *       writes, so that a conversation's chat memory and its vector memory are one memsnap memory), and passes a
 *       document without that key through unrecorded (counted, {@link #skipped()});
 *       {@link #wrap(VectorStore, MemoryManagers, String)} keeps every document in one memory id.</li>
 *   <li><b>What is kept.</b> A memory per document, under the document's id as its key: text, source type, topics
 *       and importance from its metadata, and the whole metadata and the embedding (see {@link DocumentMemories}).
 *       The memory's own memories that a host added otherwise are left alone.</li>
 *   <li><b>Embeddings.</b> Spring AI's {@code VectorStore} neither returns a document's embedding nor adds one
 *       given: the store embeds inside {@code add}. For a {@link SimpleVectorStore} memsnap reads the vector the store
 *       just computed (no second model call) and a restore puts documents back with their kept vectors (no model
 *       call). Any other store keeps its documents' text, ids and metadata exactly, but not their vectors: a restore
 *       adds them back with {@code add}, so the store embeds them again (one model call per document; the same
 *       vectors when the model is deterministic).</li>
 *   <li><b>A decorator.</b> Every method calls the delegate's same method first and returns what it returns, throws
 *       what it throws, on the caller's thread; searches are the delegate's alone. memsnap's side never fails Spring
 *       AI's call: its failures are logged and counted ({@link #failures()}).</li>
 *   <li><b>Removal.</b> {@code delete(ids)} removes the same documents from memsnap; {@code delete(Filter.Expression)}
 *       (and {@code delete(String)}) tests the expression against the metadata of each document memsnap holds, in the
 *       one memory id, or, by metadata key, in the memory id an {@code ==} on that key names, else in every memory id
 *       memsnap knows.</li>
 *   <li><b>Apply means the assistant forgets.</b> When {@code memories} is a {@link SnapshotEventSource} (memsnap's
 *       own is), every successful apply or undo of a memory id rewrites the delegate's documents of that id to exactly
 *       the memory's. Otherwise call {@link #restoreDelegate(String)} after an apply.</li>
 * </ul>
 *
 * Thread-safe when the delegate is. memsnap records a write after the delegate's returns, so two threads writing the
 * same document id at once may be recorded in either order. {@link #close()} ends the subscription to apply events.
 */
public final class MemsnapVectorStore implements VectorStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemsnapVectorStore.class);
    private static final int LOCK_STRIPES = 64;

    private final VectorStore delegate;
    private final MemoryManagers memories;
    /** The one memory id of {@link #wrap}, or {@code null} when documents name theirs under {@link #metadataKey}. */
    private final String memoryId;
    private final String metadataKey;
    private final StoredEmbeddings embeddings;
    private final AutoCloseable subscription;
    /** The memory id that holds each document id this store has recorded, restored or indexed. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    /** By metadata key: the metadata value object last seen for each memory id, for a removal by filter. */
    private final Map<String, Object> keyValues = new ConcurrentHashMap<>();
    /** Whether {@link #owners} has been filled from every memory id memsnap knows. */
    private volatile boolean indexedAll;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    private MemsnapVectorStore(VectorStore delegate, MemoryManagers memories, String memoryId, String metadataKey) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.memories = Objects.requireNonNull(memories, "memories");
        this.memoryId = memoryId;
        this.metadataKey = metadataKey;
        this.embeddings = StoredEmbeddings.of(delegate).orElse(null);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        this.subscription = SnapshotEventSource.subscribeToApplies(memories, this::onApplied).orElse(null);
        if (subscription == null) {
            log.info("{} produces no snapshot events: after an apply, call restoreDelegate(memoryId) so that the "
                    + "vector store holds the applied documents", memories.getClass().getName());
        }
    }

    /**
     * @param delegate the application's vector store, which stays the one Spring AI searches; it holds the documents
     *                 of this memory id only (an apply rewrites all of it)
     * @param memories memsnap's memories, for example {@code Memsnap.memories()}
     * @param memoryId the memsnap memory id every document belongs to
     * @return the store to give Spring AI instead of {@code delegate}
     * @throws dev.memsnap.api.InvalidMemoryIdException when {@code memoryId} is not a memory id
     */
    public static MemsnapVectorStore wrap(VectorStore delegate, MemoryManagers memories, String memoryId) {
        Objects.requireNonNull(memoryId, "memoryId");
        return new MemsnapVectorStore(delegate, memories, MemoryManagers.requireValidMemoryId(memoryId), null);
    }

    /**
     * @param delegate    the application's vector store, shared by every memory id
     * @param memories    memsnap's memories
     * @param metadataKey the document metadata key whose value ({@code String.valueOf} of it) is the memory id, such
     *                    as {@code conversationId}
     * @return the store to give Spring AI instead of {@code delegate}
     */
    public static MemsnapVectorStore byMetadataKey(VectorStore delegate, MemoryManagers memories, String metadataKey) {
        Objects.requireNonNull(metadataKey, "metadataKey");
        if (metadataKey.isBlank()) {
            throw new IllegalArgumentException("the metadata key that names a document's memory id must not be blank");
        }
        return new MemsnapVectorStore(delegate, memories, null, metadataKey);
    }

    /** @return the wrapped store */
    public VectorStore delegate() {
        return delegate;
    }

    /** @return whether memsnap keeps this store's embeddings (a {@link SimpleVectorStore}'s), so restores embed nothing */
    public boolean keepsEmbeddings() {
        return embeddings != null;
    }

    /** @return how many times memsnap's side of a call (recording, removing, restoring after an apply) failed */
    public long failures() {
        return failures.get();
    }

    /** @return how many documents were passed through unrecorded, by metadata key, for want of that key */
    public long skipped() {
        return skipped.get();
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public <T> Optional<T> getNativeClient() {
        return delegate.getNativeClient();
    }

    @Override
    public void add(List<Document> documents) {
        delegate.add(documents);
        record(documents);
    }

    @Override
    public void delete(List<String> idList) {
        delegate.delete(idList);
        if (idList != null && !idList.isEmpty()) {
            forget(idList);
        }
    }

    @Override
    public void delete(Filter.Expression filterExpression) {
        delegate.delete(filterExpression);
        for (String target : targets(filterExpression)) {
            try {
                synchronized (lock(target)) {
                    EnhancedMemoryManager memory = memories.get(target);
                    List<String> matched = new ArrayList<>();
                    for (Map.Entry<String, Memory> e : memory.memories().entrySet()) {
                        if (DocumentMemories.isDocument(e.getValue())
                                && MetadataFilter.test(filterExpression, DocumentMemories.metadata(e.getValue()))) {
                            matched.add(e.getKey());
                        }
                    }
                    removeFrom(target, memory, matched);
                }
            } catch (RuntimeException e) {
                failed("remove the documents that match " + filterExpression + " from", target, e);
            }
        }
    }

    @Override
    public List<Document> similaritySearch(SearchRequest request) {
        return delegate.similaritySearch(request);
    }

    @Override
    public List<Document> similaritySearch(String query) {
        return delegate.similaritySearch(query);
    }

    /**
     * Rewrites the delegate's documents of a memory id to exactly the memsnap memory's: deletes the ones it held (in
     * the one memory id, every document the store holds; by metadata key, the ids this store knows for that memory
     * id and those whose metadata key names it), then adds each kept document with its id, text and metadata, with
     * its kept embedding into a {@link SimpleVectorStore} (no model call), else through {@code add}. Done on every
     * successful apply and undo when {@code memories} produces events, on the thread that applied; a host whose
     * {@link MemoryManagers} does not calls it after applying. A memory id a {@link #wrap wrapped} store does not
     * hold is ignored.
     *
     * @param memoryId a memsnap memory id
     */
    public void restoreDelegate(String memoryId) {
        if (this.memoryId != null && !this.memoryId.equals(memoryId)) {
            return;
        }
        synchronized (lock(memoryId)) {
            List<Document> documents = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            memories.get(memoryId).memories().forEach((key, memory) -> {
                if (DocumentMemories.isDocument(memory)) {
                    documents.add(DocumentMemories.document(key, memory));
                    vectors.add(DocumentMemories.embedding(memory));
                }
            });
            Set<String> stale = new LinkedHashSet<>();
            documents.forEach(d -> stale.add(d.getId()));
            owners.forEach((documentId, owner) -> {
                if (owner.equals(memoryId)) {
                    stale.add(documentId);
                }
            });
            if (this.memoryId != null && embeddings != null) {
                stale.addAll(embeddings.ids());
            } else if (this.memoryId == null) {
                try {
                    delegate.delete(new Filter.Expression(Filter.ExpressionType.EQ, new Filter.Key(metadataKey),
                            new Filter.Value(keyValues.getOrDefault(memoryId, memoryId))));
                } catch (RuntimeException unsupported) {
                    log.debug("The vector store cannot delete by filter; deleting by id only", unsupported);
                }
            }
            if (!stale.isEmpty()) {
                delegate.delete(new ArrayList<>(stale));
            }
            owners.values().removeIf(memoryId::equals);
            documents.forEach(d -> owners.put(d.getId(), memoryId));
            if (documents.isEmpty()) {
                return;
            }
            if (embeddings != null && vectors.stream().allMatch(Objects::nonNull)) {
                embeddings.put(documents, vectors);
            } else {
                delegate.add(documents);
            }
        }
    }

    /** Ends the subscription to apply events; the store goes on recording. */
    @Override
    public void close() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.warn("Could not end the subscription to snapshot events", e);
            }
        }
    }

    private void onApplied(SnapshotEvent event) {
        if (memoryId != null && !memoryId.equals(event.memoryId())) {
            return;
        }
        try {
            restoreDelegate(event.memoryId());
        } catch (RuntimeException e) {
            failed("restore the vector store after applying " + event.snapshotId() + " to", event.memoryId(), e);
        }
    }

    /** Keeps added documents as memories, grouped by memory id; each memory id's batch is stored at once. */
    private void record(List<Document> documents) {
        Map<String, Map<String, Memory>> byMemory = new LinkedHashMap<>();
        try {
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
            for (Document document : documents) {
                String target = memoryIdOf(document);
                if (target == null) {
                    skipped.incrementAndGet();
                    continue;
                }
                try {
                    float[] vector = embeddings == null ? null : embeddings.embedding(document.getId());
                    byMemory.computeIfAbsent(target, t -> new LinkedHashMap<>())
                            .put(document.getId(), DocumentMemories.toMemory(document, vector, now));
                } catch (RuntimeException e) {
                    failed("keep document " + document.getId() + " in", target, e);
                }
            }
        } catch (RuntimeException e) {
            failed("record the added documents in", memoryId == null ? "(by " + metadataKey + ")" : memoryId, e);
            return;
        }
        byMemory.forEach((target, batch) -> {
            try {
                synchronized (lock(target)) {
                    for (String documentId : batch.keySet()) {
                        String previous = owners.put(documentId, target);
                        if (previous != null && !previous.equals(target)) {
                            moveOut(previous, documentId);
                        }
                    }
                    memories.get(target).putMemories(batch);
                }
            } catch (RuntimeException e) {
                failed("record " + batch.size() + " documents in", target, e);
            }
        });
    }

    /** A document id re-added under another memory id leaves the one that held it. */
    private void moveOut(String previous, String documentId) {
        try {
            memories.get(previous).removeMemories(List.of(documentId));
        } catch (RuntimeException e) {
            failed("move document " + documentId + " out of", previous, e);
        }
    }

    /** @return the memory id a document belongs to, or {@code null} (by metadata key) when it names none */
    private String memoryIdOf(Document document) {
        if (memoryId != null) {
            return memoryId;
        }
        Object value = document.getMetadata().get(metadataKey);
        if (value == null) {
            return null;
        }
        String id = String.valueOf(value);
        if (!(value instanceof String)) {
            keyValues.put(id, value);
        }
        return id;
    }

    private void forget(Collection<String> ids) {
        Map<String, List<String>> byOwner = byOwner(ids);
        if (byOwner.containsKey(null) && !indexedAll) {
            indexAll();
            byOwner = byOwner(ids);
        }
        byOwner.remove(null); // held by no memory memsnap knows
        byOwner.forEach((owner, documentIds) -> {
            try {
                synchronized (lock(owner)) {
                    removeFrom(owner, memories.get(owner), documentIds);
                }
            } catch (RuntimeException e) {
                failed("remove " + documentIds.size() + " documents from", owner, e);
            }
        });
    }

    private Map<String, List<String>> byOwner(Collection<String> ids) {
        Map<String, List<String>> byOwner = new LinkedHashMap<>();
        for (String id : new LinkedHashSet<>(ids)) {
            String owner = id == null ? null : owners.get(id);
            byOwner.computeIfAbsent(owner == null && memoryId != null ? memoryId : owner, o -> new ArrayList<>())
                    .add(id);
        }
        return byOwner;
    }

    /**
     * Learns which memory id holds each document memsnap keeps, for deletions by id of documents this store has not
     * seen in this process (recorded before a restart, say): loads every memory id memsnap knows, once.
     */
    private void indexAll() {
        for (String id : memories.memoryIds()) {
            try {
                memories.get(id).memories().forEach((key, memory) -> {
                    if (DocumentMemories.isDocument(memory)) {
                        owners.putIfAbsent(key, id);
                    }
                });
            } catch (RuntimeException e) {
                failed("index the documents of", id, e);
            }
        }
        indexedAll = true;
    }

    /** The memory ids a deletion by filter may touch. */
    private Collection<String> targets(Filter.Expression filter) {
        if (memoryId != null) {
            return List.of(memoryId);
        }
        Object named = MetadataFilter.equalTo(filter, metadataKey);
        if (named != null) {
            return List.of(String.valueOf(named));
        }
        try {
            Set<String> targets = new HashSet<>(memories.memoryIds());
            targets.addAll(owners.values());
            return targets;
        } catch (RuntimeException e) {
            failed("list the memory ids for a deletion from", "every memory", e);
            return List.of();
        }
    }

    private void removeFrom(String owner, EnhancedMemoryManager memory, Collection<String> documentIds) {
        if (documentIds.isEmpty()) {
            return;
        }
        memory.removeMemories(documentIds);
        documentIds.forEach(documentId -> owners.remove(documentId, owner));
    }

    private Object lock(String id) {
        return locks[Math.floorMod(id.hashCode(), LOCK_STRIPES)];
    }

    private void failed(String what, Object target, RuntimeException e) {
        failures.incrementAndGet();
        log.warn("memsnap could not {} memory {}; the vector store itself is unaffected", what, target, e);
    }
}
