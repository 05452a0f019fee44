package dev.memsnap.core.manager;

import dev.memsnap.api.Turn;
import dev.memsnap.api.memory.ShortTermMemory;
import dev.memsnap.core.format.Timestamps;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The default short-term memory: the conversation in a list. The session starts when it is made. */
final class InMemoryShortTermMemory implements ShortTermMemory {
    private final List<Turn> turns = new ArrayList<>();
    private LocalDateTime sessionStart;

    @Inject
    InMemoryShortTermMemory(Clock clock) {
        this.sessionStart = Timestamps.now(clock);
    }

    @Override
    public synchronized void add(Turn turn) {
        turns.add(Objects.requireNonNull(turn, "turn"));
    }

    @Override
    public synchronized List<Turn> turns() {
        return List.copyOf(turns);
    }

    @Override
    public synchronized LocalDateTime sessionStart() {
        return sessionStart;
    }

    @Override
    public synchronized void restore(List<Turn> newTurns, LocalDateTime newSessionStart) {
        List<Turn> copy = List.copyOf(newTurns);
        Objects.requireNonNull(newSessionStart, "sessionStart");
        turns.clear();
        turns.addAll(copy);
        sessionStart = newSessionStart;
    }
}
