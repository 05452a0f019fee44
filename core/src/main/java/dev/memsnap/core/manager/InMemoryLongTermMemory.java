package dev.memsnap.core.manager;

import dev.memsnap.api.Memory;
import dev.memsnap.api.memory.LongTermMemory;
import dev.memsnap.core.format.LongTermState;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The default long-term memory: an immutable {@link LongTermState} replaced on every change, so that
 * {@link #memories()} hands out the current state itself, shared, at no cost. Ids are {@code memory_1},
 * {@code memory_2}, ..., above any numbered id a restored snapshot brought and any id given before, so that after a
 * rollback a new memory never takes the id of one the rollback forgot.
 */
final class InMemoryLongTermMemory implements LongTermMemory {
    private LongTermState state = LongTermState.empty();
    /** The topics of {@link #state}, so that an append need not search them. */
    private final Set<String> topics = new HashSet<>();
    /** The highest number given out, kept across restores so that a forgotten memory's id is never reused. */
    private long issued;

    @Override
    public synchronized String add(Memory memory) {
        Objects.requireNonNull(memory, "memory");
        // Every held id of the form memory_<n> has n <= highestNumber, so this one is new.
        issued = Math.max(issued, state.highestNumber()) + 1;
        String id = "memory_" + issued;
        state = state.append(id, memory, topics);
        return id;
    }

    @Override
    public synchronized Map<String, Memory> memories() {
        return state;
    }

    @Override
    public synchronized void restore(Map<String, Memory> restored) {
        LongTermState next = LongTermState.of(restored);
        state = next;
        topics.clear();
        topics.addAll(next.topics());
    }

    /**
     * New keys are appended (sharing the state as {@link #add} does); replacing a held one recomputes the statistics,
     * but the new state still shares every unchanged memory's place with the old one, so a store sees what changed.
     */
    @Override
    public synchronized void put(Map<String, Memory> memories) {
        boolean replaces = false;
        for (String key : memories.keySet()) {
            if (state.containsKey(key)) {
                replaces = true;
                break;
            }
        }
        if (replaces) {
            restore(state.putting(memories));
            return;
        }
        LongTermState next = state;
        Set<String> nextTopics = new HashSet<>(topics);
        for (Map.Entry<String, Memory> e : memories.entrySet()) {
            next = next.append(e.getKey(), Objects.requireNonNull(e.getValue(), "memory"), nextTopics);
        }
        state = next;
        topics.clear();
        topics.addAll(nextTopics);
    }

    @Override
    public synchronized int remove(Collection<String> keys) {
        Map<String, Memory> next = new LinkedHashMap<>(state);
        int before = next.size();
        for (String key : keys) {
            next.remove(key);
        }
        int removed = before - next.size();
        if (removed > 0) {
            restore(next);
        }
        return removed;
    }
}
