package dev.memsnap.core.manager;

import dev.memsnap.api.Memory;
import dev.memsnap.api.memory.LongTermMemory;
import dev.memsnap.core.format.LongTermState;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The default long-term memory: an immutable {@link LongTermState} replaced on every change, so that
 * {@link #memories()} hands out the current state itself, shared, at no cost. Ids are {@code memory_1},
 * {@code memory_2}, ..., above any numbered id a restored snapshot brought.
 */
final class InMemoryLongTermMemory implements LongTermMemory {
    private LongTermState state = LongTermState.empty();
    /** The topics of {@link #state}, so that an append need not search them. */
    private final Set<String> topics = new HashSet<>();

    @Override
    public synchronized String add(Memory memory) {
        Objects.requireNonNull(memory, "memory");
        // Every held id of the form memory_<n> has n <= highestNumber, so this one is new.
        String id = "memory_" + (state.highestNumber() + 1);
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
}
