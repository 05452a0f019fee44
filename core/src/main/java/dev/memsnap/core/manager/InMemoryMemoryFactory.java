package dev.memsnap.core.manager;

import dev.memsnap.api.memory.LongTermMemory;
import dev.memsnap.api.memory.MemoryFactory;
import dev.memsnap.api.memory.ShortTermMemory;
import jakarta.inject.Inject;

import java.time.Clock;

/** The default: every memory id's conversation and memories kept in the heap, as the default memory's are. */
final class InMemoryMemoryFactory implements MemoryFactory {
    private final Clock clock;

    @Inject
    InMemoryMemoryFactory(Clock clock) {
        this.clock = clock;
    }

    @Override
    public ShortTermMemory shortTerm(String memoryId) {
        return new InMemoryShortTermMemory(clock);
    }

    @Override
    public LongTermMemory longTerm(String memoryId) {
        return new InMemoryLongTermMemory();
    }
}
