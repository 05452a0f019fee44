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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code applySnapshot} of a held snapshot, alternating between two: the state of {@code size} memories, and the same
 * state with {@value #ADDED} more memories (a roll back and a roll forward, so no invocation applies the state that
 * is already live).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@State(Scope.Benchmark)
public class ApplySnapshotBenchmark {
    static final int ADDED = 100;

    @Param({Subject.MEMSNAP, Subject.BASELINE})
    public String impl;

    @Param({"1000", "10000", "100000", "1000000"})
    public int size;

    private Subject subject;
    private String[] ids;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        subject = Subject.start(impl, BenchEnv.newDir("apply"));
        subject.populate(BenchEnv.seedFile(size, 0));
        String before = subject.createSnapshot();
        DataGenerator generator = new DataGenerator();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < ADDED; i++) {
            var m = generator.memory(size + i);
            subject.addMemory(generator.text(random, 200, 500), m.sourceType(), m.importance(), m.topics());
        }
        String after = subject.createSnapshot();
        ids = new String[]{before, after};
    }

    @Benchmark
    public boolean applySnapshot() {
        return subject.apply(ids[next++ & 1]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Path dir = subject.dir();
        subject.close();
        BenchEnv.deleteTree(dir);
    }
}
