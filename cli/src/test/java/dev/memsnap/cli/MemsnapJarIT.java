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

    /** The install command of cli/README.md, run as written (HOME in a temporary directory), then memsnap on PATH. */
    @Test
    void theDistributionInstallsWithTheDocumentedCommandAndRunsThroughItsSymlink() throws Exception {
        Path tarball = Path.of("target", "memsnap-" + System.getProperty("memsnap.version", "0.1.0-SNAPSHOT")
                + ".tar.gz");
        assumeTrue(Files.isRegularFile(tarball) && Files.isExecutable(Path.of("/bin/bash")),
                "target/memsnap-<version>.tar.gz is built by package; this test runs after it");
        String version = tarball.getFileName().toString().replace("memsnap-", "").replace(".tar.gz", "");
        String install = "mkdir -p ~/.local/opt ~/.local/bin && tar -xzf cli/target/memsnap-" + version
                + ".tar.gz -C ~/.local/opt && ln -sfn ~/.local/opt/memsnap-" + version
                + "/bin/memsnap ~/.local/bin/memsnap";
        assertTrue(Files.readString(Path.of("README.md")).contains(install.replace(version, "0.1.0-SNAPSHOT")),
                "the README gives this command");
        Path home = work.resolve("home");
        Files.createDirectories(home);
        Map<String, String> env = Map.of("HOME", home.toString(),
                "PATH", home.resolve(".local/bin") + ":" + System.getenv("PATH"));
        Run installed = run(env, List.of("/bin/bash", "-c", "cd " + Path.of("..").toAbsolutePath().normalize()
                + " && " + install));
        assertEquals(0, installed.code(), installed::toString);
        Path bin = home.resolve(".local/opt/memsnap-" + version + "/bin/memsnap");
        assertTrue(Files.isExecutable(bin), "bin/memsnap is executable");
        assertTrue(Files.isRegularFile(home.resolve(".local/opt/memsnap-" + version + "/lib/memsnap.jar")));
        assertTrue(Files.isSymbolicLink(home.resolve(".local/bin/memsnap")));

        Run version1 = run(env, List.of("/bin/bash", "-c", "memsnap --version"));
        assertEquals(0, version1.code(), version1::toString);
        assertTrue(version1.out().startsWith("memsnap "), version1.out());
        Run completion = run(env, List.of("/bin/bash", "-c", "source <(memsnap completion) && complete -p memsnap"));
        assertEquals(0, completion.code(), completion::toString);
        assertTrue(completion.out().contains("_complete_memsnap"), completion.out());
    }

    /** The checkout's wrapper, linked from elsewhere (a relative link to a relative link), still finds its jar. */
    @Test
    void theCheckoutWrapperFollowsSymlinks() throws Exception {
        Path wrapper = Path.of("memsnap").toAbsolutePath();
        assumeTrue(Files.isRegularFile(JAR) && Files.isExecutable(Path.of("/bin/bash")), "after package");
        Path links = Files.createDirectories(work.resolve("links"));
        Files.createSymbolicLink(links.resolve("real-link"), wrapper);
        Files.createDirectories(work.resolve("bin"));
        Files.createSymbolicLink(work.resolve("bin/memsnap"), Path.of("../links/real-link"));
        Run linked = run(Map.of(), List.of(work.resolve("bin/memsnap").toString(), "--version"));
        assertEquals(0, linked.code(), linked::toString);
        assertTrue(linked.out().startsWith("memsnap "), linked.out());
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
