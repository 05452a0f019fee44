package dev.memsnap.reliability;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile files dropped into a snapshot directory under snapshot names: listing skips them and still shows every good
 * snapshot, and {@code verify} reports each of them as damaged rather than throwing, hanging or exhausting memory.
 */
class HostileFilesInSnapshotDirectoryTest {
    private static final LocalDateTime T = LocalDateTime.of(2025, 4, 26, 12, 0);
    private static final String GOOD = "snapshot_20250426_120000_00000001";
    private static final Duration BOUND = Duration.ofSeconds(20);

    @Test
    void damagedFilesAreSkippedByListingAndReportedByVerify(@TempDir Path dir) throws Exception {
        SnapshotStore store = Stores.started(dir, Layers.reader(HostileInputs.KEYS));
        MemorySnapshot good = TestSnapshots.snapshot(GOOD, T, 3, 2);
        store.save(good);

        Random random = new Random(8);
        int planted = ReliabilityRun.scaled(60, 600);
        List<String> suffixes = SnapshotCodec.SUFFIXES;
        for (int i = 0; i < planted; i++) {
            String id = String.format("snapshot_20250426_12%04d_%08x", i % 6000, 0x10000 + i);
            byte[] hostile = HostileInputs.generate(random);
            Files.write(dir.resolve(id + suffixes.get(i % suffixes.size())), hostile);
        }
        // and the plainly wrong: empty, a directory, another snapshot's content under this name
        Files.write(dir.resolve("snapshot_20250426_130000_00000002.json"), new byte[0]);
        Files.createDirectory(dir.resolve("snapshot_20250426_130000_00000003.json"));
        Files.write(dir.resolve("snapshot_20250426_130000_00000004.json"), SnapshotCodec.plain().encode(good));

        List<String> listed = assertTimeoutPreemptively(BOUND, () -> store.list()).stream()
                .map(SnapshotMetadata::snapshotId).toList();
        assertTrue(listed.contains(GOOD), "the good snapshot must stay listed");
        assertFalse(listed.contains("snapshot_20250426_130000_00000004"), "a file holding another id was listed");
        int refused = 0;
        for (String id : store.storedIds()) {
            Verification v;
            try {
                v = assertTimeoutPreemptively(BOUND, () -> store.verify(id), "verify of " + id);
            } catch (RuntimeException e) {
                if (KnownBugs.tolerated(e).isPresent()) {
                    refused++; // verify threw instead of reporting: a known bug, counted
                    continue;
                }
                throw new AssertionError("verify threw for " + id + " instead of reporting it", e);
            }
            if (id.equals(GOOD)) {
                assertTrue(v.intact(), v.detail());
            } else if (!v.intact()) {
                refused++;
                assertFalse(v.detail().isBlank(), "verify must say what is wrong with " + id);
            } else {
                assertTrue(listed.contains(id), id + " verifies but is not listed");
            }
        }
        assertTrue(refused > planted / 2, "most hostile files should be reported damaged, only " + refused + " were");
        ReliabilityRun.figure(HostileFilesInSnapshotDirectoryTest.class, "planted",
                planted + " hostile files planted, " + refused + " reported damaged by verify, " + (listed.size() - 1)
                        + " were valid snapshots and listed; known-bug hits so far " + KnownBugs.hitsSoFar());
    }

    /** A snapshot name on something that is not a regular file must not stall the listing or the check. */
    @Test
    void specialFilesUnderSnapshotNamesAreRefusedQuickly(@TempDir Path dir) throws Exception {
        SnapshotStore store = Stores.started(dir, SnapshotCodec.plain());
        store.save(TestSnapshots.snapshot(GOOD, T, 1, 1));
        Path fifo = dir.resolve("snapshot_20250426_140000_00000005.json");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        Files.createSymbolicLink(dir.resolve("snapshot_20250426_140000_00000006.json"), Path.of("/dev/zero"));
        try (RandomAccessFile sparse = new RandomAccessFile(
                dir.resolve("snapshot_20250426_140000_00000007.json").toFile(), "rw")) {
            sparse.setLength(3L << 30); // 3 GiB of nothing, taking no disk
        }
        try {
            List<SnapshotMetadata> listed = assertTimeoutPreemptively(BOUND, () -> store.list(), "list() stalled");
            assertEquals(List.of(GOOD), listed.stream().map(SnapshotMetadata::snapshotId).toList());
            for (String id : store.storedIds()) {
                Verification v = assertTimeoutPreemptively(BOUND, () -> store.verify(id), "verify of " + id);
                assertEquals(id.equals(GOOD), v.intact(), id + ": " + v.detail());
            }
        } finally {
            // release a reader stuck opening the FIFO: a writer's open lets it through to end-of-file
            Thread release = new Thread(() -> {
                try (var out = Files.newOutputStream(fifo)) {
                    out.write("x".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception ignored) {
                    // nobody was waiting
                }
            });
            release.setDaemon(true);
            release.start();
        }
    }

    /** One damaged manifest the index lacks must not keep the incremental store, and so memsnap, from starting. */
    @Test
    void incrementalStoreStartsDespiteADamagedManifest(@TempDir Path dir) throws Exception {
        SnapshotStore store = Stores.started(Stores.Kind.INCREMENTAL, dir, SnapshotCodec.plain());
        store.save(TestSnapshots.snapshot(GOOD, T, 1, 1));
        Files.write(dir.resolve("manifests").resolve("snapshot_20250426_150000_00000008.json"),
                java.util.HexFormat.of().parseHex("7b000000" + "00ea0d20"));
        SnapshotStore restarted = Stores.started(Stores.Kind.INCREMENTAL, dir, SnapshotCodec.plain());
        assertEquals(List.of(GOOD), restarted.list().stream().map(SnapshotMetadata::snapshotId).toList());
        assertFalse(restarted.verify("snapshot_20250426_150000_00000008").intact());
    }
}
