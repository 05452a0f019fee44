package dev.memsnap.spring;

import dev.memsnap.api.ConfigException;
import dev.memsnap.core.Memsnap;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memsnap.* properties mean what config.yaml's keys mean, checked by core, and an error names the property. */
class PropertiesTest {
    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MemsnapAutoConfiguration.class));

    private static MemoryConfig config(org.springframework.context.ApplicationContext context) {
        return context.getBean(Memsnap.class).injector().getInstance(MemoryConfig.class);
    }

    @Test
    void everySettingReachesTheRuntime() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "ab".repeat(32));
        Path old = Files.writeString(dir.resolve("old-key"), "cd".repeat(32));
        runner.withPropertyValues("memsnap.snapshot-dir=" + dir.resolve("snaps"), "memsnap.auto-snapshot=true",
                "memsnap.snapshot-interval=3", "memsnap.store=incremental", "memsnap.resume=latest",
                "memsnap.max-live-memories=50", "memsnap.compression=gzip", "memsnap.compression-level=2",
                "memsnap.encryption.key-file=" + key, "memsnap.encryption.previous[0].key-file=" + old,
                "memsnap.retention.keep-last=5", "memsnap.retention.keep-within=6m",
                "memsnap.retention.keep-hourly=1", "memsnap.retention.keep-daily=2", "memsnap.retention.keep-weekly=3",
                "memsnap.retention.keep-monthly=4", "memsnap.retention.max-total-size=1MB",
                "memsnap.retention.after-auto-snapshot=true").run(context -> {
            MemoryConfig c = config(context);
            assertEquals(dir.resolve("snaps"), c.snapshotDir());
            assertTrue(c.autoSnapshot());
            assertEquals(3, c.snapshotInterval());
            assertEquals("incremental", c.store());
            assertEquals(MemoryConfig.Resume.LATEST, c.resume());
            assertEquals(50, c.maxLiveMemories());
            assertEquals(Compression.GZIP, c.compression());
            assertEquals(2, c.compressionLevel());
            assertEquals(new KeySource.KeyFile(key), c.encryption().key());
            assertEquals(java.util.List.of(new KeySource.KeyFile(old)), c.encryption().previous());
            assertEquals(new dev.memsnap.core.prune.RetentionPolicy(5, Duration.ofDays(180), 1, 2, 3, 4, 1_000_000),
                    c.retention(), "memsnap's units: 6m is six months, 1MB is 10^6 bytes");
            assertTrue(c.pruneAfterAutoSnapshot());
        });
    }

    @Test
    void unsetPropertiesAreMemsnapsDefaults() {
        runner.run(context -> assertEquals(MemoryConfig.defaults(), config(context)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "memsnap.snapshot-interval=0 | memsnap.snapshot-interval: expected a whole number from 1 to 2147483647, got 0",
        "memsnap.compression=lz4 | memsnap.compression: ",
        "memsnap.compression-level=10 | memsnap.compression-level: expected a whole number from 1 to 9, got 10",
        "memsnap.resume=oldest | memsnap.resume: expected none or latest, got \"oldest\"",
        "memsnap.retention.keep-daily=-1 | memsnap.retention.keep-daily: expected a whole number from 0",
        "memsnap.retention.keep-within=7 days | memsnap.retention.keep-within: expected a duration",
        "memsnap.retention.max-total-size=lots | memsnap.retention.max-total-size: expected a size",
        "memsnap.store=nosuch | memsnap.store: no store named \"nosuch\"",
        "memsnap.store= | memsnap.store: expected a non-empty string",
    })
    void aWrongValueFailsTheStartNamingTheProperty(String property, String message) {
        runner.withPropertyValues("memsnap.snapshot-dir=" + dir, property).run(context -> {
            Throwable failure = context.getStartupFailure();
            assertNotNull(failure, property + " was accepted");
            ConfigException cause = rootConfigException(failure);
            assertTrue(cause.getMessage().startsWith(message), cause.getMessage());
            assertFalse(cause.getMessage().contains("memory."), "names no YAML key: " + cause.getMessage());
        });
    }

    @Test
    void twoKeySourcesAreRefusedNamingTheEncryptionProperties() {
        runner.withPropertyValues("memsnap.encryption.key-env=A", "memsnap.encryption.passphrase-env=B")
                .run(context -> assertEquals("memsnap.encryption.key-file: give exactly one of key_file, key_env or "
                        + "passphrase_env", rootConfigException(context.getStartupFailure()).getMessage()));
    }

    @Test
    void thePostgresSectionIsCheckedByTheStoresOwnBinding() {
        runner.withPropertyValues("memsnap.store=postgres", "memsnap.postgres.url=jdbc:postgresql://127.0.0.1:1/x",
                "memsnap.postgres.pool-size=0").run(context -> {
            String message = rootConfigException(context.getStartupFailure()).getMessage();
            assertTrue(message.startsWith("memsnap.postgres.pool-size: "), message);
        });
    }

    @Test
    void aValueSpringCannotConvertFailsInSpringsBindingNamingTheProperty() {
        runner.withPropertyValues("memsnap.snapshot-interval=ten").run(context -> {
            Throwable failure = context.getStartupFailure();
            assertNotNull(failure);
            StringBuilder messages = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertTrue(messages.toString().contains("Failed to bind properties under 'memsnap.snapshot-interval'"),
                    messages.toString());
        });
    }

    @Test
    void aConfigFileIsReadInstead() throws Exception {
        Path yaml = Files.writeString(dir.resolve("config.yaml"), "memory:\n  snapshot_dir: " + dir.resolve("y")
                + "\n  snapshot_interval: 7\n");
        runner.withPropertyValues("memsnap.config-file=" + yaml).run(context -> {
            assertEquals(7, config(context).snapshotInterval());
            assertEquals(dir.resolve("y"), config(context).snapshotDir());
        });
    }

    @Test
    void aConfigFileErrorNamesTheFileAndItsKey() throws Exception {
        Path yaml = Files.writeString(dir.resolve("config.yaml"), "memory:\n  snapshot_interval: 0\n");
        runner.withPropertyValues("memsnap.config-file=" + yaml).run(context -> assertEquals(
                yaml + ": memory.snapshot_interval: expected a whole number from 1 to 2147483647, got 0",
                rootConfigException(context.getStartupFailure()).getMessage()));
    }

    @Test
    void aConfigFileAndPropertiesOfTheSameSettingsAreRefused() throws Exception {
        Path yaml = Files.writeString(dir.resolve("config.yaml"), "memory: {}\n");
        runner.withPropertyValues("memsnap.config-file=" + yaml, "memsnap.snapshot-interval=4",
                "memsnap.retention.keep-last=2").run(context -> assertEquals("memsnap.config-file: given together "
                        + "with memsnap.snapshot-interval, memsnap.retention; set memsnap's settings either in that file "
                        + "or as properties, not both", rootConfigException(context.getStartupFailure()).getMessage()));
    }

    private static ConfigException rootConfigException(Throwable failure) {
        assertNotNull(failure, "the context started");
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigException e) {
                return e;
            }
        }
        throw new AssertionError("no ConfigException in " + failure, failure);
    }
}
