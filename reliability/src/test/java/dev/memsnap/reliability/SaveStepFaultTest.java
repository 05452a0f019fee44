package dev.memsnap.reliability;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An I/O error at any single step of a save (opening, writing, fsync of the file, rename, fsync of the directory, the
 * checksum's own steps, removing the copy in the old encoding) costs nothing already stored: the save fails with a
 * {@link SnapshotStoreException} or succeeds, no temporary file is left, every other snapshot is intact, the snapshot
 * being saved is either absent or whole (old or new version, never torn, never lost), and a retry succeeds. This is
 * the crash promise checked step by step, with the failing step known, as CrashMonkey does for file systems.
 */
class SaveStepFaultTest {
    private static final LocalDateTime T = LocalDateTime.of(2025, 4, 26, 12, 0);
    private static final String A = "snapshot_20250426_120000_0000000a";
    private static final String B = "snapshot_20250426_120001_0000000b";
    private static final String C = "snapshot_20250426_120002_0000000c";
    private static final KeyRing KEYS = KeyRing.ofKey(KeyRing.generateKey());

    /** What is saved over what: each takes a different path through the store. */
    enum Scenario {
        /** A new id next to two stored snapshots. */
        NEW_SNAPSHOT(Stores.Kind.FILE, Layers.PLAIN, Layers.PLAIN, C),
        /** A new id, encrypted and compressed (streamed through the sealer). */
        NEW_ENCRYPTED(Stores.Kind.FILE, Layers.PLAIN, Layers.GZIP_ENCRYPTED, C),
        /** A new version of a stored id, same encoding: the old checksum goes first. */
        REPLACEMENT(Stores.Kind.FILE, Layers.PLAIN, Layers.PLAIN, A),
        /** A stored id saved in another encoding: the new file first, then the old one is removed. */
        RE_ENCODING(Stores.Kind.FILE, Layers.PLAIN, Layers.ZSTD, A),
        /** The incremental store: new chunks, the manifest, the index line. */
        INCREMENTAL_NEW(Stores.Kind.INCREMENTAL, Layers.PLAIN, Layers.PLAIN, C),
        /** The incremental store replacing a manifest, encrypted. */
        INCREMENTAL_REPLACEMENT(Stores.Kind.INCREMENTAL, Layers.ENCRYPTED, Layers.ENCRYPTED, A);

        final Stores.Kind kind;
        final Layers before;
        final Layers saving;
        final String target;

        Scenario(Stores.Kind kind, Layers before, Layers saving, String target) {
            this.kind = kind;
            this.before = before;
            this.saving = saving;
            this.target = target;
        }
    }

    /** What one faulted save did. */
    private record Outcome(int step, String operation, boolean threw, Optional<MemorySnapshot> targetAfter) {
    }

    @ParameterizedTest
    @EnumSource(value = Scenario.class, mode = EnumSource.Mode.EXCLUDE, names = "INCREMENTAL_REPLACEMENT")
    void aFaultAtAnyStepLosesNothing(Scenario scenario, @TempDir Path tmp) throws Exception {
        List<Outcome> outcomes = runEveryStep(scenario, tmp);
        assertTrue(outcomes.size() >= 8, "a save should take at least 8 mutating steps, found " + outcomes.size());
        ReliabilityRun.figure(SaveStepFaultTest.class, "steps." + scenario, outcomes.size() + " steps faulted, "
                + outcomes.stream().filter(Outcome::threw).count() + " reported as errors");
    }

    @Test
    void aFaultAtAnyStepOfAnIncrementalReplacementLosesNothing(@TempDir Path tmp) throws Exception {
        aFaultAtAnyStepLosesNothing(Scenario.INCREMENTAL_REPLACEMENT, tmp);
    }

    /**
     * The documented contract (SnapshotStore.save; README "An operation that throws has changed nothing", narrowed
     * there for replacements): a save of a new id that throws leaves it absent, and a save that replaces a stored id
     * and throws leaves the old or the new version whole (the step-by-step test above checks "whole"). A directory
     * fsync that fails after the replacing rename cannot take the rename back durably either, so memsnap does not
     * promise the old version there; a new id, whose rename it can undo by deleting, it does take back.
     */
    @Test
    void aSaveOfANewIdThatThrowsLeavesItAbsent(@TempDir Path tmp) throws Exception {
        List<String> violations = new ArrayList<>();
        int threw = 0;
        for (Scenario scenario : Scenario.values()) {
            if (!scenario.target.equals(C)) {
                continue;
            }
            Path base = Files.createDirectories(tmp.resolve(scenario.name()));
            for (Outcome o : runEveryStep(scenario, base)) {
                if (o.threw()) {
                    threw++;
                    if (o.targetAfter().isPresent()) {
                        violations.add(scenario + " step " + o.step() + " (" + o.operation() + "): threw, but "
                                + scenario.target + " is stored");
                    }
                }
            }
        }
        assertTrue(threw > 0, "no faulted save of a new id threw: the fault injection did not reach the store");
        assertEquals(List.of(), violations);
    }

    private static List<Outcome> runEveryStep(Scenario scenario, Path tmp) throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        int steps = countSteps(scenario, fs, Files.createDirectories(tmp.resolve("dry-run")));
        List<Outcome> outcomes = new ArrayList<>();
        for (int step = 1; step <= steps; step++) {
            Path dir = fs.wrap(Files.createDirectories(tmp.resolve("step-" + step)));
            prepare(scenario, fs, dir);
            SnapshotStore saving = Stores.open(scenario.kind, dir, scenario.saving.codec(KEYS));
            MemorySnapshot newVersion = version(scenario.target, 2);
            fs.failOperation(step);
            boolean threw = false;
            try {
                saving.save(newVersion);
            } catch (SnapshotStoreException e) {
                threw = true;
            } catch (RuntimeException e) {
                fail(scenario + " step " + step + ": a fault surfaced as " + e + " instead of a "
                        + "SnapshotStoreException; operations: " + fs.operationLog(), e);
            }
            String operation = fs.operationLog().size() >= step ? fs.operationLog().get(step - 1) : "?";
            fs.failOperation(0);
            String where = scenario + ", fault at step " + operation;

            assertEquals(List.of(), TempFiles.in(dir), where + ": temporary files left");
            SnapshotStore reader = Stores.started(scenario.kind, dir, Layers.reader(KEYS));
            for (String other : List.of(A, B)) {
                if (!other.equals(scenario.target)) {
                    Verification v = reader.verify(other);
                    assertTrue(v.intact(), where + ": " + other + " damaged: " + v.detail());
                    assertEquals(version(other, 1), reader.read(other).orElseThrow(), where + ": " + other);
                }
            }
            Optional<MemorySnapshot> target = reader.read(scenario.target);
            if (target.isPresent()) {
                Verification v = reader.verify(scenario.target);
                assertTrue(v.intact(), where + ": " + scenario.target + " is torn: " + v.detail());
                assertTrue(target.get().equals(version(scenario.target, 1)) || target.get().equals(newVersion),
                        where + ": " + scenario.target + " holds neither version");
            } else {
                assertTrue(scenario.target.equals(C), where + ": stored snapshot " + scenario.target + " was lost");
            }
            if (!threw) {
                assertEquals(Optional.of(newVersion), target, where + ": the save returned but is not stored");
            }

            // A retry once the fault is gone stores the new version, and a restarted store lists it.
            saving.save(newVersion);
            assertEquals(newVersion, reader.read(scenario.target).orElseThrow(), where + ": the retry did not save");
            Verification retried = reader.verify(scenario.target);
            assertTrue(retried.intact(), where + ": the retry is damaged: " + retried.detail());
            SnapshotStore restarted = Stores.started(scenario.kind, dir, Layers.reader(KEYS));
            assertTrue(restarted.list().stream().anyMatch(m -> m.snapshotId().equals(scenario.target)),
                    where + ": the retried snapshot is not listed");
            outcomes.add(new Outcome(step, operation, threw, target));
        }
        return outcomes;
    }

    private static int countSteps(Scenario scenario, FaultyFileSystem fs, Path realDir) {
        Path dir = fs.wrap(realDir);
        prepare(scenario, fs, dir);
        fs.failOperation(0);
        Stores.open(scenario.kind, dir, scenario.saving.codec(KEYS)).save(version(scenario.target, 2));
        return fs.operationCount();
    }

    /** Two stored snapshots, A and B, in the scenario's first encoding. */
    private static void prepare(Scenario scenario, FaultyFileSystem fs, Path dir) {
        fs.failOperation(0);
        SnapshotStore store = Stores.started(scenario.kind, dir, scenario.before.codec(KEYS));
        store.save(version(A, 1));
        store.save(version(B, 1));
    }

    /** Two versions of the same id differ in content, as a snapshot re-saved by another tool might. */
    private static MemorySnapshot version(String id, int version) {
        return TestSnapshots.snapshot(id, T.plusSeconds(version), 2 + version, version);
    }
}
