package dev.memsnap.api;

/**
 * What a memory manager has done with snapshots since it started, and what went wrong in the background.
 *
 * @param autoSnapshotEnabled      whether automatic snapshots are on
 * @param autoSnapshotInterval     turns between automatic snapshots
 * @param snapshotsCreated         snapshots created, automatic ones included
 * @param automaticSnapshots       automatic snapshots created
 * @param automaticSavesCompleted  automatic snapshots saved
 * @param automaticSavesFailed     automatic snapshots whose save failed
 * @param automaticSavesSkipped    automatic snapshots not saved because earlier saves were still queued
 * @param pendingAutomaticSaves    automatic saves queued or running now
 * @param lastAutomaticSaveError   the last background save failure, or {@code null} when there was none
 */
public record ManagerStats(boolean autoSnapshotEnabled, int autoSnapshotInterval, long snapshotsCreated,
                           long automaticSnapshots, long automaticSavesCompleted, long automaticSavesFailed,
                           long automaticSavesSkipped, int pendingAutomaticSaves, String lastAutomaticSaveError) {
}
