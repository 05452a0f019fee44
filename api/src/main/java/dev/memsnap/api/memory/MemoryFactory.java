package dev.memsnap.api.memory;

/**
 * Makes the short- and long-term memory of each memory id (see {@link dev.memsnap.api.MemoryManagers}). memsnap's
 * default keeps every memory in the heap, and gives the default memory the {@link ShortTermMemory} and
 * {@link LongTermMemory} a host binds; a host whose memories live elsewhere binds its own factory.
 */
public interface MemoryFactory {

    /**
     * @param memoryId a memory id
     * @return a new, empty conversation for it
     */
    ShortTermMemory shortTerm(String memoryId);

    /**
     * @param memoryId a memory id
     * @return a new, empty long-term memory for it
     */
    LongTermMemory longTerm(String memoryId);
}
