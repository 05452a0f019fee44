package dev.memsnap.cli;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short ids on the command line: latest, latest~N and unique prefixes, in every command that takes an id. */
class SnapshotRefsTest {
    private static final LocalDateTime T = LocalDateTime.of(2025, 4, 26, 12, 34, 56);
    private static final String OLD = "snapshot_20250426_123456_1a2b3c4d";
    private static final String MID = "snapshot_20250426_130000_1a2bffff";
    private static final String NEW = "snapshot_20250427_090000_c0ffee00";

    @TempDir
    Path dir;

    @BeforeEach
    void store() {
        SnapshotStore store = Fixtures.store(dir, SnapshotCodec.plain());
        store.save(TestSnapshots.snapshot(OLD, T, 1, 1));
        store.save(TestSnapshots.snapshot(MID, T.plusMinutes(25).plusSeconds(4), 2, 2));
        store.save(TestSnapshots.snapshot(NEW, T.plusDays(1), 3, 3));
    }

    private Cli.Result run(String... args) {
        return new Cli().workDir(dir).run(args);
    }

    private static String shown(Cli.Result result) {
        return result.out().lines().filter(l -> l.startsWith("snapshot ")).findFirst().orElseThrow().substring(11);
    }

    @Test
    void showTakesLatestLatestNAndPrefixesOfTheHexOrTimePart() {
        assertEquals(NEW, shown(run("show", "latest", "--dir", dir.toString())));
        assertEquals(MID, shown(run("show", "latest~1", "--dir", dir.toString())));
        assertEquals(OLD, shown(run("show", "latest~2", "--dir", dir.toString())));
        assertEquals(NEW, shown(run("show", "c0ff", "--dir", dir.toString())));
        assertEquals(OLD, shown(run("show", "1a2b3", "--dir", dir.toString())));
        assertEquals(NEW, shown(run("show", "20250427", "--dir", dir.toString())));
        assertEquals(MID, shown(run("show", "20250426_13", "--dir", dir.toString())));
        assertTrue(run("show", "latest~2", "--dir", dir.toString()).out().contains("\ntaken      2025-04-26 12:34:56 UTC\n"),
                "times in text output are to the second, with the zone");
    }

    @Test
    void anAmbiguousPrefixIsAUsageErrorListingTheCandidates() {
        Cli.Result result = run("show", "1a2b", "--dir", dir.toString());
        assertEquals(2, result.code(), result::toString);
        assertEquals("memsnap: snapshot prefix 1a2b is ambiguous: it matches 2 snapshots: " + MID + ", " + OLD
                + "; give more characters\n", result.err());
    }

    @Test
    void noMatchAndPastTheOldestAreNotFound() {
        Cli.Result none = run("show", "dead", "--dir", dir.toString());
        assertEquals(3, none.code(), none::toString);
        assertEquals("memsnap: no snapshot id starts with dead (in its hex or time part)\n", none.err());
        Cli.Result past = run("show", "latest~3", "--dir", dir.toString());
        assertEquals(3, past.code(), past::toString);
        assertTrue(past.err().contains("latest~2 is the oldest"), past.err());
    }

    @Test
    void diffLabelPinAndUnpinResolveToo() {
        Cli.Result diff = run("diff", "latest~1", "latest", "--dir", dir.toString());
        assertEquals(1, diff.code(), diff::toString);
        assertTrue(diff.out().startsWith(MID + " -> " + NEW + "\n"), diff.out());
        Cli.Result label = run("label", "c0ff", "--add", "keep", "--dir", dir.toString());
        assertEquals(NEW + ": labels keep; not pinned\n", label.out(), label::toString);
        assertEquals(OLD + ": labels -; pinned\n", run("pin", "latest~2", "--dir", dir.toString()).out());
        assertEquals(OLD + ": labels -; not pinned\n", run("unpin", "1a2b3c", "--dir", dir.toString()).out());
        Cli.Result ambiguous = run("pin", "1a2b", "--dir", dir.toString());
        assertEquals(2, ambiguous.code(), ambiguous::toString);
    }

    @Test
    void aFileThatLooksLikeAPrefixIsNamedWithItsPath() throws Exception {
        Files.copy(dir.resolve(OLD + ".json"), dir.resolve("c0ff"));
        assertEquals(NEW, shown(run("show", "c0ff", "--dir", dir.toString())), "a short id goes to the store");
        assertEquals(OLD, shown(run("show", "./c0ff", "--dir", dir.toString())), "a path goes to the file");
    }
}
