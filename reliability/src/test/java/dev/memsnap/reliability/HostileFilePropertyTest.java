package dev.memsnap.reliability;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The loader under hostile files, with real random inputs in every run (CI's included): each generated file, damaged
 * in one or more layers with the others left valid, either loads as a valid snapshot or is refused with a
 * {@code SnapshotException}, within the time and memory bounds of {@link LoaderOracle}. The number of tries is
 * jqwik's default, which the build sets per mode (see reliability/pom.xml). {@link HostileFileFuzzTest} is the same
 * oracle under Jazzer's coverage-guided fuzzing, for the long run.
 */
class HostileFilePropertyTest {
    private static final AtomicLong tried = new AtomicLong();
    private static final AtomicLong accepted = new AtomicLong();
    private static final long started = System.nanoTime();

    @Provide
    Arbitrary<byte[]> hostileFiles() {
        return Arbitraries.randomValue(HostileInputs::generate);
    }

    // Shrinking is off: a generated file does not shrink meaningfully, and the oracle saves every failing input.
    @Property(shrinking = ShrinkingMode.OFF)
    void everyDamagedFileLoadsOrIsRefusedCleanly(@ForAll("hostileFiles") byte[] input) {
        count(LoaderOracle.judge(input).isPresent());
    }

    @Property(shrinking = ShrinkingMode.OFF)
    void arbitraryBytesAreRefusedCleanly(@ForAll @Size(max = 4096) byte[] input) {
        count(LoaderOracle.judge(input).isPresent());
    }

    private static void count(boolean loaded) {
        tried.incrementAndGet();
        if (loaded) {
            accepted.incrementAndGet();
        }
    }

    @AfterContainer
    static void recordFigures() {
        ReliabilityRun.figure(HostileFilePropertyTest.class, "inputs", tried.get() + " inputs tried, "
                + accepted.get() + " loaded as valid snapshots, the rest refused with SnapshotException; known-bug "
                + "hits " + KnownBugs.hitsSoFar() + "; largest real expansion " + LoaderOracle.largestExpansion.get()
                + " bytes");
        ReliabilityRun.figure(HostileFilePropertyTest.class, "milliseconds", (System.nanoTime() - started) / 1_000_000);
    }
}
