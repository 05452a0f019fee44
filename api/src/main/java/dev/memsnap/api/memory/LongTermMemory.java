package dev.memsnap.api.memory;

import dev.memsnap.api.Memory;

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
}
