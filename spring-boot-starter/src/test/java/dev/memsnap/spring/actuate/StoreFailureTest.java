package dev.memsnap.spring.actuate;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.spring.MemsnapAutoConfiguration;
import dev.memsnap.store.postgres.PostgresServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real store that fails while the application runs: the PostgreSQL store's database dropped under it turns the
 * health indicator down with the reason, and a file store whose directory is replaced by a file counts its automatic
 * saves as failed.
 */
class StoreFailureTest {
    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MemsnapAutoConfiguration.class,
                    MemsnapHealthAutoConfiguration.class, MemsnapMetricsAutoConfiguration.class));

    @Test
    void aFileStoreThatCannotWriteCountsItsAutomaticSavesAsFailed() {
        Path snapshots = dir.resolve("snapshots");
        runner.withPropertyValues("memsnap.snapshot-dir=" + snapshots).run(context -> {
            HealthIndicator health = context.getBean("memsnapHealthIndicator", HealthIndicator.class);
            EnhancedMemoryManager alice = context.getBean(MemoryManagers.class).get("alice");
            alice.addTurn("user", "hello");
            alice.saveSnapshot(alice.createSnapshot());
            Health up = health.health(true);
            assertEquals(Status.UP, up.getStatus(), up.toString());
            assertEquals(1, up.getDetails().get("snapshots"));
            assertEquals(1, up.getDetails().get("memories"));

            deleteTree(snapshots);
            Files.writeString(snapshots, "not a directory");

            // (core's file store lists a missing or non-directory snapshot_dir as empty, so health stays up here)
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean("memsnapMetrics", MeterBinder.class).bindTo(registry);
            alice.enableAutoSnapshot(1);
            alice.addTurn("user", "this save fails");
            awaitNoPendingSaves(alice);
            assertEquals(1, registry.get("memsnap.snapshots.automatic.saves").tag("outcome", "failed")
                    .functionCounter().count());
            assertEquals(0, registry.get("memsnap.snapshots.automatic.saves").tag("outcome", "completed")
                    .functionCounter().count());
        });
    }

    @Test
    void aPostgresStoreWhoseDatabaseIsDroppedIsDownWithTheServersReason() throws Exception {
        PostgresServer server = PostgresServer.shared();
        String database = server.createDatabase();
        runner.withPropertyValues("memsnap.snapshot-dir=" + dir, "memsnap.store=postgres",
                "memsnap.postgres.url=" + server.url(database),
                "memsnap.postgres.user=" + PostgresServer.USER,
                "memsnap.postgres.password-env=" + PostgresServer.PASSWORD_ENV,
                "memsnap.postgres.connection-timeout=1s").run(context -> {
            HealthIndicator health = context.getBean("memsnapHealthIndicator", HealthIndicator.class);
            EnhancedMemoryManager bob = context.getBean(MemoryManagers.class).get("bob");
            bob.addTurn("user", "hello");
            bob.saveSnapshot(bob.createSnapshot());
            assertEquals(Status.UP, health.health(true).getStatus());
            assertTrue(String.valueOf(health.health(true).getDetails().get("store")).contains("Postgres"));

            try (Connection admin = server.admin("postgres"); Statement sql = admin.createStatement()) {
                sql.execute("DROP DATABASE \"" + database + "\" WITH (FORCE)");
            }

            Health down = health.health(true);
            assertEquals(Status.DOWN, down.getStatus(), down.toString());
            assertTrue(String.valueOf(down.getDetails().get("error")).contains("SnapshotStoreException"),
                    down.toString());
        });
    }

    private static void awaitNoPendingSaves(EnhancedMemoryManager memory) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (memory.stats().pendingAutomaticSaves() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
