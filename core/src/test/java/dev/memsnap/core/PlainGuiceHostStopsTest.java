package dev.memsnap.core;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.store.FileStores;
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

/** A host that builds its own injector stops memsnap through {@link MemsnapLifecycle} and loses no queued save. */
class PlainGuiceHostStopsTest {
    @TempDir
    Path dir;

    /** A real file store whose saves wait until the test lets them go, so that automatic saves queue up. */
    static final class SlowStore implements SnapshotStore {
        final SnapshotStore files;
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean stopped;

        SlowStore(SnapshotStore files) {
            this.files = files;
        }

        @Override
        public URI save(MemorySnapshot snapshot) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (stopped) {
                throw new IllegalStateException("saved after the store was stopped");
            }
            return files.save(snapshot);
        }

        @Override
        public Optional<MemorySnapshot> read(String snapshotId) {
            return files.read(snapshotId);
        }

        @Override
        public MemorySnapshot read(URI location) {
            return files.read(location);
        }

        @Override
        public List<SnapshotMetadata> list() {
            return files.list();
        }

        @Override
        public boolean delete(String snapshotId) {
            return files.delete(snapshotId);
        }

        @Override
        public void stop() {
            stopped = true;
        }
    }

    @Test
    void stoppingTheLifecycleWaitsForQueuedAutomaticSavesBeforeClosingTheStore() throws Exception {
        SlowStore slow = new SlowStore(FileStores.open(dir, SnapshotCodec.plain()));
        Injector injector = Guice.createInjector(new MemorySnapshotModule(new MemoryConfig(dir, true, 1)),
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        OptionalBinder.newOptionalBinder(binder(), SnapshotStore.class).setBinding().toInstance(slow);
                    }
                });
        MemsnapLifecycle lifecycle = injector.getInstance(MemsnapLifecycle.class).start();
        EnhancedMemoryManager memory = injector.getInstance(EnhancedMemoryManager.class);
        for (int i = 0; i < 5; i++) {
            memory.addTurn("user", "turn " + i); // one automatic snapshot per turn: one saving, four queued
        }
        assertEquals(5, memory.stats().pendingAutomaticSaves(), memory.stats().toString());
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(200); // let stop() begin waiting first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            slow.release.countDown();
        });
        releaser.start();
        lifecycle.stop();
        releaser.join();

        assertEquals(0, memory.stats().pendingAutomaticSaves());
        assertEquals(5, memory.stats().automaticSavesCompleted(), memory.stats().toString());
        assertEquals(0, memory.stats().automaticSavesFailed(), memory.stats().lastAutomaticSaveError());
        assertTrue(slow.stopped, "the store is stopped after the saves");
        assertEquals(5, FileStores.open(dir, SnapshotCodec.plain()).list().size());
    }

    @Test
    void stopWithoutStartStillWaitsForQueuedSaves() {
        SlowStore slow = new SlowStore(FileStores.open(dir, SnapshotCodec.plain()));
        slow.release.countDown();
        Injector injector = Guice.createInjector(new MemorySnapshotModule(new MemoryConfig(dir, true, 1)),
                binder -> OptionalBinder.newOptionalBinder(binder, SnapshotStore.class).setBinding().toInstance(slow));
        EnhancedMemoryManager memory = injector.getInstance(EnhancedMemoryManager.class);
        memory.addTurn("user", "one");
        memory.addTurn("user", "two");
        injector.getInstance(MemsnapLifecycle.class).stop();
        assertEquals(2, memory.stats().automaticSavesCompleted(), memory.stats().toString());
        assertEquals(2, FileStores.open(dir, SnapshotCodec.plain()).list().size());
    }
}
