package dev.memsnap.example.host;

import com.google.inject.Guice;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.MemorySnapshotModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in demo, as the README's main command runs it: the story it tells, and snapshots that load back. */
class DemoScriptTest {
    @TempDir
    Path dir;

    @Test
    void theDemoTellsItsStoryAndEverySnapshotItSavedLoadsBack() throws IOException {
        // The dashboard on a free loopback port, so the run also shows where to connect.
        Path config = Files.writeString(dir.resolve("config.yaml"), "memory:\n  snapshot_dir: "
                + dir.resolve("snapshots") + "\nwebsocket:\n  enabled: true\n  host: 127.0.0.1\n  port: 0\n");

        HostRun run = HostRun.run("", "--config", config.toString(), "--demo");

        assertEquals(0, run.status(), run.toString());
        String out = run.out();
        assertFalse(out.contains("error:"), run.toString());
        assertTrue(out.contains("  plugins:   websocket; off: dashboard (turn on with dashboard.enabled: true)\n"),
                "the banner names the plugins that are on: " + run);
        assertTrue(out.matches("(?s).*\nDashboard events: ws://127\\.0\\.0\\.1:\\d+/memsnap\n.*"), run.toString());

        // What apply restored: the counts before and after, what it forgot, and the memories back.
        assertTrue(out.contains("    memories: 8 -> 6\n"), run.toString());
        String applied = out.substring(out.indexOf("> /apply last"));
        assertTrue(applied.contains("forgotten (not in the snapshot):"), run.toString());
        assertTrue(applied.contains("The user's name is Bob."), run.toString());
        assertTrue(applied.contains("long-term memory restored:"), run.toString());
        assertTrue(applied.contains("assistant: Your name is Alice."), "the rollback shows: " + run);
        assertTrue(out.contains("automatic snapshots this run: 2 taken, 2 saved, 0 failed, 0 skipped"),
                run.toString());
        // one manual, the state apply replaced (kept for undoApply), two automatic
        assertTrue(out.contains("4 intact, 0 damaged"), run.toString());

        // Every snapshot it says it saved is where it says, and a fresh manager loads it.
        List<String[]> saved = run.saved();
        assertEquals(4, saved.size(), "one manual, the state apply replaced, two automatic: " + run);
        try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
            assertEquals(saved.stream().map(s -> s[0] + ".json").collect(Collectors.toSet()),
                    files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
                            .collect(Collectors.toSet()));
        }
        EnhancedMemoryManager fresh = Guice.createInjector(
                new MemorySnapshotModule(new MemoryConfig(dir.resolve("elsewhere"), false, 10)))
                .getInstance(EnhancedMemoryManager.class);
        for (String[] s : saved) {
            assertEquals(s[0], fresh.loadSnapshot(Path.of(s[1])));
        }

        // The snapshot taken before "Actually my name is Bob" still holds Alice, and applies in the fresh manager.
        String before = saved.get(0)[0];
        assertTrue(fresh.applySnapshot(before));
        Set<String> contents = fresh.memories().values().stream().map(Memory::content).collect(Collectors.toSet());
        assertTrue(contents.contains("The user's name is Alice."), contents.toString());
        assertFalse(contents.contains("The user's name is Bob."), contents.toString());
        // What apply replaced was kept, Bob and all, so that the apply can be undone.
        assertTrue(fresh.getSnapshot(saved.get(1)[0]).orElseThrow().longTerm().memories().values().stream()
                .anyMatch(m -> m.content().equals("The user's name is Bob.")), run.toString());
        MemorySnapshot last = fresh.getSnapshot(saved.get(saved.size() - 1)[0]).orElseThrow();
        assertTrue(last.longTerm().memories().values().stream()
                .anyMatch(m -> m.content().equals("The user works at Acme.")));
    }

    @Test
    void theDemoScriptShipsInTheJar() {
        assertTrue(ExampleHost.class.getResource(ExampleHost.DEMO_SCRIPT) != null);
    }
}
