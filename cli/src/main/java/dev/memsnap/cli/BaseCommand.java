package dev.memsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.tools.SnapshotTools.Progress;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every subcommand shares: the global options (through the root command), its output streams, the store it
 * opens at most once and always closes, and progress bars that are always erased.
 */
abstract class BaseCommand implements Callable<Integer> {
    @ParentCommand
    MemsnapCommand root;

    @Spec
    CommandSpec spec;

    /** How many damaged snapshots a listing names before it only counts them. */
    static final int UNREADABLE_SHOWN = 10;
    /** What the codec says of an encrypted snapshot when no key is configured, and when none matches. */
    private static final String NO_KEY = "but no key is configured";
    private static final String WRONG_KEY = "wrong key: ";
    private static final Pattern KEY_ID = Pattern.compile("key ([0-9a-f]{8,64})");

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

    /**
     * @param handle   an opened store
     * @param over     that store, or a wrapper of it to go through
     * @param memoryId a memory id, or {@code null} for every memory
     * @return the store as that memory sees it, or {@code over} itself for every memory
     */
    static SnapshotStore scoped(StoreHandle handle, SnapshotStore over, String memoryId) {
        return memoryId == null ? over : handle.memory(over, memoryId);
    }

    /**
     * @param handle     an opened store
     * @param memoryId   the memory a snapshot was looked for in
     * @param snapshotId the snapshot id that memory does not hold
     * @return "not found" (exit 3), naming the memory that does hold it, if one does
     */
    static SnapshotNotFoundException notInMemory(StoreHandle handle, String memoryId, String snapshotId) {
        String elsewhere = null;
        try {
            elsewhere = handle.store().read(snapshotId).map(MemorySnapshot::memoryId)
                    .filter(other -> !other.equals(memoryId)).orElse(null);
        } catch (SnapshotException unreadable) {
            // stored somewhere, but unreadable: nothing more to say
        }
        String message = "no stored snapshot with id " + snapshotId;
        if (!memoryId.equals(MemoryManagers.DEFAULT) || elsewhere != null) {
            message += " in memory " + MemoryOptions.quote(memoryId);
        }
        if (elsewhere != null) {
            message += "; it is a snapshot of memory " + MemoryOptions.quote(elsewhere) + " (give --memory)";
        }
        return new SnapshotNotFoundException(message);
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

    /**
     * Says which snapshots a listing or prune could not read, for a command that skipped them. A missing or wrong
     * key makes every encrypted snapshot unreadable at once, so that is said once, with the count, the key ids and
     * the fix; other damage is named per snapshot, at most {@value #UNREADABLE_SHOWN} of them.
     */
    void reportUnreadable(List<Verification> unreadable, String what) {
        List<Verification> noKey = new ArrayList<>();
        List<Verification> wrongKey = new ArrayList<>();
        List<Verification> damaged = new ArrayList<>();
        for (Verification v : unreadable) {
            String detail = v.detail() == null ? "" : v.detail();
            (detail.contains(NO_KEY) ? noKey : detail.contains(WRONG_KEY) ? wrongKey : damaged).add(v);
        }
        if (!noKey.isEmpty()) {
            err().println("memsnap: " + what + " " + snapshots(noKey) + ": encrypted" + keyIds(noKey)
                    + ", and no key was given; give it with --key-file FILE, --key-env VAR or --passphrase-env VAR, "
                    + "or set memory.encryption in the config file");
        }
        if (!wrongKey.isEmpty()) {
            err().println("memsnap: " + what + " " + snapshots(wrongKey) + ": encrypted" + keyIds(wrongKey)
                    + " with a key not given; give that key with --key-file FILE, --key-env VAR or "
                    + "--passphrase-env VAR, or keep it under memory.encryption.previous");
        }
        for (Verification v : damaged.subList(0, Math.min(UNREADABLE_SHOWN, damaged.size()))) {
            err().println("memsnap: " + what + " " + v.snapshotId() + ": " + Text.line(v.detail()));
        }
        if (damaged.size() > UNREADABLE_SHOWN) {
            err().println("memsnap: " + what + " " + (damaged.size() - UNREADABLE_SHOWN) + " more damaged snapshots");
        }
        if (!unreadable.isEmpty()) {
            err().println("memsnap: " + Text.count(unreadable.size(), "stored snapshot") + " could not be read "
                    + "(exit " + ExitCodes.DAMAGED + ")" + (damaged.isEmpty() ? ""
                    : "; memsnap verify checks them all"));
        }
    }

    /** @return for example {@code 2 stored snapshots (snapshot_..., snapshot_...)}, at most 3 ids named */
    private static String snapshots(List<Verification> list) {
        List<String> ids = list.stream().map(Verification::snapshotId).limit(3).toList();
        return Text.count(list.size(), "stored snapshot") + " (" + String.join(", ", ids)
                + (list.size() > ids.size() ? " and " + (list.size() - ids.size()) + " more" : "") + ")";
    }

    /** @return for example {@code  with key 1a2b3c4d5e6f7a8b}, from the readers' messages */
    private static String keyIds(List<Verification> list) {
        Set<String> keys = new TreeSet<>();
        for (Verification v : list) {
            Matcher m = KEY_ID.matcher(v.detail());
            if (m.find()) {
                keys.add(m.group(1));
            }
        }
        return keys.isEmpty() ? "" : keys.size() > 3 ? " under " + keys.size() + " keys"
                : (keys.size() == 1 ? " under key " : " under keys ") + String.join(", ", keys);
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
