package dev.memsnap.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a benchmark measures: memsnap through its public API, or the naive baseline, behind one interface so that every
 * benchmark runs the same workload both ways. Implementations are {@link MemsnapSubject} and {@link BaselineSubject}.
 */
public interface Subject extends AutoCloseable {
    /** memsnap with the store its configuration gives by default (the plain file store today). */
    String MEMSNAP = "memsnap";
    /** memsnap with {@code memory.store: incremental}; refused when the core does not provide that store. */
    String INCREMENTAL = "incremental";
    /** The naive deep-copy, whole-JSON baseline ({@link NaiveMemoryManager}). */
    String BASELINE = "baseline";

    /**
     * @param impl {@link #MEMSNAP}, {@link #INCREMENTAL} or {@link #BASELINE}
     * @param dir  the snapshot directory
     * @return the subject, started
     * @throws IllegalStateException for {@link #INCREMENTAL} when the core has no incremental store
     */
    static Subject start(String impl, Path dir) {
        return switch (impl) {
            case MEMSNAP -> MemsnapSubject.start(dir, false);
            case INCREMENTAL -> {
                MemsnapSubject subject = MemsnapSubject.start(dir, true);
                if (!subject.storeIsIncremental()) {
                    String store = subject.storeDescription();
                    subject.close();
                    throw new IllegalStateException("memory.store: incremental is not available in this core: the "
                            + "configuration gave " + store);
                }
                yield subject;
            }
            case BASELINE -> new BaselineSubject(dir);
            default -> throw new IllegalArgumentException("unknown implementation " + impl);
        };
    }

    /** @return the snapshot directory */
    Path dir();

    /** @return which store is in use, for the report */
    String storeDescription();

    /**
     * Replaces live memory with the state in a snapshot file, as a host restoring a saved state would: load, apply.
     *
     * @param seedFile a snapshot file in memsnap's format
     */
    void populate(Path seedFile);

    /** @return the id of a new snapshot of live memory */
    String createSnapshot();

    /** @return where the snapshot was saved ({@link java.net.URI} for memsnap, {@link Path} for the baseline) */
    Object save(String snapshotId);

    /** @return the id of the snapshot loaded from where {@link #save} put it */
    String load(Object location);

    /** @return whether the snapshot existed and was applied */
    boolean apply(String snapshotId);

    /** @return how many snapshots a listing returned */
    int list();

    void addTurn(String role, String content);

    String addMemory(String content, String sourceType, double importance, List<String> topics);

    /** Turns automatic snapshots on, every {@code interval} turns. */
    void enableAutoSnapshot(int interval);

    /** @return automatic saves queued or running; always 0 for the baseline, which saves on the turn's thread */
    int pendingAutomaticSaves();

    /** Waits until no automatic save is queued or running, at most {@code timeout}. @return whether idle */
    default boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pendingAutomaticSaves() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            BenchEnv.pause(1);
        }
        return true;
    }

    /** @return automatic snapshots taken, saved, and skipped because saves could not keep up */
    long[] automaticCounters();

    /** Deletes every stored snapshot through the store (to bound disk use between iterations). */
    void deleteStored();

    /** Lets go of a held snapshot where the implementation allows it (the baseline); memsnap keeps them. */
    void forget(String snapshotId);

    /** @return whether every held snapshot was let go of (the baseline can; memsnap cannot, and is restarted) */
    default boolean forgetAll() {
        return false;
    }

    @Override
    void close();
}
