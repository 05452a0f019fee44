package dev.memsnap.api;

import java.util.List;

/**
 * The memories of a host that serves many users or conversations: one {@link EnhancedMemoryManager} per
 * <em>memory id</em>, as LangChain4j keys chat memory by {@code @MemoryId} and Spring AI by conversation id. A memory
 * id is any string of 1 to {@value #MAX_MEMORY_ID_LENGTH} characters without control characters (a user id, an e-mail
 * address, a UUID); stores map it to storage safely, so no id, however hostile, reaches outside the store's place.
 *
 * <p>The manager of a memory id is the same instance for as long as the host runs: when many memories are live, the
 * least recently used is saved and dropped from the heap behind it, and its next use resumes from that snapshot.
 * Each memory's snapshots are its own: listing, getting, applying and pruning through its manager see no other's.
 * Thread-safe.
 */
public interface MemoryManagers {
    /** The memory id of a host's one memory: what {@code Memsnap.manager()} and the seed's facade use. */
    String DEFAULT = "default";
    /** The longest memory id, in characters. */
    int MAX_MEMORY_ID_LENGTH = 200;

    /**
     * @param memoryId a memory id
     * @return that memory's manager, made (and, with {@code memory.resume: latest}, resumed from its newest snapshot)
     *         on first use
     * @throws InvalidMemoryIdException when it is not a memory id
     */
    EnhancedMemoryManager get(String memoryId);

    /** @return the memory ids that are live or have stored snapshots, sorted */
    List<String> memoryIds();

    /**
     * Drops a memory: its live state, and with {@code deleteSnapshots} its stored snapshots too.
     *
     * @param memoryId        a memory id
     * @param deleteSnapshots whether to delete its snapshots from the store
     * @return whether there was anything to forget
     * @throws InvalidMemoryIdException when it is not a memory id
     */
    boolean forget(String memoryId, boolean deleteSnapshots);

    /**
     * @return what every memory has done with snapshots since the host started, for metrics; empty where the
     *         implementation keeps no totals (memsnap's own keeps them)
     */
    default java.util.Optional<SnapshotTotals> totals() {
        return java.util.Optional.empty();
    }

    /**
     * @param candidate a string
     * @return whether it is a memory id: 1 to 200 characters, none of them a control character
     */
    static boolean isValidMemoryId(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_MEMORY_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            if (Character.isISOControl(candidate.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param candidate a string
     * @return it, when it is a memory id
     * @throws InvalidMemoryIdException when it is not
     */
    static String requireValidMemoryId(String candidate) {
        if (!isValidMemoryId(candidate)) {
            throw new InvalidMemoryIdException(candidate);
        }
        return candidate;
    }
}
