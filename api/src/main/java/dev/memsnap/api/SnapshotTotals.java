package dev.memsnap.api;

/**
 * What every memory of a host has done with snapshots since the host started: the sums of each memory's
 * {@link ManagerStats}, kept as the memories come and go (a memory evicted from the heap keeps counting), and the
 * time spent saving. Counters only grow, so that a metrics registry can read them as counters.
 *
 * @param snapshotsCreated        snapshots created, automatic ones included
 * @param automaticSnapshots      snapshots memsnap took by itself: every N turns, before an apply, on eviction
 * @param saves                   snapshots written to the store, of every kind
 * @param saveNanos               the time those writes took, in nanoseconds
 * @param automaticSavesCompleted automatic (every N turns) snapshots saved in the background
 * @param automaticSavesFailed    automatic snapshots that could not be captured or saved
 * @param automaticSavesSkipped   automatic snapshots not saved because earlier saves were still queued
 * @param pendingAutomaticSaves   automatic saves queued or running now
 */
public record SnapshotTotals(long snapshotsCreated, long automaticSnapshots, long saves, long saveNanos,
                             long automaticSavesCompleted, long automaticSavesFailed, long automaticSavesSkipped,
                             int pendingAutomaticSaves) {
}
