package dev.memsnap.example.host;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.langchain4j.SegmentMemories;
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

    private static Set<String> contents(EnhancedMemoryManager m) {
        return m.memories().values().stream().map(Memory::content).collect(Collectors.toSet());
    }

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
        // A LangChain4j assistant, on the rule model when no OPENAI_API_KEY is set.
        assertTrue(out.startsWith("memsnap example host: a LangChain4j assistant\n  model:     rules (deterministic, "
                + "offline); set OPENAI_API_KEY"), run.toString());
        assertTrue(out.contains("  memory:    MessageWindowChatMemory (10 messages) over MemsnapChatMemoryStore; RAG "
                + "over MemsnapEmbeddingStore, all-MiniLM-L6-v2 in process\n"), run.toString());

        // Two users: alice's memory, then bob's, then back to alice, who never met bob.
        assertTrue(out.contains("> /memory alice\n  now on memory alice: 1 turn, 0 memories, 0 snapshots\n"),
                run.toString());
        assertTrue(out.contains("alice> /memory bob\n  now on memory bob: 1 turn, 0 memories, 0 snapshots\n"),
                run.toString());
        String bob = out.substring(out.indexOf("alice> /memory bob"), out.indexOf("bob> /memory alice"));
        assertTrue(bob.contains("bob> /list\n  1 snapshot, newest first:\n"), "bob sees only his own: " + run);
        String back = out.substring(out.indexOf("bob> /memory alice"));
        assertTrue(back.contains("alice> What is my name?\n  assistant: Your name is Ally.\n"), run.toString());

        // The apply makes the assistant forget "Ally"; the counts before and after, and the memories back.
        String applied = out.substring(out.indexOf("alice> /apply last"), out.indexOf("alice> /undo"));
        assertTrue(applied.contains("    memories: 7 -> 5\n"), run.toString());
        assertTrue(applied.contains("forgotten (not in the snapshot):"), run.toString());
        assertTrue(applied.contains("The user's name is Ally."), run.toString());
        assertTrue(applied.contains("long-term memory restored:"), run.toString());
        assertTrue(applied.contains("  kept the state it replaced as snapshot_"), run.toString());
        // The rule model answers from the facts retrieval finds: after the apply, her store holds Alice, not Ally.
        assertTrue(applied.contains("alice> What is my name?\n  assistant: Your name is Alice.\n"),
                "the rollback shows: " + run);
        // /undo brings it back.
        String undone = out.substring(out.indexOf("alice> /undo"), out.indexOf("alice> /memory bob"));
        assertTrue(undone.contains("  undone: memory is back to what it was before the last /apply\n"
                + "    turns:    17 -> 19\n    memories: 5 -> 7\n"), run.toString());
        assertTrue(undone.contains("alice> What is my name?\n  assistant: Your name is Ally.\n"),
                "the undo shows: " + run);

        // /memories marks the current one; /history walks alice's lineage through the undo.
        assertTrue(out.contains("  3 memories (* the current one):\n  * alice "), run.toString());
        assertTrue(out.matches("(?s).*\n    bob +1 snapshot, 5 turns live\n.*"), run.toString());
        assertTrue(out.contains("alice> /history\n  history of "), run.toString());
        assertTrue(out.contains(": 4 snapshots, newest first\n"), run.toString());
        assertTrue(out.contains("automatic snapshots this run: 2 taken, 2 saved, 0 failed, 0 skipped"),
                run.toString());
        assertTrue(out.contains("states kept by /apply for /undo this run: 1"), run.toString());
        // alice's: one manual, the state apply replaced (kept for /undo), two automatic; none of bob's
        assertTrue(out.contains("4 intact, 0 damaged"), run.toString());

        // Every snapshot it says it saved is where it says: alice's manual, the kept one, bob's, two automatic.
        List<String[]> saved = run.saved();
        assertEquals(5, saved.size(), run.toString());
        try (Stream<Path> files = Files.walk(dir.resolve("snapshots"))) {
            assertEquals(saved.stream().map(s -> Path.of(s[1]).toString()).collect(Collectors.toSet()),
                    files.filter(f -> f.getFileName().toString().matches("snapshot_\\w+\\.json"))
                            .map(Path::toString).collect(Collectors.toSet()));
        }
        // A fresh memsnap on the same directory finds each memory's snapshots, and only its own.
        try (Memsnap fresh = Memsnap.start(ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: "
                + dir.resolve("snapshots") + "\n"))) {
            assertTrue(fresh.memories().memoryIds().containsAll(List.of("alice", "bob")),
                    fresh.memories().memoryIds().toString());
            EnhancedMemoryManager alice = fresh.memories().get("alice");
            EnhancedMemoryManager bobs = fresh.memories().get("bob");
            Set<String> aliceIds = alice.listSnapshots().stream().map(SnapshotMetadata::snapshotId)
                    .collect(Collectors.toSet());
            Set<String> bobIds = bobs.listSnapshots().stream().map(SnapshotMetadata::snapshotId)
                    .collect(Collectors.toSet());
            assertEquals(4, aliceIds.size());
            assertEquals(1, bobIds.size());
            for (String[] s : saved) {
                assertTrue(aliceIds.contains(s[0]) != bobIds.contains(s[0]), s[0]);
            }
            // The snapshot taken before "Actually my name is Ally" still holds Alice, and applies.
            assertTrue(alice.applySnapshot(saved.get(0)[0]));
            assertTrue(contents(alice).contains("The user's name is Alice."), contents(alice).toString());
            assertFalse(contents(alice).contains("The user's name is Ally."), contents(alice).toString());
            // each memory is a LangChain4j segment with its vector, so an apply restores retrieval without embedding
            assertTrue(alice.memories().values().stream().allMatch(SegmentMemories::isEmbedded));
            assertEquals(384, SegmentMemories.embedding(alice.memories().get("memory_1")).dimension());
            assertTrue(bobs.applySnapshot(bobIds.iterator().next()));
            assertTrue(contents(bobs).contains("The user's name is Bob."), contents(bobs).toString());
            assertFalse(contents(bobs).contains("The user's name is Alice."), contents(bobs).toString());
        }
    }

    @Test
    void theDemoScriptShipsInTheJar() {
        assertTrue(ExampleHost.class.getResource(ExampleHost.DEMO_SCRIPT) != null);
    }
}
