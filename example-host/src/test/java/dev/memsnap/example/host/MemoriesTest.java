package dev.memsnap.example.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Memory ids, /undo, selective /apply and /history, as a user drives the host. */
class MemoriesTest {
    @TempDir
    Path dir;

    private HostRun script(String lines) throws IOException {
        return HostRun.script(dir, "memory:\n  snapshot_dir: " + dir.resolve("snapshots") + "\n", lines);
    }

    @Test
    void switchingMemoriesIsolatesTurnsAndSnapshots() throws IOException {
        HostRun first = script("/memory ann\nMy name is Ann.\n/snapshot\n/save\n");
        String ann = first.createdId();

        HostRun run = script("/memory\n/memory ann\nWhat is my name?\n/memory ben\nWhat is my name?\n/list\n"
                + "/show " + ann + "\n/stats\n/memory ann\n/list\n/memories\n/memory\n");

        String out = run.out();
        assertEquals(1, run.status(), "only ben's /show of ann's snapshot fails: " + run);
        assertTrue(out.contains("> /memory\n  memory default: 1 turn, 0 memories, 0 snapshots"), run.toString());
        // ann's snapshot is stored, but a new run starts her memory empty (memory.resume: none)
        assertTrue(out.contains("> /memory ann\n  now on memory ann: 1 turn, 0 memories, 1 snapshot\n"), run.toString());
        assertTrue(out.contains("ben> What is my name?\n  assistant: I don't know your name yet."), run.toString());
        assertTrue(out.contains("ben> /list\n  0 snapshots, newest first:\n"), run.toString());
        assertTrue(out.contains("ben> /show " + ann + "\n  error: no snapshot with id " + ann), run.toString());
        assertTrue(out.contains("ben> /stats\n  live memory: 3 turns, 0 memories"), run.toString());
        assertTrue(out.contains("ann> /list\n  1 snapshot, newest first:\n    " + ann), run.toString());
        assertTrue(out.contains("ann> /memories\n  3 memories (* the current one):\n"
                + "  * ann                  1 snapshot, 3 turns live\n"
                + "    ben                  0 snapshots, 3 turns live\n"
                + "    default              0 snapshots, 1 turn live\n"), run.toString());
        assertTrue(out.contains("ann> /memory\n  memory ann: 3 turns, 0 memories, 1 snapshot"), run.toString());
    }

    @Test
    void anInvalidMemoryIdIsOneLineOfErrorAndTheSessionStaysWhereItWas() throws IOException {
        String tooLong = "x".repeat(201);
        HostRun run = script("/memory ann\nMy name is Ann.\n/memory " + tooLong + "\nWhat is my name?\n/memory\n");

        assertEquals(1, run.status(), run.toString());
        String error = run.out().substring(run.out().indexOf("ann> /memory xxx"));
        assertTrue(error.startsWith("ann> /memory " + tooLong + "\n  error: not a memory id: \"" + "x".repeat(40)
                + "... (201 characters)\" (1 to 200 characters, no control characters); still on memory ann\n"
                + "ann> What is my name?\n  assistant: Your name is Ann."), run.toString());
        assertTrue(run.out().contains("ann> /memory\n  memory ann: 5 turns, 1 memory, 0 snapshots"), run.toString());
    }

    @Test
    void undoAfterApplyRestoresWhatTheApplyReplaced() throws IOException {
        HostRun run = script("/undo\nMy name is Ann.\n/snapshot\nActually my name is Anna.\n/apply last\n"
                + "What is my name?\n/undo\nWhat is my name?\n/undo\n");

        String out = run.out();
        assertEquals(0, run.status(), run.toString());
        assertTrue(out.contains("> /undo\n  nothing to undo: no /apply since the start or the last /undo\n"
                + "> My name is Ann."), run.toString());
        assertTrue(out.contains("  kept the state it replaced as snapshot_"), run.toString());
        String after = out.substring(out.indexOf("> /apply last"));
        assertTrue(after.contains("> What is my name?\n  assistant: Your name is Ann.\n> /undo\n"
                + "  undone: memory is back to what it was before the last /apply\n"
                + "    turns:    5 -> 5\n    memories: 1 -> 2\n"
                + "> What is my name?\n  assistant: Your name is Anna.\n"
                + "> /undo\n  nothing to undo"), run.toString());
    }

    @Test
    void applyTakesOneMemoryTopicsAndMerging() throws IOException {
        HostRun run = script("My name is Ann.\nI like tea.\n/snapshot\nActually my name is Anna.\nI like coffee.\n"
                + "/apply last long topics name\n/longterm\n/apply last short\n/undo\n/undo\n"
                + "/apply last long merge\n/apply last long\n/apply last short merge\n/apply last sideways\n");

        String out = run.out();
        assertEquals(1, run.status(), "the last two fail: " + run);
        // only memories about "name": Anna's replaced by Ann's; coffee stays; the conversation untouched
        assertTrue(out.contains("> /apply last long topics name\n  applied " + run.createdId()
                + " (long-term memory only; memories about name)\n    turns:    9 -> 9\n    memories: 4 -> 3\n"
                + "      - memory_3   fact       0.8  [user, name]                         The user's name is Anna.\n"),
                run.toString());
        String longTerm = out.substring(out.indexOf("> /longterm"), out.indexOf("> /apply last short"));
        assertTrue(longTerm.contains("The user's name is Ann.") && longTerm.contains("The user likes coffee.")
                && longTerm.contains("The user likes tea.") && !longTerm.contains("Anna"), run.toString());
        // only the conversation: turns back to the snapshot's, memories as they were
        assertTrue(out.contains(" (the conversation only)\n    turns:    9 -> 5\n    memories: 3 -> 3\n"),
                run.toString());
        // after /undo: Ann, tea and coffee. Merging keeps coffee (not in the snapshot); replacing drops it
        assertTrue(out.contains(" (long-term memory only; merged: nothing removed)\n    turns:    9 -> 9\n"
                + "    memories: 3 -> 3\n> /apply last long\n"), run.toString());
        assertTrue(out.contains(" (long-term memory only)\n    turns:    9 -> 9\n    memories: 3 -> 2\n"
                + "      - memory_4   preference 0.7  [user, preference, interests]        The user likes coffee.\n"),
                run.toString());
        assertTrue(out.contains("> /apply last short merge\n  error: topics and merge select long-term memories, "
                + "not the conversation (short); usage: /apply <id> [short|long] [topics a,b] [merge]"), run.toString());
        assertTrue(out.contains("> /apply last sideways\n  error: unknown apply option sideways; usage: "),
                run.toString());
    }

    @Test
    void historyShowsASnapshotAndItsAncestors() throws IOException {
        HostRun run = script("/history\nMy name is Ann.\n/snapshot\nI like tea.\n/snapshot\n/history\n"
                + "/history latest~1\n");

        String out = run.out();
        assertEquals(0, run.status(), run.toString());
        assertTrue(out.contains("> /history\n  no snapshot yet in memory default: /snapshot takes one"),
                run.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("created (snapshot_\\w+)").matcher(out);
        assertTrue(m.find());
        String first = m.group(1);
        assertTrue(m.find());
        String second = m.group(1);
        assertTrue(out.matches("(?s).*> /history\n  history of " + second + ": 2 snapshots, newest first\n    "
                + second + "  [^\n]+  5 turns, 2 memories, 4 topics\n    " + first
                + "  [^\n]+  3 turns, 1 memory, 2 topics\n> /history latest~1\n  history of " + first
                + ": 1 snapshot, newest first\n    " + first + "  .*"), run.toString());
        assertFalse(out.contains("error"), run.toString());
    }
}
