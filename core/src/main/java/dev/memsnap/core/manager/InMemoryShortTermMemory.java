package dev.memsnap.core.manager;

import dev.memsnap.api.Turn;
import dev.memsnap.api.memory.ShortTermMemory;
import dev.memsnap.core.collect.PersistentVector;
import dev.memsnap.core.format.Timestamps;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;

/**
 * The default short-term memory: the conversation as an immutable, structurally shared list, so that
 * {@link #turns()} hands it out at no cost. The session starts when it is made.
 */
final class InMemoryShortTermMemory implements ShortTermMemory {
    private PersistentVector<Turn> turns = PersistentVector.empty();
    private LocalDateTime sessionStart;

    @Inject
    InMemoryShortTermMemory(Clock clock) {
        this.sessionStart = Timestamps.now(clock);
    }

    @Override
    public synchronized void add(Turn turn) {
        turns = turns.append(Objects.requireNonNull(turn, "turn"));
    }

    @Override
    public synchronized List<Turn> turns() {
        return turns;
    }

    @Override
    public synchronized LocalDateTime sessionStart() {
        return sessionStart;
    }

    @Override
    public synchronized void restore(List<Turn> newTurns, LocalDateTime newSessionStart) {
        PersistentVector<Turn> copy = PersistentVector.of(newTurns);
        turns = copy;
        sessionStart = Objects.requireNonNull(newSessionStart, "sessionStart");
    }
}
