package dev.memsnap.core.tools;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.compare.SnapshotComparator;
import dev.memsnap.core.compare.SnapshotDiff;
import dev.memsnap.core.format.Snapshots;
import dev.memsnap.core.prune.PrunePlan;
import dev.memsnap.core.prune.Pruner;
import dev.memsnap.core.prune.RetentionPolicy;
import jakarta.inject.Inject;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The snapshot tooling over one store: compare, filter, label and pin, prune, verify, copy (export, import, rekey).
 * The {@code memsnap} command line is a thin shell over this class.
 */
public final class SnapshotTools {
    /** The id a comparison gives the live memory. */
    public static final String LIVE = "live";
    /** How often a label or pin is retried when other instances keep changing the same snapshot's tags meanwhile. */
    private static final int MAX_TAG_ATTEMPTS = 100;

    private final SnapshotStore store;

    /** @param store the store to work on */
    @Inject
    public SnapshotTools(SnapshotStore store) {
        this.store = store;
    }

    /** Reports progress of long work, such as verifying or rekeying a large store. */
    @FunctionalInterface
    public interface Progress {
        /** Reports nothing. */
        Progress NONE = (done, total) -> { };

        /**
         * @param done  items finished
         * @param total items in all
         */
        void update(int done, int total);
    }

    /**
     * The outcome of copying snapshots between stores.
     *
     * @param copied   how many were copied
     * @param failures each snapshot that could not be read, with the reason; the rest were still copied
     */
    public record CopyResult(int copied, List<Verification> failures) {
        public CopyResult {
            failures = List.copyOf(failures);
        }
    }

    /** @return the store these tools work on */
    public SnapshotStore store() {
        return store;
    }

    /**
     * @param snapshotId a stored snapshot
     * @return it
     * @throws SnapshotNotFoundException when it is not stored
     */
    public MemorySnapshot get(String snapshotId) {
        return store.read(snapshotId).orElseThrow(
                () -> new SnapshotNotFoundException("no stored snapshot with id " + snapshotId));
    }

    /**
     * @param beforeId the earlier snapshot
     * @param afterId  the later snapshot
     * @return what changed from one to the other
     */
    public SnapshotDiff compare(String beforeId, String afterId) {
        return SnapshotComparator.compare(get(beforeId), get(afterId));
    }

    /**
     * @param snapshotId a snapshot, from the manager's memory or its store
     * @param live       the manager whose live memory to compare with
     * @return what changed from the snapshot to the live memory (the live side is named {@value #LIVE})
     */
    public static SnapshotDiff compareWithLive(String snapshotId, EnhancedMemoryManager live) {
        MemorySnapshot snapshot = live.getSnapshot(snapshotId).orElseThrow(
                () -> new SnapshotNotFoundException("no snapshot with id " + snapshotId));
        return compareWithLive(snapshot, live);
    }

    /**
     * @param snapshot a snapshot
     * @param live     the manager whose live memory to compare with
     * @return what changed from the snapshot to the live memory (the live side is named {@value #LIVE})
     */
    public static SnapshotDiff compareWithLive(MemorySnapshot snapshot, EnhancedMemoryManager live) {
        MemorySnapshot now = Snapshots.of(LIVE, LocalDateTime.now(ZoneOffset.UTC), live.turns(),
                snapshot.shortTerm().sessionStart(), live.memories(), null);
        return SnapshotComparator.compare(snapshot, now);
    }

    /**
     * @param filter the criteria
     * @return the stored snapshots that meet them, newest first; content criteria read each candidate whole
     */
    public List<StoredSnapshot> find(SnapshotFilter filter) {
        List<StoredSnapshot> found = new ArrayList<>();
        for (StoredSnapshot s : store.inventory()) {
            if (!filter.matchesListing(s)) {
                continue;
            }
            if (filter.needsContent()) {
                try {
                    if (!store.read(s.snapshotId()).map(filter::matchesContent).orElse(false)) {
                        continue;
                    }
                } catch (SnapshotException damaged) {
                    continue; // listed but unreadable: verify reports it
                }
            }
            found.add(s);
        }
        return found;
    }

