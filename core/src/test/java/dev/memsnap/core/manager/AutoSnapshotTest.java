package dev.memsnap.core.manager;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoSnapshotTest {
    @TempDir
    Path dir;

    /** A store whose saves wait until the test opens the gate: a disk that cannot keep up. */
    static final class GatedStore implements SnapshotStore {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch firstSaveStarted = new CountDownLatch(1);
        final java.util.Map<String, MemorySnapshot> saved = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public URI save(MemorySnapshot snapshot) {
            firstSaveStarted.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            saved.put(snapshot.snapshotId(), snapshot);
            return URI.create("gated:" + snapshot.snapshotId());
        }

        @Override
        public Optional<MemorySnapshot> read(String snapshotId) {
            return Optional.ofNullable(saved.get(snapshotId));
        }

        @Override
        public MemorySnapshot read(URI location) {
            return saved.get(location.getSchemeSpecificPart());
        }

        @Override
        public List<SnapshotMetadata> list() {
            return saved.values().stream().map(MemorySnapshot::metadata).toList();
        }

        @Override
        public boolean delete(String snapshotId) {
            return saved.remove(snapshotId) != null;
        }
    }

    private Memsnap start(String memoryYaml, SnapshotStore store) {
        ConfigFile config = ConfigFile.parse("test", "memory:\n  snapshot_dir: " + dir + "\n" + memoryYaml);
        return Memsnap.start(config, new AbstractModule() {
            @Override
            protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), SnapshotStore.class).setBinding().toInstance(store);
            }
        });
    }

    @Test
    void aStalledDiskNeitherBlocksTurnsNorQueuesWithoutBound() throws InterruptedException {
        GatedStore store = new GatedStore();
        Memsnap memsnap = start("  auto_snapshot: true\n  snapshot_interval: 1\n", store);
        EnhancedMemoryManager memory = memsnap.manager();

        memory.addTurn("user", "first");
        assertTrue(store.firstSaveStarted.await(10, TimeUnit.SECONDS));
        int turns = 1 + AutoSnapshots.QUEUE_CAPACITY + 5;
        for (int i = 1; i < turns; i++) {
            memory.addTurn("user", "turn " + i); // would hang here if a turn waited for the disk
        }
        ManagerStats stalled = memory.stats();
        assertEquals(turns, stalled.automaticSnapshots());
        assertEquals(5, stalled.automaticSavesSkipped());
        assertEquals(1 + AutoSnapshots.QUEUE_CAPACITY, stalled.pendingAutomaticSaves());
        assertEquals(turns, memory.listSnapshots().size(), "skipped snapshots stay in memory, none is lost");

        store.gate.countDown();
        memsnap.close();
        ManagerStats drained = memory.stats();
        assertEquals(1 + AutoSnapshots.QUEUE_CAPACITY, drained.automaticSavesCompleted());
        assertEquals(0, drained.pendingAutomaticSaves());
        assertEquals(1 + AutoSnapshots.QUEUE_CAPACITY, store.saved.size());
    }

    @Test
    void everyIntervalTurnsASnapshotOfExactlyThoseTurnsIsSaved() {
        GatedStore open = new GatedStore();
        open.gate.countDown();
        Memsnap memsnap = start("  auto_snapshot: true\n  snapshot_interval: 3\n", open);
        EnhancedMemoryManager memory = memsnap.manager();
        for (int i = 1; i <= 7; i++) {
            memory.addTurn("user", "turn " + i);
        }
        memsnap.close();
        List<SnapshotMetadata> listing = memory.listSnapshots();
        assertEquals(List.of(6, 3), listing.stream().map(SnapshotMetadata::shortTermTurns).toList());
        assertEquals(2, memory.stats().automaticSavesCompleted());
    }
}
