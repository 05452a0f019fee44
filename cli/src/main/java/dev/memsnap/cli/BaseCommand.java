package dev.memsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.tools.SnapshotTools.Progress;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What every subcommand shares: the global options (through the root command), its output streams, the store it
 * opens at most once and always closes, and progress bars that are always erased.
 */
abstract class BaseCommand implements Callable<Integer> {
    @ParentCommand
    MemsnapCommand root;

    @Spec
    CommandSpec spec;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<ProgressBar> bars = new ArrayList<>();
    private StoreHandle store;

    @Override
    public final Integer call() throws Exception {
        try {
            return run();
        } finally {
            closeAll();
        }
    }

    /**
     * @return the exit code
     * @throws Exception anything: {@link Failures} turns it into a message and an exit code
     */
    abstract int run() throws Exception;

    CliContext context() {
        return root.context();
    }

    Workspace workspace() {
        return root.workspace();
    }

    PrintWriter out() {
        return context().out();
    }

    PrintWriter err() {
        return context().err();
    }

    /**
     * @param access how this command uses the store
     * @return the configured store, opened on first call and closed when the command ends
     */
    StoreHandle store(Workspace.Access access) {
        if (store == null) {
            store = closeLater(workspace().open(access));
        }
        return store;
    }

    /** @return {@code resource}, closed when the command ends */
    <T extends AutoCloseable> T closeLater(T resource) {
        opened.add(resource);
        return resource;
    }

    /** @return a usage error (exit 2) with this command's name and help hint */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    void printJson(JsonNode node) {
        out().print(Json.write(node));
    }

    /**
     * @param option the command's {@code --progress}/{@code --no-progress}, or {@code null} when neither was given
     * @param label  what the bar is for
     * @return a progress bar on stderr when asked for, or by default when a person watches a terminal; else nothing
     */
    Progress progress(Boolean option, String label) {
        boolean show = option != null ? option : context().terminal();
        Progress progress = Progress.NONE;
        if (show) {
            ProgressBar bar = closeLater(new ProgressBar(err(), label, System::nanoTime));
            bars.add(bar);
            progress = bar;
        }
        return context().progress().apply(progress);
    }

    /** Erases the progress bars, so that the results printed next start on a clean line. */
    void endProgress() {
        bars.forEach(ProgressBar::close);
        bars.clear();
    }

    /** Prints snapshots that could not be read, one {@code memsnap: } line each, for a command that skipped them. */
    void reportUnreadable(List<Verification> unreadable, String what) {
        for (Verification v : unreadable) {
            err().println("memsnap: " + what + " " + v.snapshotId() + ": " + Text.line(v.detail()));
        }
        if (!unreadable.isEmpty()) {
            err().println("memsnap: " + Text.count(unreadable.size(), "stored snapshot") + " could not be read "
                    + "(exit " + ExitCodes.DAMAGED + "); memsnap verify checks them all");
        }
    }

    private void closeAll() throws Exception {
        Exception first = null;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        opened.clear();
        store = null;
        if (first != null) {
            throw first;
        }
    }
}
