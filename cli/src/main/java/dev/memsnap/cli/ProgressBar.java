package dev.memsnap.cli;

import dev.memsnap.core.tools.SnapshotTools.Progress;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr, redrawn in place with a carriage return:
 * {@code verify [############------------------]  412/1000  41%  3s left}. It redraws at most ten times a second
 * (a terminal is slower than a store of small snapshots), and erases itself when closed so that the result lines
 * printed next start on a clean line.
 */
final class ProgressBar implements Progress, AutoCloseable {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final PrintWriter err;
    private final String label;
    private final LongSupplier clock;
    private final long started;
    private long lastDrawn = Long.MIN_VALUE;
    /**
     * When the first item was done, and how many were: the time left is estimated from the pace since then, so that
     * what came before the first item (opening a store, listing it, a cold JVM) does not inflate it.
     */
    private long anchorNanos = Long.MIN_VALUE;
    private int anchorDone;
    /** How wide the bar on screen is: its longest line so far, 0 when nothing is drawn. */
    private int width;

    ProgressBar(PrintWriter err, String label, LongSupplier nanoClock) {
        this.err = err;
        this.label = label;
        this.clock = nanoClock;
        this.started = nanoClock.getAsLong();
    }

    @Override
    public void update(int done, int total) {
        long now = clock.getAsLong();
        if (total <= 0 || (done < total && lastDrawn != Long.MIN_VALUE && now - lastDrawn < REDRAW_NANOS)) {
            return;
        }
        if (anchorNanos == Long.MIN_VALUE && done > 0) {
            anchorNanos = now;
            anchorDone = done;
        }
        lastDrawn = now;
        String line = done > anchorDone && done < total
                ? render(done, total, now - started, now - anchorNanos, done - anchorDone)
                : render(done, total, now - started);
        // A shorter line (the time left shrank) must overwrite the tail of a longer one before it.
        width = Math.max(width, line.length());
        err.print('\r' + line + " ".repeat(width - line.length()));
        err.flush();
    }

    /** @return the bar's text for {@code done} of {@code total} after {@code elapsedNanos} */
    String render(int done, int total, long elapsedNanos) {
        return render(done, total, elapsedNanos, elapsedNanos, done);
    }

    /**
     * @param paceNanos time spent on the last {@code paceDone} items, from which the time left is estimated
     * @return the bar's text
     */
    String render(int done, int total, long elapsedNanos, long paceNanos, int paceDone) {
        int filled = (int) ((long) done * WIDTH / total);
        int percent = (int) ((long) done * 100 / total);
        String eta = "";
        if (done > 0 && done < total) {
            long left = paceNanos / paceDone * (total - done);
            eta = "  " + duration(TimeUnit.NANOSECONDS.toSeconds(left)) + " left";
        } else if (done == total) {
            eta = "  " + duration(TimeUnit.NANOSECONDS.toSeconds(elapsedNanos));
        }
        String digits = String.valueOf(total);
        return String.format(Locale.ROOT, "%s [%s%s] %" + digits.length() + "d/%s %3d%%%s", label,
                "#".repeat(filled), "-".repeat(WIDTH - filled), done, digits, percent, eta);
    }

    private static String duration(long seconds) {
        return seconds < 60 ? seconds + "s" : seconds / 60 + "m" + String.format("%02d", seconds % 60) + "s";
    }

    /** Erases the bar, if it was drawn. */
    @Override
    public void close() {
        if (width > 0) {
            err.print('\r' + " ".repeat(width) + '\r');
            err.flush();
            width = 0;
        }
    }
}
