package dev.memsnap.core.manager;

import dev.memsnap.api.Memory;
import dev.memsnap.api.memory.LongTermMemory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The default long-term memory: memories by id in insertion order, with ids {@code memory_1}, {@code memory_2}, ... */
final class InMemoryLongTermMemory implements LongTermMemory {
    private final Map<String, Memory> memories = new LinkedHashMap<>();
    private long lastNumber;

    @Override
    public synchronized String add(Memory memory) {
        Objects.requireNonNull(memory, "memory");
        String id;
        do {
            id = "memory_" + ++lastNumber;
        } while (memories.containsKey(id));
        memories.put(id, memory);
        return id;
    }

    @Override
    public synchronized Map<String, Memory> memories() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(memories));
    }

    @Override
    public synchronized void restore(Map<String, Memory> restored) {
        Map<String, Memory> copy = new LinkedHashMap<>(restored);
        copy.forEach((id, memory) -> {
            Objects.requireNonNull(id, "memory id");
            Objects.requireNonNull(memory, "memory");
        });
        memories.clear();
        memories.putAll(copy);
    }
}