    /**
     * @param snapshotId a stored snapshot
     * @param add        labels to add
     * @param remove     labels to remove
     * @return its tags now
     */
    public SnapshotTags label(String snapshotId, Set<String> add, Set<String> remove) {
        return updateTags(snapshotId, current -> {
            Set<String> labels = new TreeSet<>(current.labels());
            labels.addAll(add);
            labels.removeAll(remove);
            return new SnapshotTags(labels, current.pinned());
        });
    }

    /**
     * @param snapshotId a stored snapshot
     * @param pinned     whether pruning must keep it
     * @return its tags now
     */
    public SnapshotTags pin(String snapshotId, boolean pinned) {
        return updateTags(snapshotId, current -> new SnapshotTags(current.labels(), pinned));
    }

    /**
     * Changes a snapshot's tags by compare-and-set, reading them again whenever another instance changed them
     * between the read and the write, so that concurrent labels and pins are never lost.
     */
    private SnapshotTags updateTags(String snapshotId, UnaryOperator<SnapshotTags> change) {
        for (int attempt = 1; ; attempt++) {
            SnapshotTags current = store.tags(snapshotId);
            SnapshotTags updated = change.apply(current);
            if (store.compareAndSetTags(snapshotId, current, updated)) {
                return updated;
            }
            if (attempt == MAX_TAG_ATTEMPTS) {
                throw new SnapshotStoreException("could not label snapshot " + snapshotId + ": its labels changed "
                        + "under " + MAX_TAG_ATTEMPTS + " attempts in a row; try again");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * @param policy what to keep
     * @param dryRun whether to only say what would go
     * @return what was (or would be) kept and pruned, with reasons
     */
    public PrunePlan prune(RetentionPolicy policy, boolean dryRun) {
        return Pruner.prune(store, policy, dryRun);
    }

    /**
     * Reads every stored snapshot whole, damaged ones included.
     *
     * @param progress told after each snapshot
     * @return one result per snapshot, by id
     */
    public List<Verification> verify(Progress progress) {
        List<String> ids = new ArrayList<>(store.storedIds());
        ids.sort(null);
        List<Verification> results = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            results.add(store.verify(ids.get(i)));
            progress.update(i + 1, ids.size());
        }
        return results;
    }

    /**
     * Copies every stored snapshot, with its labels and pin, into another store: export, import, or a change of
     * format or key (copy a store onto itself opened with the new choices). Each snapshot is saved atomically, so an
     * interrupted copy loses nothing and can simply run again.
     *
     * @param target   where to copy to
     * @param progress told after each snapshot
     * @return how many were copied, and which could not be read
     * @throws dev.memsnap.api.SnapshotStoreException when the target cannot write; what was copied stays copied
     */
    public CopyResult copyTo(SnapshotStore target, Progress progress) {
        List<String> ids = new ArrayList<>(store.storedIds());
        ids.sort(null);
        int copied = 0;
        List<Verification> failures = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            MemorySnapshot snapshot;
            SnapshotTags tags;
            try {
                snapshot = get(id);
                tags = store.tags(id);
            } catch (SnapshotNotFoundException gone) {
                progress.update(i + 1, ids.size());
                continue; // deleted by someone else meanwhile: nothing to copy
            } catch (SnapshotException unreadable) {
                failures.add(new Verification(id, false, unreadable.getMessage()));
                progress.update(i + 1, ids.size());
                continue;
            }
            // a failure to write (a full disk, say) is the target's and would repeat: it stops the copy
            target.save(snapshot);
            if (!tags.isEmpty()) {
                target.setTags(id, tags);
            }
            copied++;
            progress.update(i + 1, ids.size());
        }
        return new CopyResult(copied, failures);
    }
}
