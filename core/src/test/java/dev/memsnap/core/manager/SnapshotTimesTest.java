package dev.memsnap.core.manager;

import com.google.inject.multibindings.OptionalBinder;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A memory's snapshots are ordered by their timestamps even when they come faster than the clock ticks (a turn with
 * an automatic snapshot takes about a microsecond): each capture is dated at least a microsecond after the last, so
 * the newest listed snapshot is the last one taken.
 */
class SnapshotTimesTest {
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00.123456Z");

    @Test
    void snapshotsTakenWithinOneClockTickAreDatedInTheOrderTheyWereTaken(@TempDir Path dir) {
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: " + dir
                + "\n  auto_snapshot: true\n  snapshot_interval: 1\n");
        Clock stopped = Clock.fixed(NOW, ZoneOffset.UTC);
        try (Memsnap memsnap = Memsnap.start(config,
                binder -> OptionalBinder.newOptionalBinder(binder, Clock.class).setBinding().toInstance(stopped))) {
            EnhancedMemoryManager memory = memsnap.manager();
            List<String> taken = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                memory.addTurn("user", "turn " + i); // an automatic snapshot each
                taken.add(memory.createSnapshot());
            }
            List<SnapshotMetadata> listed = memory.listSnapshots();
            assertEquals(10, listed.size());
            LocalDateTime previous = LocalDateTime.MIN;
            for (int i = listed.size() - 1; i >= 0; i--) {
                SnapshotMetadata m = listed.get(i);
                assertTrue(m.timestamp().isAfter(previous), "timestamps rise in the order taken: " + listed);
                previous = m.timestamp();
            }
            assertEquals(taken.get(4), listed.get(0).snapshotId(), "the newest listed is the last taken");
            assertEquals(5, listed.get(0).shortTermTurns(), "and it holds every turn");
            assertEquals(LocalDateTime.ofInstant(NOW, ZoneOffset.UTC), listed.get(9).timestamp(),
                    "the first is dated by the clock");
        }
    }
}
