package dev.memsnap.reliability;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.MemoryConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic snapshots under a full disk: a turn never fails because its automatic snapshot cannot be saved; the
 * failures are counted in {@code stats()} with the disk's own reason; what was saved before stays intact; and once
 * space returns, later automatic snapshots are saved again. Both stores, on a real tmpfs and on the injected budget.
 */
class AutoSnapshotOnFullDiskTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @ParameterizedTest(name = "{0} disk, {1} store")
    @CsvSource({"tmpfs, FILE", "tmpfs, INCREMENTAL", "injected, FILE", "injected, INCREMENTAL"})
    void turnsNeverFailAndSavingResumesWhenSpaceReturns(String wanted, Stores.Kind kind, @TempDir Path tmp)
            throws Exception {
        try (SmallDisk disk = SmallDisk.open(wanted, tmp)) {
            ReliabilityRun.figure(AutoSnapshotOnFullDiskTest.class, "disk." + wanted, disk.kind());
            Path dir = disk.root().resolve("snapshots");
            try (RunningManager running = RunningManager.start(new MemoryConfig(dir, true, 1)
                    .withStore(kind.configName))) {
                EnhancedMemoryManager manager = running.manager();
                for (int i = 0; i < 3; i++) {
                    manager.addTurn("user", "before " + i);
                }
                running.awaitStats(s -> s.pendingAutomaticSaves() == 0 && s.automaticSavesCompleted() == 3, SETTLE);
                List<String> savedBefore = running.store().storedIds();

                disk.fill();
                int turnsWhileFull = 12;
                for (int i = 0; i < turnsWhileFull; i++) {
                    String content = "while full " + i;
                    assertDoesNotThrow(() -> manager.addTurn("user", content), "a turn failed on a full disk");
                }
                ManagerStats full = running.awaitStats(s -> s.pendingAutomaticSaves() == 0, SETTLE);
                assertEquals(3, full.automaticSavesCompleted(), "nothing can be saved on a full disk: " + full);
                assertTrue(full.automaticSavesFailed() >= 1, "failed saves must be counted: " + full);
                assertEquals(turnsWhileFull, full.automaticSavesFailed() + full.automaticSavesSkipped(),
                        "every automatic snapshot is saved, failed or skipped: " + full);
                assertNotNull(full.lastAutomaticSaveError(), "the last failure is reported");
                assertTrue(full.lastAutomaticSaveError().contains(FaultyFileSystem.NO_SPACE),
                        "the reported failure says the disk is full: " + full.lastAutomaticSaveError());
                for (String id : savedBefore) {
                    Verification v = running.store().verify(id);
                    assertTrue(v.intact(), id + " saved before the disk filled is damaged: " + v.detail());
                }
                assertEquals(List.of(), TempFiles.in(dir), "failed automatic saves left temporary files");
                assertEquals(15, manager.turns().size(), "every turn was recorded");

                disk.free();
                for (int i = 0; i < 3; i++) {
                    manager.addTurn("user", "after " + i);
                }
                ManagerStats after = running.awaitStats(s -> s.pendingAutomaticSaves() == 0, SETTLE);
                assertEquals(6, after.automaticSavesCompleted(), "saving resumes once space returns: " + after);
                SnapshotMetadata newest = running.store().list().get(0);
                assertEquals(18, newest.shortTermTurns(), "the newest saved snapshot holds every turn");
                assertTrue(running.store().verify(newest.snapshotId()).intact());
                ReliabilityRun.figure(AutoSnapshotOnFullDiskTest.class, "stats." + wanted + "." + kind,
                        "failed " + after.automaticSavesFailed() + ", skipped " + after.automaticSavesSkipped()
                                + ", completed " + after.automaticSavesCompleted());
            }
        }
    }
}
