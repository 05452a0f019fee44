package dev.memsnap.acceptance;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic snapshots: every {@code snapshot_interval} turns a snapshot is created and saved in the background;
 * {@code addTurn} never waits on disk and never throws because a save failed.
 */
class AutoSnapshotAcceptanceTest {

    @TempDir
    Path tmp;

    private Path configYaml(Path dir, String extra) {
        return Acceptance.write(tmp.resolve("config.yaml"), "memory:\n  snapshot_dir: \"" + dir + "\"\n" + extra);
    }

    private static List<Integer> turnCountsOfFiles(Path dir) {
        return Acceptance.fileNames(dir).stream()
                .map(f -> Acceptance.tree(dir.resolve(f)).path("short_term").path("turn_count").intValue())
                .sorted().toList();
    }

    @Test
    void enableAutoSnapshotThreeThenNineTurnsSavesThreeSnapshots_drainedByClose() {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m;
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(configYaml(dir, "")))) {
            m = memsnap.manager();
            m.enableAutoSnapshot(3);
            for (int i = 1; i <= 9; i++) {
                m.addTurn(i % 2 == 0 ? "assistant" : "user", "turn " + i);
            }
        } // close() finishes queued automatic saves
        assertEquals(3, Acceptance.fileNames(dir).size(), "files: " + Acceptance.fileNames(dir));
        assertEquals(List.of(3, 6, 9), turnCountsOfFiles(dir), "each automatic snapshot holds the turns so far");
        ManagerStats stats = m.stats();
        assertTrue(stats.autoSnapshotEnabled());
        assertEquals(3, stats.autoSnapshotInterval());
        assertEquals(3, stats.automaticSnapshots());
        assertEquals(3, stats.automaticSavesCompleted());
        assertEquals(0, stats.automaticSavesFailed());
        assertEquals(0, stats.pendingAutomaticSaves());
        assertTrue(stats.snapshotsCreated() >= 3);
    }

    @Test
    void enableAutoSnapshotThreeThenNineTurnsSavesThreeSnapshots_awaitedWithEvents() throws Exception {
        Path dir = tmp.resolve("snapshots");
        Acceptance.Recorder recorder = new Acceptance.Recorder();
        CountDownLatch saved = recorder.expect(3,
                e -> e.action() == SnapshotEvent.Action.SAVE && e.automatic());
        EnhancedMemoryManager m = Acceptance.manager(Acceptance.config(dir), Acceptance.listener(recorder));
        m.enableAutoSnapshot(3);
        for (int i = 1; i <= 9; i++) {
            m.addTurn("user", "turn " + i);
        }
        assertTrue(saved.await(20, TimeUnit.SECONDS), "3 automatic saves; events: " + recorder.events);
        assertEquals(List.of(3, 6, 9), turnCountsOfFiles(dir));
        List<String> listed = m.listSnapshots().stream().map(SnapshotMetadata::snapshotId).toList();
        assertEquals(3, listed.size(), "each automatic snapshot listed once: " + listed);
        for (SnapshotEvent e : recorder.of(SnapshotEvent.Action.SAVE)) {
            assertTrue(listed.contains(e.snapshotId()));
            assertEquals(dir.resolve(e.snapshotId() + ".json").toRealPath(), Path.of(e.location()).toRealPath());
        }
    }

    @Test
    void disableAutoSnapshotStopsThem() {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m;
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(configYaml(dir, "")))) {
            m = memsnap.manager();
            m.enableAutoSnapshot(2);
            for (int i = 0; i < 4; i++) {
                m.addTurn("user", "on " + i);
            }
            m.disableAutoSnapshot();
            assertFalse(m.stats().autoSnapshotEnabled());
            for (int i = 0; i < 10; i++) {
                m.addTurn("user", "off " + i);
            }
        }
        assertEquals(List.of(2, 4), turnCountsOfFiles(dir));
        assertEquals(2, m.stats().automaticSnapshots());
        assertFalse(m.stats().autoSnapshotEnabled());
    }

    @Test
    void autoSnapshotsAreOffByDefault() {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m;
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(configYaml(dir, "")))) {
            m = memsnap.manager();
            assertFalse(m.stats().autoSnapshotEnabled());
            assertEquals(10, m.stats().autoSnapshotInterval());
            for (int i = 0; i < 25; i++) {
                m.addTurn("user", "t" + i);
            }
        }
        assertEquals(List.of(), Acceptance.fileNames(dir));
        assertEquals(0, m.stats().automaticSnapshots());
    }

    @Test
    void configAutoSnapshotTrueIntervalTwoTurnsThemOn() throws Exception {
        Path dir = tmp.resolve("snapshots");
        MemoryConfig cfg = MemoryConfig.load(configYaml(dir, "  auto_snapshot: true\n  snapshot_interval: 2\n"));
        Acceptance.Recorder recorder = new Acceptance.Recorder();
        CountDownLatch saved = recorder.expect(2, e -> e.action() == SnapshotEvent.Action.SAVE && e.automatic());
        EnhancedMemoryManager m = Acceptance.manager(cfg, Acceptance.listener(recorder));
        assertTrue(m.stats().autoSnapshotEnabled());
        assertEquals(2, m.stats().autoSnapshotInterval());
        for (int i = 0; i < 5; i++) {
            m.addTurn("user", "t" + i);
        }
        assertTrue(saved.await(20, TimeUnit.SECONDS), "events: " + recorder.events);
        assertEquals(List.of(2, 4), turnCountsOfFiles(dir));
    }

    @Test
    void configAutoSnapshotViaMemsnapStart() {
        Path dir = tmp.resolve("snapshots");
        Path yaml = configYaml(dir, "  auto_snapshot: true\n  snapshot_interval: 2\n");
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(yaml))) {
            for (int i = 0; i < 6; i++) {
                memsnap.manager().addTurn("user", "t" + i);
            }
        }
        assertEquals(List.of(2, 4, 6), turnCountsOfFiles(dir));
    }

    /** A store whose every save fails, as with a full disk. */
    static class FailingStore implements SnapshotStore {
        final AtomicInteger saves = new AtomicInteger();

        @Override
        public URI save(MemorySnapshot snapshot) {
            saves.incrementAndGet();
            throw new SnapshotStoreException("disk full while saving " + snapshot.snapshotId(),
                    new IOException("No space left on device"));
        }

        @Override
        public Optional<MemorySnapshot> read(String snapshotId) {
            return Optional.empty();
        }

        @Override
        public MemorySnapshot read(URI location) {
            throw new SnapshotNotFoundException("nothing at " + location);
        }

        @Override
        public List<SnapshotMetadata> list() {
            return List.of();
        }

        @Override
        public boolean delete(String snapshotId) {
            return false;
        }
    }

    private static Module store(SnapshotStore store) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), SnapshotStore.class).setBinding().toInstance(store);
            }
        };
    }

    @Test
    void aFailingStoreNeverMakesAddTurnThrowAndFailuresShowInStats() {
        FailingStore failing = new FailingStore();
        EnhancedMemoryManager m;
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(configYaml(tmp.resolve("snapshots"), "")),
                store(failing))) {
            m = memsnap.manager();
            m.enableAutoSnapshot(2);
            for (int i = 0; i < 6; i++) {
                String content = "t" + i;
                assertDoesNotThrow(() -> m.addTurn("user", content));
            }
        } // drains the background saves
        assertEquals(6, m.turns().size(), "every turn recorded");
        assertEquals(3, failing.saves.get(), "three automatic saves attempted");
        ManagerStats stats = m.stats();
        assertEquals(3, stats.automaticSnapshots());
        assertEquals(3, stats.automaticSavesFailed());
        assertEquals(0, stats.automaticSavesCompleted());
        assertEquals(0, stats.pendingAutomaticSaves());
        assertNotNull(stats.lastAutomaticSaveError(), "the failure is visible");
        assertTrue(stats.lastAutomaticSaveError().contains("disk full"), stats.lastAutomaticSaveError());
    }

    @Test
    void aFailingStoreBoundWithPlainGuiceAlsoShowsFailuresInStats() throws Exception {
        FailingStore failing = new FailingStore();
        EnhancedMemoryManager m = Acceptance.manager(Acceptance.config(tmp.resolve("snapshots")), store(failing));
        m.enableAutoSnapshot(1);
        assertDoesNotThrow(() -> m.addTurn("user", "one"));
        // Bounded wait for the background save to be counted (polling stats, as the brief allows; no fixed sleep).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (m.stats().automaticSavesFailed() < 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
        assertEquals(1, m.stats().automaticSavesFailed(), "stats: " + m.stats());
        assertEquals(1, m.turns().size());
    }

    /** A store whose save blocks until released: a turn must not wait for it. */
    static final class BlockingStore extends FailingStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public URI save(MemorySnapshot snapshot) {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.save(snapshot);
        }
    }

    /**
     * With a store slower than the turns, every automatic snapshot is still accounted for once the background saves
     * are drained: saved, failed or skipped, none pending, and every turn recorded.
     */
    @Test
    void everyAutomaticSnapshotIsAccountedForWithASlowStore() throws Exception {
        BlockingStore slow = new BlockingStore();
        EnhancedMemoryManager m;
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(configYaml(tmp.resolve("snapshots"), "")),
                store(slow))) {
            m = memsnap.manager();
            m.enableAutoSnapshot(1);
            m.addTurn("user", "0");
            assertTrue(slow.entered.await(20, TimeUnit.SECONDS));
            for (int i = 1; i < 20; i++) {
                m.addTurn("user", String.valueOf(i));
            }
            slow.release.countDown();
        }
        ManagerStats s = m.stats();
        assertEquals(20, m.turns().size());
        assertEquals(20, s.automaticSnapshots(), s.toString());
        assertEquals(0, s.pendingAutomaticSaves(), s.toString());
        assertEquals(s.automaticSnapshots(),
                s.automaticSavesCompleted() + s.automaticSavesFailed() + s.automaticSavesSkipped(), s.toString());
        assertEquals(slow.saves.get(), s.automaticSavesCompleted() + s.automaticSavesFailed(), s.toString());
    }

    /**
     * Turns from several threads: an automatic snapshot is taken exactly at every 10th turn, so with 1000 turns there
     * are 100 of them holding 10, 20, ..., 1000 turns, each listed once.
     */
    @Test
    void automaticSnapshotsFallExactlyOnEveryIntervalUnderConcurrentTurns() throws Exception {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m;
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(
                configYaml(dir, "  auto_snapshot: true\n  snapshot_interval: 10\n")))) {
            m = memsnap.manager();
            CountDownLatch go = new CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    String role = "w" + t;
                    futures.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < 250; i++) {
                            m.addTurn(role, role + "-" + i);
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (java.util.concurrent.Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals(1000, m.turns().size());
        ManagerStats s = m.stats();
        assertEquals(100, s.automaticSnapshots(), s.toString());
        List<Integer> counts = m.listSnapshots().stream().map(SnapshotMetadata::shortTermTurns).sorted().toList();
        List<Integer> expected = java.util.stream.IntStream.rangeClosed(1, 100).map(k -> 10 * k).boxed().toList();
        assertEquals(expected, counts, "each automatic snapshot on an interval boundary, listed once");
        assertEquals(s.automaticSavesCompleted(), Acceptance.fileNames(dir).size(), s.toString());
    }

    @Test
    void anIntervalBelowOneIsRejectedAndChangesNothing() {
        EnhancedMemoryManager m = Acceptance.manager(tmp.resolve("snapshots"));
        ManagerStats before = m.stats();
        assertThrows(IllegalArgumentException.class, () -> m.enableAutoSnapshot(0));
        assertThrows(IllegalArgumentException.class, () -> m.enableAutoSnapshot(-5));
        assertEquals(before, m.stats());
    }

    @Test
    void addTurnNeverWaitsOnDisk() throws Exception {
        BlockingStore blocking = new BlockingStore();
        EnhancedMemoryManager m = Acceptance.manager(Acceptance.config(tmp.resolve("snapshots")), store(blocking));
        m.enableAutoSnapshot(1);
        m.addTurn("user", "first: starts a save that blocks");
        assertTrue(blocking.entered.await(20, TimeUnit.SECONDS), "the automatic save started");
        // The save is now blocked on disk. More turns must go through regardless.
        CompletableFuture<Void> turns = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 20; i++) {
                m.addTurn("user", "more " + i);
            }
        });
        try {
            // A deadlock guard, not a timing assertion: were addTurn waiting for the blocked save, it would never end.
            turns.get(20, TimeUnit.SECONDS);
            assertEquals(21, m.turns().size());
        } finally {
            blocking.release.countDown();
        }
    }
}
