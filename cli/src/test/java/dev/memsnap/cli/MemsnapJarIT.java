package dev.memsnap.cli;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shaded jar, run as users run it: {@code java -jar target/memsnap.jar}, in a child process with a real
 * environment, real stdout and stderr (logging backend included), and the {@code ./memsnap} wrapper.
 *
 * <p>Named {@code *IT} so that surefire, which runs before {@code package} builds the jar, skips it; failsafe's
 * {@code integration-test} phase runs it after. Without failsafe, run it by hand:
 * {@code mvn -pl cli package && mvn -pl cli surefire:test -Dtest=MemsnapJarIT}.
 */
class MemsnapJarIT {
    private static final Path JAR = Path.of("target", "memsnap.jar");
    private static final LocalDateTime T = LocalDateTime.of(2025, 11, 1, 0, 0);

    @TempDir
    Path work;

    record Run(int code, String out, String err) {
    }

    @Test
    void theJarRunsEveryPartEndToEnd() throws Exception {
        assumeTrue(Files.isRegularFile(JAR), "target/memsnap.jar is built by package; this test runs after it");
        Path dir = work.resolve("snapshots");
        byte[] key = KeyRing.generateKey();
        String keyText = Base64.getEncoder().encodeToString(key);
        SnapshotStore store = Fixtures.store(dir, Fixtures.codec(Compression.GZIP, KeyRing.ofKey(key)));
        for (int i = 0; i < 3; i++) {
            store.save(TestSnapshots.snapshot(Fixtures.id(T.plusHours(i), i), T.plusHours(i), 2, 2));
        }
        Map<String, String> env = Map.of("MEMSNAP_KEY", keyText);

        Run version = java(env, "--version");
        assertEquals(0, version.code(), version::toString);
        assertTrue(version.out().startsWith("memsnap "), version.out());

        Run list = java(env, "list", "--json", "--dir", dir.toString(), "--key-env", "MEMSNAP_KEY");
        assertEquals(0, list.code(), list::toString);
        assertEquals(List.of(Fixtures.id(T.plusHours(2), 2), Fixtures.id(T.plusHours(1), 1), Fixtures.id(T, 0)),
                Fixtures.ids(list.out()));
        assertEquals("", list.err(), "nothing but results: logging is at warn");

        Run noKey = java(env, "list", "--dir", dir.toString());
        assertEquals(4, noKey.code(), noKey::toString);
        assertTrue(noKey.err().startsWith("memsnap: cannot list "), noKey.err());

        Run debug = java(env, "verify", "--dir", dir.toString(), "--key-env", "MEMSNAP_KEY", "--debug");
        assertEquals(0, debug.code(), debug::toString);
        assertTrue(debug.err().contains("DEBUG"), "--debug turns on debug logs: " + debug.err());
        assertFalse((debug.out() + debug.err()).contains(keyText), "never the key");

        Run missing = java(env, "show", Fixtures.id(T, 0xdead), "--dir", dir.toString(), "--key-env", "MEMSNAP_KEY");
        assertEquals(3, missing.code(), missing::toString);
        assertEquals("memsnap: no stored snapshot with id " + Fixtures.id(T, 0xdead) + "\n", missing.err());

        Path wrapper = Path.of("memsnap");
        if (Files.isExecutable(wrapper) && Files.isExecutable(Path.of("/bin/bash"))) {
            Run viaWrapper = run(env, List.of(wrapper.toAbsolutePath().toString(), "help", "verify"));
            assertEquals(0, viaWrapper.code(), viaWrapper::toString);
            assertTrue(viaWrapper.out().contains("Usage: memsnap verify"), viaWrapper.out());
        }
    }

    private Run java(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return run(env, command);
    }

    private Run run(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(work.resolve("out").toFile()).redirectError(work.resolve("err").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "finished");
        return new Run(process.exitValue(), Files.readString(work.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(work.resolve("err"), StandardCharsets.UTF_8));
    }
}
