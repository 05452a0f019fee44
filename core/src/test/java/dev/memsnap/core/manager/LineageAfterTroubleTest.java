package dev.memsnap.core.manager;

import com.google.inject.multibindings.OptionalBinder;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.Turn;
import dev.memsnap.api.memory.ShortTermMemory;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A memory's lineage stays whole through trouble: an automatic snapshot that cannot be made (a host's memory gives
 * something no snapshot can hold) leaves the snapshots after it unharmed, and a memory that resumes from a snapshot
 * dates its new ones after it even when the clock is behind that snapshot, unless the snapshot is dated far ahead.
 */
class LineageAfterTroubleTest {
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00.123456Z");

    /** A host's short-term memory that, while {@link #broken}, has lost its session start. */
    static final class FlakyShortTerm implements ShortTermMemory {
        private final List<Turn> turns = new ArrayList<>();
        private LocalDateTime start = LocalDateTime.of(2026, 12, 3, 7, 0);
        volatile boolean broken;

        @Override
        public synchronized void add(Turn turn) {
            turns.add(turn);
        }

        @Override
        public synchronized List<Turn> turns() {
            return List.copyOf(turns);
        }

        @Override
        public synchronized LocalDateTime sessionStart() {
            return broken ? null : start;
        }

        @Override
        public synchronized void restore(List<Turn> restored, LocalDateTime sessionStart) {
            turns.clear();
            turns.addAll(restored);
            start = sessionStart;
        }
    }

    @Test
    void anAutomaticSnapshotThatCannotBeMadeLeavesTheLaterOnesWhole(@TempDir Path dir) throws Exception {
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: " + dir
                + "\n  auto_snapshot: true\n  snapshot_interval: 1\n");
        FlakyShortTerm shortTerm = new FlakyShortTerm();
        try (Memsnap memsnap = Memsnap.start(config, binder -> OptionalBinder.newOptionalBinder(binder,
                ShortTermMemory.class).setBinding().toInstance(shortTerm))) {
            EnhancedMemoryManager memory = memsnap.manager();
            memory.addTurn("user", "one");
            shortTerm.broken = true;
            memory.addTurn("user", "two"); // its automatic snapshot cannot be made
            shortTerm.broken = false;
            memory.addTurn("user", "three");
            String made = memory.createSnapshot();

            List<SnapshotMetadata> listed = memory.listSnapshots();
            assertEquals(3, listed.size(), "the first, the third and the one made by hand: " + listed);
            SnapshotMetadata byHand = listed.get(0);
            SnapshotMetadata third = listed.get(1);
            SnapshotMetadata first = listed.get(2);
            assertEquals(made, byHand.snapshotId());
            assertEquals(third.snapshotId(), byHand.parentSnapshotId());
            assertEquals(first.snapshotId(), third.parentSnapshotId(), "the one that failed is left out of the line");
            assertEquals(3, third.shortTermTurns());
            assertEquals(1, memory.stats().automaticSavesFailed(), memory.stats().toString());
        }
    }

    @Test
    void aResumedMemoryDatesItsNextSnapshotAfterTheOneItResumedFrom(@TempDir Path dir) {
        String yaml = "memory:\n  snapshot_dir: " + dir + "\n  resume: latest\n";
        Instant ahead = NOW.plus(Duration.ofSeconds(20)); // the first run's clock, 20 s ahead of the second's
        String resumedFrom;
        try (Memsnap first = start(yaml, ahead)) {
            EnhancedMemoryManager ann = first.memories().get("ann");
            ann.addTurn("user", "hello");
            resumedFrom = ann.createSnapshot();
            ann.saveSnapshot(resumedFrom);
        }
        try (Memsnap second = start(yaml, NOW)) {
            EnhancedMemoryManager ann = second.memories().get("ann");
            ann.addTurn("user", "again");
            String next = ann.createSnapshot();
            MemorySnapshot taken = ann.getSnapshot(next).orElseThrow();
            assertEquals(resumedFrom, taken.metadata().parentSnapshotId());
            assertTrue(taken.timestamp().isAfter(LocalDateTime.ofInstant(ahead, ZoneOffset.UTC)),
                    "dated after its parent although the clock is behind it: " + taken.timestamp());
            assertEquals(next, ann.listSnapshots().get(0).snapshotId(), "the newest listed is the last taken");
        }
    }

    @Test
    void aSnapshotDatedFarAheadDoesNotDateTheNextOnes(@TempDir Path dir) {
        String yaml = "memory:\n  snapshot_dir: " + dir + "\n  resume: latest\n";
        try (Memsnap future = start(yaml, Instant.parse("2099-01-01T00:00:00Z"))) {
            EnhancedMemoryManager ann = future.memories().get("ann");
            ann.addTurn("user", "from the future");
            ann.saveSnapshot(ann.createSnapshot());
        }
        try (Memsnap second = start(yaml, NOW)) {
            EnhancedMemoryManager ann = second.memories().get("ann");
            ann.addTurn("user", "now");
            MemorySnapshot taken = ann.getSnapshot(ann.createSnapshot()).orElseThrow();
            assertEquals(LocalDateTime.ofInstant(NOW, ZoneOffset.UTC), taken.timestamp(), "dated by the clock");
        }
    }

    private static Memsnap start(String yaml, Instant clockAt) {
        Clock stopped = Clock.fixed(clockAt, ZoneOffset.UTC);
        return Memsnap.start(ConfigFile.parse("config.yaml", yaml),
                binder -> OptionalBinder.newOptionalBinder(binder, Clock.class).setBinding().toInstance(stopped));
    }
}
