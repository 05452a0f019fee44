package dev.memsnap.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link EmbeddingStore} that makes a LangChain4j assistant's long-term knowledge part of memsnap's snapshots: it
 * wraps the application's store and keeps every embedded segment as a long-term memory of a memsnap memory id, so
 * that a snapshot holds what the assistant knew and an apply (or undo) puts exactly that back into the store.
 *
 * <ul>
 *   <li><b>Which memory.</b> {@link #wrap(EmbeddingStore, MemoryManagers, Object)} keeps every segment in one memory
 *       id (a store per user); {@link #byMetadataKey(EmbeddingStore, MemoryManagers, String)} keeps each segment in
 *       the memory id its metadata names under a key such as {@code user_id} ({@code String.valueOf} of the value),
 *       and passes a segment without that key through unrecorded (counted, {@link #skipped()}).</li>
 *   <li><b>What is kept.</b> A memory per segment, under the segment's LangChain4j id as its key: text, source type,
 *       topics and importance from the segment's metadata, and the vector and the whole metadata (see
 *       {@link SegmentMemories}). The memory's own memories that a host added otherwise (no vector) are left alone.</li>
 *   <li><b>A decorator.</b> Every method calls the delegate's same method first and returns what it returns, throws
 *       what it throws, on the caller's thread; {@link #search} is the delegate's alone. memsnap's side never fails
 *       LangChain4j's call: its failures are logged and counted ({@link #failures()}).</li>
 *   <li><b>Removal.</b> {@code remove}, {@code removeAll(ids)} and {@code removeAll()} remove the same segments from
 *       memsnap. {@link #removeAll(Filter)} tests the filter against the metadata of each segment memsnap holds (the
 *       filter's own {@link Filter#test}), in the wrapped memory id, or, by metadata key, in the memory id an
 *       {@code isEqualTo} on that key names, else in every memory id memsnap knows ({@link MemoryManagers#memoryIds()},
 *       each loaded).</li>
 *   <li><b>Apply means the assistant forgets.</b> When {@code memories} is a {@link SnapshotEventSource} (memsnap's
 *       own is), every successful apply or undo of a memory id rewrites the delegate's segments of that id to exactly
 *       the memory's: ids, vectors, metadata, no embedding model called. Otherwise call
 *       {@link #restoreDelegate(Object)} after an apply.</li>
 * </ul>
 *
 * Thread-safe when the delegate is. memsnap records a write after the delegate's returns, so two threads writing the
 * same segment id at once may be recorded in either order. {@link #close()} ends the subscription to apply events.
 */
public final class MemsnapEmbeddingStore implements EmbeddingStore<TextSegment>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemsnapEmbeddingStore.class);
    private static final int LOCK_STRIPES = 64;

    private final EmbeddingStore<TextSegment> delegate;
    private final MemoryManagers memories;
    /** The one memory id of {@link #wrap}, or {@code null} when segments name theirs under {@link #metadataKey}. */
    private final String memoryId;
    private final String metadataKey;
    private final AutoCloseable subscription;
    /** By metadata key: the memory id that holds each segment id this store has recorded, restored or indexed. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    /** By metadata key: the metadata value object last seen for each memory id, for a removal by filter. */
    private final Map<String, Object> keyValues = new ConcurrentHashMap<>();
    /** Whether {@link #owners} has been filled from every memory id memsnap knows. */
    private volatile boolean indexedAll;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    private MemsnapEmbeddingStore(EmbeddingStore<TextSegment> delegate, MemoryManagers memories, String memoryId,
                                  String metadataKey) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.memories = Objects.requireNonNull(memories, "memories");
        this.memoryId = memoryId;
        this.metadataKey = metadataKey;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        this.subscription = SnapshotEventSource.subscribeToApplies(memories, this::onApplied).orElse(null);
        if (subscription == null) {
            log.info("{} produces no snapshot events: after an apply, call restoreDelegate(memoryId) so that the "
                    + "embedding store holds the applied segments", memories.getClass().getName());
        }
    }

    /**
     * @param delegate the application's embedding store, which stays the one LangChain4j searches; it holds the
     *                 segments of this memory id only (an apply rewrites all of it)
     * @param memories memsnap's memories, for example {@code Memsnap.memories()}
     * @param memoryId the memsnap memory id ({@code String.valueOf} of it) every segment belongs to
     * @return the store to give LangChain4j instead of {@code delegate}
     * @throws dev.memsnap.api.InvalidMemoryIdException when {@code memoryId} is not a memory id
     */
    public static MemsnapEmbeddingStore wrap(EmbeddingStore<TextSegment> delegate, MemoryManagers memories,
                                             Object memoryId) {
        Objects.requireNonNull(memoryId, "memoryId");
        return new MemsnapEmbeddingStore(delegate, memories,
                MemoryManagers.requireValidMemoryId(String.valueOf(memoryId)), null);
    }

    /**
     * @param delegate    the application's embedding store, shared by every memory id
     * @param memories    memsnap's memories
     * @param metadataKey the segment metadata key whose value ({@code String.valueOf} of it) is the memory id, for
     *                    example {@code user_id}
     * @return the store to give LangChain4j instead of {@code delegate}
     */
    public static MemsnapEmbeddingStore byMetadataKey(EmbeddingStore<TextSegment> delegate, MemoryManagers memories,
                                                      String metadataKey) {
        Objects.requireNonNull(metadataKey, "metadataKey");
        if (metadataKey.isBlank()) {
            throw new IllegalArgumentException("the metadata key that names a segment's memory id must not be blank");
        }
        return new MemsnapEmbeddingStore(delegate, memories, null, metadataKey);
    }

    /** @return the wrapped store */
    public EmbeddingStore<TextSegment> delegate() {
        return delegate;
    }

    /** @return how many times memsnap's side of a call (recording, removing, restoring after an apply) failed */
    public long failures() {
        return failures.get();
    }

    /** @return how many embeddings were passed through unrecorded, by metadata key, for want of that key */
    public long skipped() {
        return skipped.get();
    }

    @Override
    public String add(Embedding embedding) {
        String id = delegate.add(embedding);
        record(List.of(id), List.of(embedding), null);
        return id;
    }

    @Override
    public void add(String id, Embedding embedding) {
        delegate.add(id, embedding);
        record(List.of(id), List.of(embedding), null);
    }

    @Override
    public String add(Embedding embedding, TextSegment segment) {
        String id = delegate.add(embedding, segment);
        record(List.of(id), List.of(embedding), Collections.singletonList(segment));
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        List<String> ids = delegate.addAll(embeddings);
        record(ids, embeddings, null);
        return ids;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings, List<TextSegment> segments) {
        List<String> ids = delegate.addAll(embeddings, segments);
        record(ids, embeddings, segments);
        return ids;
    }

    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
        delegate.addAll(ids, embeddings, segments);
        record(ids, embeddings, segments);
    }

    @Override
    public List<String> generateIds(int n) {
        return delegate.generateIds(n);
    }

    @Override
    public void remove(String id) {
        delegate.remove(id);
        forget(List.of(id));
    }

    @Override
    public void removeAll(Collection<String> ids) {
        delegate.removeAll(ids);
        if (ids != null && !ids.isEmpty()) {
            forget(ids);
        }
    }

    @Override
    public void removeAll(Filter filter) {
        delegate.removeAll(filter);
        for (String target : targets(filter)) {
            try {
                synchronized (lock(target)) {
                    EnhancedMemoryManager memory = memories.get(target);
                    List<String> matched = new ArrayList<>();
                    for (Map.Entry<String, Memory> e : memory.memories().entrySet()) {
                        if (SegmentMemories.isEmbedded(e.getValue())
                                && filter.test(SegmentMemories.metadata(e.getValue()))) {
                            matched.add(e.getKey());
                        }
                    }
                    removeFrom(target, memory, matched);
                }
            } catch (RuntimeException e) {
                failed("remove the segments that match " + filter + " from", target, e);
            }
        }
    }

    @Override
    public void removeAll() {
        delegate.removeAll();
        for (String target : targets(null)) {
            try {
                synchronized (lock(target)) {
                    EnhancedMemoryManager memory = memories.get(target);
                    removeFrom(target, memory, embeddedKeys(memory.memories()));
                }
            } catch (RuntimeException e) {
                failed("remove every segment from", target, e);
            }
        }
    }

    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        return delegate.search(request);
    }

    /**
     * Rewrites the delegate's segments of a memory id to exactly the memsnap memory's: removes the ones it held (with
     * {@code removeAll()} for a {@link #wrap wrapped} store; by metadata key, the ids this store knows for that memory
     * id and, where the delegate can, those whose metadata key names it), then adds each embedded memory with its id,
     * vector and metadata. Done on every successful apply and undo when {@code memories} produces events, on the
     * thread that applied; a host whose {@link MemoryManagers} does not calls it after applying. A memory id a
     * wrapped store does not hold is ignored.
     *
     * @param memoryId a memsnap memory id (or an object whose {@code String.valueOf} is one)
     */
    public void restoreDelegate(Object memoryId) {
        String id = String.valueOf(memoryId);
        if (this.memoryId != null && !this.memoryId.equals(id)) {
            return;
        }
        synchronized (lock(id)) {
            Map<String, Memory> held = memories.get(id).memories();
            List<String> ids = new ArrayList<>();
            List<Embedding> embeddings = new ArrayList<>();
            List<TextSegment> segments = new ArrayList<>();
            Map<String, Embedding> alone = new LinkedHashMap<>();
            for (Map.Entry<String, Memory> e : held.entrySet()) {
                if (!SegmentMemories.isEmbedded(e.getValue())) {
                    continue;
                }
                TextSegment segment = SegmentMemories.segment(e.getValue());
                if (segment == null) {
                    alone.put(e.getKey(), SegmentMemories.embedding(e.getValue()));
                } else {
                    ids.add(e.getKey());
                    embeddings.add(SegmentMemories.embedding(e.getValue()));
                    segments.add(segment);
                }
            }
            if (this.memoryId != null) {
                delegate.removeAll();
            } else {
                Set<String> stale = new LinkedHashSet<>(ids);
                stale.addAll(alone.keySet());
                owners.forEach((segmentId, owner) -> {
                    if (owner.equals(id)) {
                        stale.add(segmentId);
                    }
                });
                try {
                    delegate.removeAll(new IsEqualTo(metadataKey, keyValues.getOrDefault(id, id)));
                } catch (RuntimeException unsupported) {
                    log.debug("The embedding store cannot remove by filter; removing by id only", unsupported);
                }
                delegate.removeAll(stale);
                owners.values().removeIf(id::equals);
                ids.forEach(segmentId -> owners.put(segmentId, id));
                alone.keySet().forEach(segmentId -> owners.put(segmentId, id));
            }
            if (!ids.isEmpty()) {
                delegate.addAll(ids, embeddings, segments);
            }
            alone.forEach(delegate::add);
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
            failed("restore the embedding store after applying " + event.snapshotId() + " to", event.memoryId(), e);
        }
    }

    /** Keeps added embeddings as memories, grouped by memory id; each memory id's batch is stored at once. */
    private void record(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
        Map<String, Map<String, Memory>> byMemory = new LinkedHashMap<>();
        try {
            if (ids == null || ids.size() != embeddings.size()
                    || segments != null && segments.size() != embeddings.size()) {
                throw new IllegalStateException("the embedding store returned " + (ids == null ? "no" : ids.size())
                        + " ids for " + embeddings.size() + " embeddings");
            }
            // To the microsecond, all memsnap's format keeps (as memsnap's own addMemory stamps): a memory saved and
            // loaded back then equals the live one, so applying a snapshot just taken changes nothing.
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            for (int i = 0; i < ids.size(); i++) {
                TextSegment segment = segments == null ? null : segments.get(i);
                String target = memoryIdOf(segment);
                if (target == null) {
                    skipped.incrementAndGet();
                    continue;
                }
                try {
                    byMemory.computeIfAbsent(target, t -> new LinkedHashMap<>())
                            .put(ids.get(i), SegmentMemories.toMemory(embeddings.get(i), segment, now));
                } catch (RuntimeException e) {
                    failed("keep segment " + ids.get(i) + " in", target, e);
                }
            }
        } catch (RuntimeException e) {
            failed("record the added embeddings in", memoryId == null ? "(by " + metadataKey + ")" : memoryId, e);
            return;
        }
        byMemory.forEach((target, batch) -> {
            try {
                synchronized (lock(target)) {
                    EnhancedMemoryManager memory = memories.get(target);
                    if (memoryId == null) {
                        for (String segmentId : batch.keySet()) {
                            String previous = owners.put(segmentId, target);
                            if (previous != null && !previous.equals(target)) {
                                moveOut(previous, segmentId);
                            }
                        }
                    }
                    memory.putMemories(batch);
                }
            } catch (RuntimeException e) {
                failed("record " + batch.size() + " segments in", target, e);
            }
        });
    }

    /** A segment id re-added under another memory id leaves the one that held it. */
    private void moveOut(String previous, String segmentId) {
        try {
            memories.get(previous).removeMemories(List.of(segmentId));
        } catch (RuntimeException e) {
            failed("move segment " + segmentId + " out of", previous, e);
        }
    }

    /** @return the memory id a segment belongs to, or {@code null} (by metadata key) when it names none */
    private String memoryIdOf(TextSegment segment) {
        if (memoryId != null) {
            return memoryId;
        }
        Object value = segment == null ? null : segment.metadata().toMap().get(metadataKey);
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
        if (memoryId != null) {
            try {
                synchronized (lock(memoryId)) {
                    memories.get(memoryId).removeMemories(ids);
                }
            } catch (RuntimeException e) {
                failed("remove " + ids.size() + " segments from", memoryId, e);
            }
            return;
        }
        Map<String, List<String>> byOwner = byOwner(ids);
        if (byOwner.containsKey(null) && !indexedAll) {
            indexAll();
            byOwner = byOwner(ids);
        }
        byOwner.remove(null); // held by no memory memsnap knows
        byOwner.forEach((owner, segmentIds) -> {
            try {
                synchronized (lock(owner)) {
                    removeFrom(owner, memories.get(owner), segmentIds);
                }
            } catch (RuntimeException e) {
                failed("remove " + segmentIds.size() + " segments from", owner, e);
            }
        });
    }

    private Map<String, List<String>> byOwner(Collection<String> ids) {
        Map<String, List<String>> byOwner = new LinkedHashMap<>();
        for (String id : new LinkedHashSet<>(ids)) {
            byOwner.computeIfAbsent(id == null ? null : owners.get(id), o -> new ArrayList<>()).add(id);
        }
        return byOwner;
    }

    /**
     * Learns which memory id holds each segment memsnap keeps, for removals by id of segments this store has not
     * seen in this process (recorded before a restart, say): loads every memory id memsnap knows, once.
     */
    private void indexAll() {
        for (String id : memories.memoryIds()) {
            try {
                for (String key : embeddedKeys(memories.get(id).memories())) {
                    owners.putIfAbsent(key, id);
                }
            } catch (RuntimeException e) {
                failed("index the segments of", id, e);
            }
        }
        indexedAll = true;
    }

    /** The memory ids a removal by filter (or of everything, for {@code null}) may touch. */
    private Collection<String> targets(Filter filter) {
        if (memoryId != null) {
            return List.of(memoryId);
        }
        if (filter instanceof IsEqualTo equal && equal.key().equals(metadataKey) && equal.comparisonValue() != null) {
            return List.of(String.valueOf(equal.comparisonValue()));
        }
        try {
            Set<String> targets = new HashSet<>(memories.memoryIds());
            targets.addAll(owners.values());
            return targets;
        } catch (RuntimeException e) {
            failed("list the memory ids for a removal from", "every memory", e);
            return List.of();
        }
    }

    private void removeFrom(String owner, EnhancedMemoryManager memory, Collection<String> segmentIds) {
        if (segmentIds.isEmpty()) {
            return;
        }
        memory.removeMemories(segmentIds);
        if (memoryId == null) {
            segmentIds.forEach(segmentId -> owners.remove(segmentId, owner));
        }
    }

    private static List<String> embeddedKeys(Map<String, Memory> held) {
        List<String> keys = new ArrayList<>();
        held.forEach((key, memory) -> {
            if (SegmentMemories.isEmbedded(memory)) {
                keys.add(key);
            }
        });
        return keys;
    }

    private Object lock(String id) {
        return locks[Math.floorMod(id.hashCode(), LOCK_STRIPES)];
    }

    private void failed(String what, Object target, RuntimeException e) {
        failures.incrementAndGet();
        log.warn("memsnap could not {} memory {}; the embedding store itself is unaffected", what, target, e);
    }
}
