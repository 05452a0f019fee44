package dev.memsnap.spring.vectorstore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes the embeddings a {@link SimpleVectorStore} keeps. Spring AI's {@link VectorStore} has no way to
 * read a document's embedding (a {@link Document} has none since 1.0) or to add a document with one: the store calls
 * its embedding model inside {@code add} and keeps the vector in its protected map {@code store} of
 * {@code SimpleVectorStoreContent}s (package-private). Reading that map after {@code add} is how memsnap keeps the
 * vector without a second embedding call, and putting contents into it is how a restore adds documents back without
 * calling the model. Checked against Spring AI 2.0.1; should a later version move these, {@link #of} says so once and
 * memsnap keeps documents without their vectors (a restore then adds them back through {@code add}, which embeds).
 */
final class StoredEmbeddings {
    private static final Logger log = LoggerFactory.getLogger(StoredEmbeddings.class);
    private static final String CONTENT = "org.springframework.ai.vectorstore.SimpleVectorStoreContent";

    private final SimpleVectorStore store;
    private final Field map;
    private final Method embedding;
    private final Constructor<?> content;

    private StoredEmbeddings(SimpleVectorStore store, Field map, Method embedding, Constructor<?> content) {
        this.store = store;
        this.map = map;
        this.embedding = embedding;
        this.content = content;
    }

    /**
     * @param store a vector store
     * @return access to its embeddings, when it is a {@link SimpleVectorStore} whose internals are as expected
     */
    static Optional<StoredEmbeddings> of(VectorStore store) {
        if (!(store instanceof SimpleVectorStore simple)) {
            return Optional.empty();
        }
        try {
            Field map = SimpleVectorStore.class.getDeclaredField("store");
            map.setAccessible(true);
            Class<?> type = Class.forName(CONTENT, false, SimpleVectorStore.class.getClassLoader());
            Method embedding = type.getMethod("getEmbedding");
            embedding.setAccessible(true);
            Constructor<?> content = type.getDeclaredConstructor(String.class, String.class, Map.class,
                    float[].class);
            content.setAccessible(true);
            return Optional.of(new StoredEmbeddings(simple, map, embedding, content));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("memsnap cannot read the embeddings of this Spring AI version's SimpleVectorStore ({}): it keeps "
                    + "documents without their vectors, and an apply adds them back with add(), which embeds them "
                    + "again", e.toString());
            return Optional.empty();
        }
    }

    /** @return the store's map; read each time, as {@code SimpleVectorStore.load} replaces it */
    @SuppressWarnings("unchecked")
    private Map<String, Object> contents() {
        try {
            return (Map<String, Object>) map.get(store);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read SimpleVectorStore.store", e);
        }
    }

    /**
     * @param id a document id
     * @return the embedding the store keeps for it, or {@code null} when it holds no such document
     */
    float[] embedding(String id) {
        Object held = contents().get(id);
        if (held == null) {
            return null;
        }
        try {
            return (float[]) embedding.invoke(held);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the embedding of document " + id, e);
        }
    }

    /** @return the ids of every document the store holds */
    Set<String> ids() {
        return Set.copyOf(contents().keySet());
    }

    /**
     * Puts documents into the store with the embeddings given, calling no model.
     *
     * @param documents  text documents
     * @param embeddings their embeddings, in the same order
     */
    void put(List<Document> documents, List<float[]> embeddings) {
        Map<String, Object> contents = contents();
        for (int i = 0; i < documents.size(); i++) {
            Document document = documents.get(i);
            try {
                contents.put(document.getId(), content.newInstance(document.getId(), document.getText(),
                        new HashMap<>(document.getMetadata()), embeddings.get(i)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot put document " + document.getId() + " into the store", e);
            }
        }
    }
}
