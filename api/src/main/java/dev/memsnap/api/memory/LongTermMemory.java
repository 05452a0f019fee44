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
}
