package dev.memsnap.example.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One meaning for an id in every command: short ids, /load of what /list shows, and /quit with unsaved snapshots. */
class SnapshotIdsTest {
    @TempDir
    Path dir;

    private String config() {
        return "memory:\n  snapshot_dir: " + dir.resolve("snapshots") + "\n";
    }

    private static List<String> created(HostRun run) {
        Matcher m = Pattern.compile("created (snapshot_\\w+)").matcher(run.out());
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void latestAndUniquePrefixesWorkInEveryCommand() throws IOException {
        HostRun first = HostRun.script(dir, config(), "My name is Ann.\n/snapshot\n/save\n");
        String old = first.createdId();
        String hex = old.substring(old.length() - 8);

        HostRun run = HostRun.script(dir, config(), "I like tea.\n/snapshot\n/show latest\n/show latest~1\n"
                + "/show " + hex.substring(0, 5) + "\n/diff latest~1 latest\n/label " + hex + " first\n"
                + "/pin " + old.substring(9, 29) + "\n/apply latest~1\n/show latest~2\n");

        String fresh = run.createdId();
        assertEquals(1, run.status(), "only latest~2 fails: " + run);
        assertTrue(run.out().contains("> /show latest\n  " + fresh + "  taken "), run.toString());
        assertTrue(run.out().contains("> /show latest~1\n  " + old + "  taken "), run.toString());
        assertTrue(run.out().contains("> /show " + hex.substring(0, 5) + "\n  " + old + "  taken "), run.toString());
        assertTrue(run.out().contains("  " + old + " -> " + fresh + "\n"), run.toString());
        assertTrue(run.out().contains("  labelled " + old + ": [first]"), run.toString());
        assertTrue(run.out().contains("  pinned " + old), run.toString());
        assertTrue(run.out().contains("  applied " + old + ": memory is back to "), run.toString());
        assertTrue(run.out().contains("  error: no latest~2: there are 2 snapshots, latest~1 is the oldest"),
                run.toString());
    }

    @Test
    void anAmbiguousPrefixNamesTheCandidates() throws IOException {
        HostRun run = HostRun.script(dir, config(), "/snapshot\n/snapshot\n/show 2\n");
        List<String> ids = created(run);
        assertEquals(2, ids.size(), run.toString());
        // Both were taken this year, so "2" is too short and "2..." of the year matches both.
        HostRun year = HostRun.script(dir, config(), "/snapshot\n/save\n/snapshot\n/save\n/show "
                + ids.get(0).substring(9, 13) + "\n");
        assertTrue(year.out().contains("  error: snapshot prefix " + ids.get(0).substring(9, 13) + " is ambiguous: "
                + "it matches "), year.toString());
        List<String> two = created(year);
        assertTrue(year.out().contains(two.get(1)) && year.out().contains(two.get(0)), year.toString());
    }

    @Test
    void loadTakesAnIdThatListShowsAsSavedInAnEarlierRun() throws IOException {
        HostRun first = HostRun.script(dir, config(), "My name is Alice.\n/snapshot\n/save\n");
        String id = first.createdId();
        String file = first.saved().get(0)[1];

        HostRun second = HostRun.script(dir, config(), "/list\n/load " + id + "\n/apply last\nWhat is my name?\n"
                + "/load latest\n/snapshot\n/load last\n");

        assertEquals(0, second.status(), second.toString());
        assertTrue(second.out().lines().anyMatch(l -> l.contains(id) && l.contains("saved")), second.toString());
        assertTrue(second.out().contains("  loaded " + id + " from " + file + ": "), second.toString());
        assertTrue(second.out().contains("assistant: Your name is Alice."), second.toString());
        // The apply kept the state it replaced (for /undo) as a snapshot of its own: now the newest.
        Matcher kept = Pattern.compile("kept the state it replaced as (snapshot_\\w+)").matcher(second.out());
        assertTrue(kept.find(), second.toString());
        assertTrue(second.out().contains("> /load latest\n  loaded " + kept.group(1) + " from "), second.toString());
        String held = created(second).get(0);
        assertTrue(second.out().contains("  " + held + " is held in memory already: "), second.toString());
    }

    @Test
    void quitNamesUnsavedSnapshotsAndQuitsOnTheSecond() throws IOException {
        HostRun run = HostRun.script(dir, config(), "/snapshot\n/snapshot\n/save\n/quit\n/quit\nI like tea.\n");
        List<String> ids = created(run);

        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("> /quit\n  1 snapshot held in memory only would be lost: " + ids.get(0)
                + "\n  /save <id> keeps one"), run.toString());
        assertTrue(run.out().contains("> /quit\n  quitting: 1 snapshot not saved, now gone: " + ids.get(0)),
                run.toString());
        assertFalse(run.out().contains("tea"), "the second /quit quits: " + run);

        HostRun between = HostRun.script(dir, config(), "/snapshot\n/quit\nI like tea.\n/quit\n/list\n");
        assertEquals(2, between.out().split("would be lost", -1).length - 1, "a message between: asked again: "
                + between);
        assertTrue(between.out().contains("> /list"), between.toString());
    }

    @Test
    void quitWithEverythingSavedQuitsAtOnceAndTheEndOfInputSaysWhatIsLost() throws IOException {
        HostRun saved = HostRun.script(dir, config(), "/snapshot\n/save\n/quit\nI like tea.\n");
        assertFalse(saved.out().contains("tea") || saved.out().contains("lost"), saved.toString());

        HostRun ended = HostRun.run("/snapshot\n", "--config", Files.writeString(dir.resolve("c.yaml"), config())
                .toString());
        assertTrue(ended.out().contains("  input ended: 1 snapshot not saved, now gone: " + ended.createdId()),
                ended.toString());
    }
}
