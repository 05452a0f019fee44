package dev.memsnap.api.memory;

import dev.memsnap.api.Memory;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memories an assistant keeps across conversations. memsnap's default keeps them in memory; a host whose memories
 * live elsewhere (a vector database, say) binds its own so that snapshots capture and restore them.
 *
 * <p>The memory manager calls these methods under its own lock, so an implementation sees one call at a time from
 * it.
 */
public interface LongTermMemory {

    /**
     * @param memory a memory to keep
     * @return the id given to it, unique among the memories held
     */
    String add(Memory memory);

    /** @return the memories by id, in the order stored, as an unmodifiable copy */
    Map<String, Memory> memories();

    /**
     * Replaces every memory. Called when a snapshot is applied; must replace all or nothing.
     *
     * @param memories the memories by id
     */
    void restore(Map<String, Memory> memories);

    /**
     * Stores memories under given keys, all or nothing: a key already held keeps its place with the new memory, new
     * keys follow the others in the map's order. The manager has checked the keys (non-null, non-empty). The default
     * rebuilds every memory through {@link #restore}; an implementation that can do better overrides it.
     *
     * @param memories the memories by key
     */
    default void put(Map<String, Memory> memories) {
        Map<String, Memory> next = new LinkedHashMap<>(memories());
        next.putAll(memories);
        restore(next);
    }

    /**
     * Removes the memories under some keys, all at once; keys not held are ignored. The default rebuilds every
     * memory through {@link #restore}.
     *
     * @param keys the keys
     * @return how many memories were removed
     */
    default int remove(Collection<String> keys) {
        Map<String, Memory> next = new LinkedHashMap<>(memories());
        int before = next.size();
        next.keySet().removeAll(keys);
        int removed = before - next.size();
        if (removed > 0) {
            restore(next);
        }
        return removed;
    }

    /**
     * How a framework decorator keeps an embedding in a memory's metadata: the base64 of its little-endian 32-bit
     * floats, bit for bit (a 384-dimension vector is 2,048 characters).
     *
     * @param vector an embedding
     * @return its text form, read back by {@link #decodeVector}
     */
    static String encodeVector(float[] vector) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(vector.length * Float.BYTES)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return java.util.Base64.getEncoder().encodeToString(bytes.array());
    }

    /**
     * @param base64 what {@link #encodeVector} wrote
     * @param where  where it was read, for the message, such as {@code metadata.spring_ai.vector}
     * @return the embedding
     * @throws IllegalArgumentException when it is not base64 of a whole number of floats
     */
    static float[] decodeVector(String base64, String where) {
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " is not base64", e);
        }
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException(where + " holds " + bytes.length
                    + " bytes, not a whole number of 32-bit floats");
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
