package dev.memsnap.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code createSnapshot} on a state of {@code size} memories and 300 turns. Every snapshot created stays held (memsnap
 * keeps created snapshots until the host saves them, the baseline keeps them all), so when live objects pass
 * {@value #RESTART_AT_HEAP_FRACTION} of the maximum heap between iterations the subject lets go of them (the
 * baseline) or is restarted on the same state (memsnap, which has no call for that), outside the measurement.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@State(Scope.Benchmark)
public class CreateSnapshotBenchmark {
    static final double RESTART_AT_HEAP_FRACTION = 0.4;

    @Param({Subject.MEMSNAP, Subject.BASELINE})
    public String impl;

    @Param({"1000", "10000", "100000", "1000000"})
    public int size;

    private Path seed;
    private Subject subject;
    private int restarts;

    @Setup(Level.Trial)
    public void setUp() {
        seed = BenchEnv.seedFile(size, 0);
        start();
    }

    private void start() {
        subject = Subject.start(impl, BenchEnv.newDir("create"));
        subject.populate(seed);
    }

    @Setup(Level.Iteration)
    public void restartWhenHeapFills() {
        if (BenchEnv.heapUsed() < RESTART_AT_HEAP_FRACTION * BenchEnv.heapMax()) {
            return;
        }
        if (BenchEnv.liveHeapAfterGc() < RESTART_AT_HEAP_FRACTION * BenchEnv.heapMax()) {
            return;
        }
        restarts++;
        if (subject.forgetAll()) {
            return;
        }
        Path dir = subject.dir();
        subject.close();
        subject = null;
        BenchEnv.deleteTree(dir);
        BenchEnv.liveHeapAfterGc();
        start();
    }

    @Benchmark
    public String createSnapshot() {
        return subject.createSnapshot();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchEnv.fact("create.restarts." + impl + "." + size, restarts);
        BenchEnv.fact("store." + impl, subject.storeDescription());
        Path dir = subject.dir();
        subject.close();
        BenchEnv.deleteTree(dir);
    }
}
