package dev.memsnap.example.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A corrupt jar in the plugin directory is reported by name and the host runs on; unless the plugin is required. */
class BrokenPluginTest {
    @TempDir
    Path dir;

    private void dropBrokenJar() throws IOException {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        Files.write(Files.createDirectories(dir.resolve("plugins")).resolve("broken.jar"), garbage);
    }

    @Test
    void aCorruptJarIsReportedByNameAndTheHostStillRuns() throws IOException {
        dropBrokenJar();

        HostRun run = HostRun.script(dir, HostRun.config(dir, ""), "/snapshot\n/save\n");

        assertEquals(0, run.status(), run.toString());
        String problem = run.out().lines().filter(l -> l.startsWith("  plugin problem: ")).findFirst().orElse("");
        assertTrue(problem.contains(dir.resolve("plugins/broken.jar").toString()), run.toString());
        assertTrue(problem.contains("not a readable jar"), run.toString());
        assertTrue(run.out().contains("plugins:   none enabled; off: websocket, dashboard (turn on with "
                + "websocket.enabled: true, dashboard.enabled: true)\n"), run.toString());
        assertEquals(1, run.saved().size(), "the host still works: " + run);
    }

    @Test
    void aRequiredPluginThatDidNotLoadStopsStartUpWithAClearError() throws IOException {
        dropBrokenJar();

        String config = "memory:\n  snapshot_dir: " + dir.resolve("snapshots") + "\n"
                + "plugins:\n  directory: " + dir.resolve("plugins") + "\n  required: [audit-log]\n";

        HostRun run = HostRun.script(dir, config, "/snapshot\n");

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().startsWith("error: "), run.toString());
        assertTrue(run.err().contains("plugins.required names plugins that did not load: [audit-log]"),
                run.toString());
        assertTrue(run.err().contains("broken.jar"), "the cause is named: " + run);
        assertFalse(run.out().contains("created"), "nothing ran: " + run);
    }
}
