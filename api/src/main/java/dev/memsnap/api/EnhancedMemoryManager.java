package dev.memsnap.api;

import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The host-facing facade: an assistant's short- and long-term memory, with snapshots of both.
 *
 * <p>Implementations are safe for concurrent use. A snapshot captures both memories at one instant and never changes
 * afterwards. Errors are reported with {@link SnapshotException} and its subclasses; an operation that fails changes
 * nothing.
 */
public interface EnhancedMemoryManager {

    /**
     * Records one message as one turn of short-term memory. When automatic snapshots are on, every
     * {@code interval}-th turn also takes a snapshot and saves it in the background; this method never waits for
     * that save and never fails because of it (see {@link #stats()}).
     *
     * @param role    who spoke
     * @param content what was said
     */
    void addTurn(String role, String content);

    /**
     * Stores a long-term memory, stamped with the current time.
     *
     * @param content    the remembered text
     * @param sourceType for example {@code fact} or {@code preference}
     * @param importance usually from 0 to 1; must be finite
     * @param topics     what the memory is about
     * @return the new memory's id
     */
    String addMemory(String content, String sourceType, double importance, List<String> topics);

    /**
     * Stores long-term memories under keys the host chooses, all or nothing: a key already held has its memory
     * replaced where it stands, a new key is added after the others. A <em>key</em> is a long-term memory's own name,
     * the key of {@link #memories()} (what {@link #addMemory} generates, such as {@code memory_3}); it is not a memory
     * id, which names a whole memory of {@link MemoryManagers}. Like {@link #addMemory}, this changes the memory
     * (the next automatic or shutdown snapshot keeps it) but is not a turn: automatic snapshots do not count it.
     *
     * @param memories the memories by key, in the order to add the new ones; keys non-empty
     * @throws IllegalArgumentException when a key is null or empty; then nothing is stored
     */
    default void putMemories(Map<String, Memory> memories) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot store a memory under a key");
    }

    /**
     * Stores one long-term memory under a key the host chooses (see {@link #putMemories} for what a key is).
     *
     * @param key    the memory's key, non-empty; a memory already under it is replaced
     * @param memory the memory
     */
    default void putMemory(String key, Memory memory) {
        Objects.requireNonNull(memory, "memory");
        putMemories(Collections.singletonMap(key, memory));
    }

    /**
     * Removes the long-term memories under some keys (see {@link #putMemories} for what a key is), all at once.
     * Keys not held are ignored. Like {@link #addMemory}, a removal changes the memory but is not a turn.
     *
     * @param keys the keys
     * @return how many memories were removed
     */
    default int removeMemories(Collection<String> keys) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot remove memories");
    }

    /** @return short-term memory, oldest turn first; an unmodifiable copy */
    List<Turn> turns();

    /** @return long-term memory by memory id, in the order stored; an unmodifiable copy */
    Map<String, Memory> memories();

    /**
     * Captures short- and long-term memory as a new snapshot, held in memory until saved.
     *
     * @return the new snapshot's id
     */
    String createSnapshot();

    /**
     * Writes a snapshot to the snapshot store, atomically: after this returns the snapshot is durable, and a crash
     * during the call leaves either the whole snapshot or none of it.
     *
     * @param snapshotId a snapshot created or loaded earlier
     * @return where it was stored
     * @throws InvalidSnapshotIdException  when the id is not a snapshot id
     * @throws SnapshotNotFoundException   when there is no such snapshot
     * @throws SnapshotStoreException      when the store cannot write it
     */
    URI saveSnapshot(String snapshotId);

    /**
     * Reads a snapshot from a location a store returned, or a {@code file:} URI, and registers it.
     *
     * @param location where the snapshot is
     * @return the id of the snapshot it holds
     * @throws SnapshotFormatException   when what is there is not a valid snapshot
     * @throws SnapshotNotFoundException when nothing is there
     */
    String loadSnapshot(URI location);

    /**
     * Reads a snapshot file in the snapshot format and registers it.
     *
     * @param file the file
     * @return the id of the snapshot it holds
     * @throws SnapshotFormatException   when the file is not a valid snapshot; the message names the file and problem
     * @throws SnapshotNotFoundException when there is no such file
     */
    String loadSnapshot(Path file);

    /**
     * Replaces short- and long-term memory with a snapshot's, all or nothing.
     *
     * @param snapshotId a snapshot held in memory or in the store
     * @return {@code false} when there is no such snapshot
     * @throws InvalidSnapshotIdException when the id is not a snapshot id
     */
    boolean applySnapshot(String snapshotId);

    /** @return the snapshots held in memory and in the store, each once, newest first */
    List<SnapshotMetadata> listSnapshots();

    /**
     * @param snapshotId a snapshot id
     * @return the snapshot, from memory or from the store, or empty when there is none
     * @throws InvalidSnapshotIdException when the id is not a snapshot id
     */
    Optional<MemorySnapshot> getSnapshot(String snapshotId);

    /**
     * Turns automatic snapshots on: every {@code interval} turns a snapshot is created and saved.
     *
     * @param interval turns between automatic snapshots, at least 1
     */
    void enableAutoSnapshot(int interval);

    /** Turns automatic snapshots off. */
    void disableAutoSnapshot();

    /** @return counters and the state of automatic snapshots, including failed background saves */
    ManagerStats stats();

    /**
     * Records one turn.
     *
     * @param turn the turn
     * @see #addTurn(String, String)
     */
    default void addTurn(Turn turn) {
        addTurn(turn.role(), turn.content());
    }

    /** @return the memory id this manager is scoped to; {@link MemoryManagers#DEFAULT} for a host's one memory */
    default String memoryId() {
        return MemoryManagers.DEFAULT;
    }

    /**
     * Applies a snapshot selectively: only one memory, only some topics, or merging. Before anything is replaced the
     * current state is kept as a snapshot (unless it equals this memory's newest), so that {@link #undoApply()} can
     * return to it. All or nothing.
     *
     * @param snapshotId a snapshot of this memory (or of another, when the options allow it)
     * @param options    what to restore
     * @return {@code false} when there is no such snapshot
     * @throws InvalidSnapshotIdException when the id is not a snapshot id
     * @throws SnapshotException          when the snapshot belongs to another memory and the options do not allow
     *                                    that
     */
    default boolean applySnapshot(String snapshotId, ApplyOptions options) {
        if (options.equals(ApplyOptions.all())) {
            return applySnapshot(snapshotId);
        }
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot apply selectively");
    }

    /**
     * Returns memory to the state before the last apply, kept as a snapshot when that apply began.
     *
     * @return {@code false} when there is no apply to undo
     */
    default boolean undoApply() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot undo an apply");
    }

    /**
     * @param snapshotId a snapshot of this memory
     * @return it and its ancestors (each one's parent, as far as they are held or stored), newest first; empty when
     *         there is no such snapshot
     * @throws InvalidSnapshotIdException when the id is not a snapshot id
     */
    default List<SnapshotMetadata> history(String snapshotId) {
        List<SnapshotMetadata> chain = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        String next = snapshotId;
        while (next != null && seen.add(next)) {
            Optional<MemorySnapshot> found = getSnapshot(next);
            if (found.isEmpty()) {
                break;
            }
            chain.add(found.get().metadata());
            next = found.get().parentSnapshotId();
        }
        return List.copyOf(chain);
    }
}
