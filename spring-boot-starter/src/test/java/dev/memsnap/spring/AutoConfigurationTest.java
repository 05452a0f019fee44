package dev.memsnap.spring;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime's beans: made from the properties, replaceable, and closed with the context. */
class AutoConfigurationTest {
    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MemsnapAutoConfiguration.class));

    @Test
    void theRuntimeItsMemoriesAndItsStoreAreBeansOfOneRuntime() {
        runner.withPropertyValues("memsnap.snapshot-dir=" + dir, "memsnap.store=incremental").run(context -> {
            Memsnap memsnap = context.getBean(Memsnap.class);
            assertSame(memsnap.memories(), context.getBean(MemoryManagers.class));
            assertSame(memsnap.store(), context.getBean(SnapshotStore.class));
            EnhancedMemoryManager alice = context.getBean(MemoryManagers.class).get("alice");
            alice.addTurn("user", "hello");
            alice.saveSnapshot(alice.createSnapshot());
            assertTrue(Files.isDirectory(dir.resolve("memories")), "saved into memsnap.snapshot-dir");
            assertEquals("incremental", memsnap.injector().getInstance(dev.memsnap.core.MemoryConfig.class).store());
        });
    }

    @Test
    void queuedAutomaticSavesDrainWhenTheContextCloses() {
        runner.withPropertyValues("memsnap.snapshot-dir=" + dir, "memsnap.auto-snapshot=true",
                "memsnap.snapshot-interval=1").run(context -> {
            EnhancedMemoryManager memory = context.getBean(MemoryManagers.class).get("bob");
            for (int i = 0; i < 20; i++) {
                memory.addTurn("user", "message " + i);
            }
            context.close();
            dev.memsnap.api.ManagerStats stats = memory.stats();
            assertEquals(20, stats.automaticSnapshots());
            assertEquals(0, stats.pendingAutomaticSaves(), "closing the context waited for the queue");
            assertEquals(stats.automaticSnapshots(), stats.automaticSavesCompleted() + stats.automaticSavesSkipped());
            try (Memsnap reopened = Memsnap.start(dev.memsnap.core.ConfigFile.of("reopened",
                    java.util.Map.of("memory", java.util.Map.of("snapshot_dir", dir.toString()))))) {
                assertEquals(stats.automaticSavesCompleted(),
                        reopened.memories().get("bob").listSnapshots().size(), "every completed save is on disk");
            }
        });
    }

    @Test
    void anApplicationsStoreBecomesTheRuntimesStore() {
        runner.withPropertyValues("memsnap.snapshot-dir=" + dir)
                .withBean("myStore", SnapshotStore.class, () -> dev.memsnap.core.SnapshotStores.open(
                        dev.memsnap.core.ConfigFile.of("mine", java.util.Map.of("memory",
                                java.util.Map.of("snapshot_dir", dir.resolve("mine").toString())))).store())
                .run(context -> {
                    SnapshotStore mine = context.getBean("myStore", SnapshotStore.class);
                    assertSame(mine, context.getBean(Memsnap.class).store());
                    assertEquals(1, context.getBeansOfType(SnapshotStore.class).size());
                });
    }
}
