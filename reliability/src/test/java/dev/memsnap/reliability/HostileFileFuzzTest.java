package dev.memsnap.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The loader under Jazzer's coverage-guided fuzzing: the same rules as {@link HostileFilePropertyTest}, judged by
 * {@link LoaderOracle}. In a normal {@code mvn verify} Jazzer only replays the seed corpus in
 * {@code src/test/resources/dev/memsnap/reliability/HostileFileFuzzTestInputs/loaderAcceptsOrRefusesCleanly/} (valid
 * files in every encoding and damaged ones, written by {@link SeedCorpus}); with {@code JAZZER_FUZZ=1}, which the long
 * mode sets, it fuzzes for {@code maxDuration}. A finding is written beside the seeds and so replays in every later
 * run until fixed.
 */
class HostileFileFuzzTest {
    private static final AtomicLong executions = new AtomicLong();
    private static final long started = System.nanoTime();

    @FuzzTest(maxDuration = "10m")
    void loaderAcceptsOrRefusesCleanly(byte[] input) {
        executions.incrementAndGet();
        LoaderOracle.judge(input);
    }

    @AfterAll
    static void recordFigures() {
        boolean fuzzing = "1".equals(System.getenv("JAZZER_FUZZ"));
        ReliabilityRun.figure(HostileFileFuzzTest.class, "executions", executions.get() + " inputs "
                + (fuzzing ? "fuzzed" : "replayed from the seed corpus") + " in "
                + (System.nanoTime() - started) / 1_000_000_000 + " s; known-bug hits " + KnownBugs.hitsSoFar()
                + "; largest real expansion " + LoaderOracle.largestExpansion.get() + " bytes");
    }
}
