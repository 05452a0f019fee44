package dev.memsnap.cli;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress bar: its look, its throttling, and when it is shown at all. */
class ProgressBarTest {
    @TempDir
    Path dir;

    @Test
    void rendersCountPercentAndTimeLeft() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err), "verify", () -> 0);
        assertEquals("verify [#########---------------------]  30/100  30%  7s left",
                bar.render(30, 100, 3_000_000_000L));
        assertEquals("verify [##############################] 100/100 100%  1m05s",
                bar.render(100, 100, 65_000_000_000L));
    }

    @Test
    void redrawsAtMostTenTimesASecondAndErasesItself() {
        StringWriter err = new StringWriter();
        AtomicLong clock = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintWriter(err), "rekey", clock::get);
        for (int i = 1; i <= 1000; i++) {
            clock.addAndGet(1_000_000); // 1 ms per item
            bar.update(i, 1000);
        }
        long redraws = err.toString().chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 10 && redraws <= 12, "about one per 100 ms, and the last: " + redraws);
        String widest = "rekey [------------------------------]    1/1000   0%  0s left";
        assertTrue(err.toString().startsWith("\r" + widest + "\r"), err.toString());
        // the last line is shorter: padded to overwrite the widest one
        String last = "rekey [##############################] 1000/1000 100%  1s";
        assertTrue(err.toString().endsWith("\r" + last + " ".repeat(widest.length() - last.length())),
                err.toString());
        bar.close();
        assertTrue(err.toString().endsWith("\r" + " ".repeat(widest.length()) + "\r"), "erased");
    }

    @Test
    void shownInATerminalOrWhenAskedAndNeverOtherwise() {
        SnapshotStore store = Fixtures.store(dir, SnapshotCodec.plain());
        LocalDateTime t = LocalDateTime.of(2025, 9, 1, 0, 0);
        for (int i = 0; i < 3; i++) {
            store.save(TestSnapshots.snapshot(Fixtures.id(t.plusHours(i), i), t.plusHours(i), 1, 1));
        }
        String d = dir.toString();
        assertTrue(new Cli().run("verify", "--progress", "--dir", d).err().contains("\rverify ["));
        assertTrue(new Cli().terminal(true).run("verify", "--dir", d).err().contains("\rverify ["));
        assertEquals("", new Cli().terminal(true).run("verify", "--no-progress", "--dir", d).err());
        // not a terminal (output to a pipe or file): nothing, unless asked, with --json too
        assertEquals("", new Cli().run("verify", "--dir", d).err());
        Cli.Result json = new Cli().run("verify", "--json", "--dir", d);
        assertEquals("", json.err());
        assertFalse(json.out().contains("\r"));
        assertTrue(new Cli().run("verify", "--json", "--progress", "--dir", d).err().contains("\rverify ["));
        assertTrue(new Cli().run("export", "--progress", "--to", dir.resolve("copy").toString(), "--dir", d)
                .err().contains("\rexport ["));
        // prune draws it over the deletions, and only when it deletes
        assertEquals("", new Cli().terminal(true).run("prune", "--keep-last", "1", "--dry-run", "--dir", d).err());
        Cli.Result prune = new Cli().terminal(true).run("prune", "--keep-last", "1", "--dir", d);
        assertTrue(prune.err().contains("\rprune [") && prune.err().contains("2/2 100%"), prune.err());
        assertTrue(prune.out().startsWith("ACTION"), "the bar is erased before the results: " + prune.out());
    }

    @Test
    void theTimeLeftCountsFromTheFirstItemNotFromTheStart() {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err), "import", clock::get);
        clock.set(4_000_000_000L); // 4 s of setup (opening and listing the source) before the first snapshot
        bar.update(1, 100);
        clock.addAndGet(1_000_000_000L); // then 0.1 s a snapshot
        bar.update(11, 100);
        String shown = err.toString();
        assertTrue(shown.contains(" 8s left"), shown); // 89 left at 0.1 s: 8.9 s, not the 40 s a pace since the start gives
    }
}
