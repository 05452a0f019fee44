package dev.memsnap.reliability;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.codec.KeyRing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The durability promise under process crashes: a child JVM ({@link CrashWriter}) saves snapshots in a loop and is
 * killed with SIGKILL at random points, many times over the same directory. After every kill: every snapshot on disk
 * verifies (checksum and every layer) and holds exactly what the writer wrote; every acknowledged save, the last one
 * included, is there; no temporary file is listed as a snapshot; and once a leftover temporary file is older than the
 * store's cut-off, starting a store removes it.
 */
class CrashDuringSaveTest {
    private static final int KILLS_PER_MODE = ReliabilityRun.scaled(6, 50);
    /** How long to wait for the writer to acknowledge its saves before calling it stuck. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, String> figures = new TreeMap<>();
    private static final long started = System.nanoTime();

    static Stream<String> modes() {
        return ReliabilityRun.LONG
                ? Stream.of("plain", "gzip", "zstd", "encrypted", "gzip_encrypted", "zstd_encrypted", "mixed",
                "incremental", "incremental_zstd_encrypted")
                : Stream.of("plain", "gzip", "zstd", "encrypted", "mixed", "incremental");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void everyAcknowledgedSnapshotSurvivesSigkill(String mode, @TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("snapshots");
        Path ack = tmp.resolve("acks");
        Path keyFile = tmp.resolve("key");
        byte[] key = KeyRing.generateKey();
        Files.write(keyFile, key);
        KeyRing keys = KeyRing.ofKey(key);
        Random random = new Random(mode.hashCode() ^ System.nanoTime());

        int killsLeavingTemps = 0;
        long checkedThrough = 0;
        for (int kill = 1; kill <= KILLS_PER_MODE; kill++) {
            int acknowledgedBefore = CrashWriter.acknowledged(ack).size();
            Process writer = startWriter(dir, mode, ack, keyFile, tmp.resolve("writer.log"));
            try {
                // Let it get going, then kill at a random point: after 1 to 6 more acknowledged saves, plus up to
                // 25 ms, which lands in any phase of a save (writes, fsyncs, renames, checksum, replacement).
                awaitAcknowledgements(writer, ack, acknowledgedBefore + 1 + random.nextInt(6), tmp);
                Thread.sleep(random.nextInt(25));
            } finally {
                writer.destroyForcibly();
                assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "the killed writer did not end");
            }

            List<String> acknowledged = CrashWriter.acknowledged(ack);
            List<Path> temps = TempFiles.in(dir);
            killsLeavingTemps += temps.isEmpty() ? 0 : 1;

            Stores.Kind kind = CrashWriter.storeOf(mode);
            SnapshotStore store = Stores.started(kind, dir, Layers.reader(keys));
            checkedThrough = checkAfterKill(kill, store, dir, acknowledged, temps, checkedThrough);

            // The leftovers of this kill are fresh, so start() keeps them (they could be a live save of another
            // process); once older than the cut-off they are a crashed writer's and start() removes them. The
            // incremental store does not clean up yet: StaleTemporaryFileCleanupTest pins that bug.
            if (kind == Stores.Kind.FILE) {
                for (Path temp : temps) {
                    Files.setLastModifiedTime(temp, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
                }
                Stores.started(kind, dir, Layers.reader(keys));
                assertEquals(List.of(), TempFiles.in(dir), "start() left temporary files older than an hour");
            }
        }

        int snapshotsOnDisk = Stores.started(CrashWriter.storeOf(mode), dir, Layers.reader(keys)).storedIds().size();
        record(mode, KILLS_PER_MODE, CrashWriter.acknowledged(ack).size(), snapshotsOnDisk, killsLeavingTemps);
    }

    /**
     * Checks everything the promise covers after one kill.
     *
     * @return the highest sequence number whose content has now been compared, so later rounds compare only what
     *         changed since (older snapshots are still verified each round, by checksum and every layer)
     */
    private static long checkAfterKill(int kill, SnapshotStore store, Path dir, List<String> acknowledged,
                                       List<Path> temps, long checkedThrough) throws IOException {
        String round = "after kill " + kill + " (temporary files left: " + names(temps) + ")";
        Set<String> stored = new HashSet<>(store.storedIds());
        for (String id : stored) {
            Verification verification = store.verify(id);
            assertTrue(verification.intact(), round + ": " + id + " is damaged: " + verification.detail());
        }
        Set<String> listed = store.list().stream().map(SnapshotMetadata::snapshotId).collect(Collectors.toSet());
        assertEquals(stored, listed, round + ": the listing differs from the files on disk");
        for (String id : listed) {
            try (Stream<Path> files = Files.walk(dir, 2)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith(id)),
                        round + ": " + id + " is listed but only a temporary file has its name");
            }
        }
        for (String id : acknowledged) {
            assertTrue(stored.contains(id), round + ": acknowledged snapshot " + id + " is lost");
        }
        long newest = 0;
        for (String id : stored) {
            long seq = SequencedSnapshots.seqOf(id);
            newest = Math.max(newest, seq);
            // Compare content where this round could have changed it: new saves, and replacements of seq - 3.
            if (seq + 3 > checkedThrough) {
                MemorySnapshot read = store.read(id).orElseThrow();
                assertEquals(SequencedSnapshots.snapshot(seq), read, round + ": " + id + " does not hold what the "
                        + "writer wrote");
            }
        }
        String last = acknowledged.get(acknowledged.size() - 1);
        assertEquals(SequencedSnapshots.snapshot(SequencedSnapshots.seqOf(last)), store.read(last).orElseThrow(),
                round + ": the last acknowledged snapshot " + last + " does not read back as written");
        return newest;
    }

    private static Process startWriter(Path dir, String mode, Path ack, Path keyFile, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A small, quickly started JVM: the kill, not the JIT, is what is tested.
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dir.toString(), mode, ack.toString()));
        if (CrashWriter.layersOf(mode).stream().anyMatch(Layers::encrypted)) {
            command.add(keyFile.toString());
        }
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Bounded polling of the acknowledgement file; fails if the writer dies or stalls. */
    private static void awaitAcknowledgements(Process writer, Path ack, int count, Path tmp) throws Exception {
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        while (CrashWriter.acknowledged(ack).size() < count) {
            if (!writer.isAlive()) {
                fail("the writer exited with " + writer.exitValue() + " before it was killed:\n"
                        + Files.readString(tmp.resolve("writer.log")));
            }
            if (System.nanoTime() - deadline > 0) {
                fail("the writer acknowledged no save in " + ACK_TIMEOUT + ":\n"
                        + Files.readString(tmp.resolve("writer.log")));
            }
            Thread.sleep(2);
        }
    }

    private static String names(List<Path> files) {
        return files.stream().map(f -> f.getFileName().toString()).collect(Collectors.joining(", ", "[", "]"));
    }

    private static synchronized void record(String mode, int kills, int acknowledged, int onDisk, int leftTemps) {
        figures.put(mode, kills + " kills survived, " + acknowledged + " saves acknowledged, " + onDisk
                + " snapshots on disk, " + leftTemps + " kills left a temporary file");
        figures.forEach((m, text) -> ReliabilityRun.figure(CrashDuringSaveTest.class, "mode." + m, text));
    }

    @AfterAll
    static void recordTime() {
        ReliabilityRun.figure(CrashDuringSaveTest.class, "seconds",
                (System.nanoTime() - started) / 1_000_000_000);
    }
}
