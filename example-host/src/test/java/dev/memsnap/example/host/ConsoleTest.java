package dev.memsnap.example.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console around the commands: arguments, piped input, errors, config-driven automatic snapshots, restarts. */
class ConsoleTest {
    @TempDir
    Path dir;

    private String config(String extra) {
        return "memory:\n  snapshot_dir: " + dir.resolve("snapshots") + "\n" + extra;
    }

    private Path configFile(String extra) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), config(extra));
    }

    private long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    @Test
    void pipedInputIsEchoedAsATranscriptAndQuitStopsReading() throws IOException {
        HostRun run = HostRun.run("My name is Zoe\n/quit\nI like tea\n", "--config", configFile("").toString());

        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("> My name is Zoe\n  assistant: Nice to meet you, Zoe!\n"), run.toString());
        assertFalse(run.out().contains("tea"), "nothing after /quit is read: " + run);
    }

    @Test
    void wrongArgumentsShowTheUsage() {
        HostRun bogus = HostRun.run("", "--bogus");
        assertEquals(2, bogus.status());
        assertTrue(bogus.err().contains("unknown argument: --bogus") && bogus.err().contains("usage:"), bogus.err());
        assertEquals(2, HostRun.run("", "--demo", "--script", "x.txt").status());
        assertEquals(2, HostRun.run("", "--config").status());
        HostRun help = HostRun.run("", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("usage:"), help.out());
    }

    @Test
    void aMissingConfigOrScriptIsAClearErrorAtStart() {
        HostRun noConfig = HostRun.run("", "--config", dir.resolve("nope.yaml").toString());
        assertEquals(1, noConfig.status());
        assertTrue(noConfig.err().contains("config file not found: " + dir.resolve("nope.yaml")), noConfig.err());
        HostRun noScript = HostRun.run("", "--script", dir.resolve("nope.txt").toString());
        assertEquals(1, noScript.status());
        assertTrue(noScript.err().contains("cannot read script " + dir.resolve("nope.txt") + ": no such file"),
                noScript.err());
    }

    @Test
    void aFailedLineIsReportedAndTheScriptGoesOnThenExitsWithOne() throws IOException {
        HostRun run = HostRun.script(dir, config(""), """
                /save
                /apply not-an-id
                /frobnicate
                /auto on many
                /label
                /snapshot
                /label last first
                """);

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("  error: no snapshot yet: /snapshot takes one"), run.toString());
        assertTrue(run.out().contains("  error: ") && run.out().contains("not-an-id"), run.toString());
        assertTrue(run.out().contains("  error: unknown command /frobnicate; /help lists them"), run.toString());
        assertTrue(run.out().contains("  error: usage: /auto on <turns>, a whole number; got many"), run.toString());
        assertTrue(run.out().contains("  error: usage: /label <id> <label>"), run.toString());
        assertTrue(run.out().contains("  created snapshot_"), "later lines still run: " + run);
        assertTrue(run.out().contains("/save " + run.createdId() + " first"), "labels need a saved snapshot: " + run);
    }

    @Test
    void automaticSnapshotsFollowTheConfig() throws IOException {
        HostRun run = HostRun.script(dir, config("  auto_snapshot: true\n  snapshot_interval: 2\n"), """
                I like tea.
                I like coffee.
                """);

        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("  automatic: every 2 turns"), run.toString());
        // The system turn, then 2 turns per message: snapshots at turns 2 and 4 (the last reply is turn 5).
        assertEquals(2, count(run.out(), "automatic snapshot snapshot_") - count(run.out(), "saved to"),
                run.toString());
        assertTrue(run.out().contains("automatic snapshots this run: 2 taken, 2 saved, 0 failed, 0 skipped"),
                run.toString());
        assertEquals(2, run.saved().size(), "each save is reported, at the latest on closing: " + run);
    }

    @Test
    void aSnapshotSavedInOneRunLoadsAndAppliesInTheNext() throws IOException {
        HostRun first = HostRun.script(dir, config(""), "My name is Alice.\n/snapshot\n/save\n");
        String file = first.saved().get(0)[1];

        HostRun second = HostRun.script(dir, config(""), "/longterm\n/load " + file + "\n/apply last\n"
                + "What is my name?\n");

        assertEquals(0, second.status(), second.toString());
        assertTrue(second.out().contains("  long-term memory: 0 memories\n"), "a new run starts empty: " + second);
        assertTrue(second.out().contains("  loaded " + first.createdId() + " from " + file), second.toString());
        assertTrue(second.out().contains("    memories: 0 -> 1\n"), second.toString());
        assertTrue(second.out().contains("brought back (in the snapshot, not in memory before):"), second.toString());
        assertTrue(second.out().contains("assistant: Your name is Alice."), second.toString());
    }

    @Test
    void pruneKeepsWhatRetentionSaysAndPinnedSnapshots() throws IOException {
        HostRun run = HostRun.script(dir, config("  retention:\n    keep_last: 1\n"), """
                /snapshot
                /save
                /pin last
                /snapshot
                /save
                /snapshot
                /save
                /prune --dry-run
                /prune
                /verify
                """);

        assertEquals(0, run.status(), run.toString());
        List<String[]> saved = run.saved();
        assertTrue(run.out().contains("    would prune " + saved.get(1)[0]), run.toString());
        assertTrue(run.out().contains("  2 kept, 1 would be pruned (dry run: nothing deleted)"), run.toString());
        assertTrue(run.out().contains("    pruned " + saved.get(1)[0]), run.toString());
        assertTrue(run.out().contains("  2 intact, 0 damaged"), run.toString());
        try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
            assertEquals(2, files.filter(f -> f.getFileName().toString().endsWith(".json")).count());
        }
    }

    @Test
    void withoutRetentionRulesPruneKeepsEverything() throws IOException {
        HostRun run = HostRun.script(dir, config(""), "/snapshot\n/save\n/prune\n");
        assertTrue(run.out().contains("memory.retention sets no rules, so every snapshot is kept"), run.toString());
    }

    @Test
    void showAndDiffDescribeASnapshot() throws IOException {
        HostRun run = HostRun.script(dir, config(""), """
                My name is Ann.
                /snapshot
                I like tea.
                /show last
                /diff last
                /stats
                /help
                """);

        assertEquals(0, run.status(), run.toString());
        String out = run.out();
        assertTrue(out.contains("    memories:\n      memory_1   fact       0.8  [user, name]"), out);
        assertTrue(out.contains("      assistant: Nice to meet you, Ann!"), out);
        assertTrue(out.contains("  " + run.createdId() + " -> live\n"), out);
        assertTrue(out.contains("    + memory_2 (preference, 0.7): The user likes tea."), out);
        assertTrue(out.contains("  live memory: 5 turns, 2 memories"), out);
        assertTrue(out.contains("  /apply <id>"), out);
    }
}
