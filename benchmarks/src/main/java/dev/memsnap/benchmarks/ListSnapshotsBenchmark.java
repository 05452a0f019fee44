package dev.memsnap.benchmarks;

import dev.memsnap.api.Memory;
import dev.memsnap.api.Turn;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code listSnapshots} over a store of {@code snapshots} stored snapshots of {@value #MEMORIES} memories and
 * {@value #TURNS} turns each (list cost is per snapshot, so they are small). Each implementation builds its store
 * once, with its own save path, in the scratch directory; later forks reuse it. Three ways of listing:
 * <ul>
 *   <li>{@link #listSnapshots}, <b>warm</b>: one subject started once lists again and again, as a running host's
 *       listings do; nothing changes between them.</li>
 *   <li>{@link #listSnapshotsFreshStore}, <b>fresh store</b>: each listing is the first of a subject started just
 *       before it on the same directory (a new store instance, so nothing is held in memory and everything comes from
 *       the disk and the page cache), in a JVM whose code is already compiled: what a fresh process pays for I/O and
 *       decoding, without the JIT's warm-up.</li>
 *   <li>{@link #listSnapshotsFreshProcess}, <b>fresh process</b>: one listing per forked JVM, the first after
 *       starting the subject, so the code runs interpreted and loads its classes as a {@code memsnap list} does.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@State(Scope.Benchmark)
public class ListSnapshotsBenchmark {
    static final int MEMORIES = 10;
    static final int TURNS = 10;

    @Param({Subject.MEMSNAP, Subject.BASELINE, Subject.INCREMENTAL})
    public String impl;

    @Param({"10000"})
    public int snapshots;

    private Path dir;

    @Setup(Level.Trial)
    public void setUp() {
        dir = storeOf(impl, snapshots);
    }

    /** A subject started once for the whole trial, its listing checked once before the measured ones. */
    @State(Scope.Thread)
    public static class Warm {
        Subject subject;

        @Setup(Level.Trial)
        public void start(ListSnapshotsBenchmark benchmark) {
            subject = benchmark.startChecked();
        }

        @TearDown(Level.Trial)
        public void close() {
            subject.close();
        }
    }

    /** A subject started before each single-shot iteration and closed after it: its listing is its first. */
    @State(Scope.Thread)
    public static class Fresh {
        Subject subject;
        private ListSnapshotsBenchmark benchmark;

        @Setup(Level.Iteration)
        public void start(ListSnapshotsBenchmark benchmark) {
            this.benchmark = benchmark;
            subject = Subject.start(benchmark.impl, benchmark.dir);
        }

        @TearDown(Level.Iteration)
        public void close() {
            subject.close();
        }

        int listOnce() {
            int listed = subject.list();
            if (listed != benchmark.snapshots) {
                throw new IllegalStateException(benchmark.impl + " listed " + listed + " snapshots in "
                        + benchmark.dir + ", expected " + benchmark.snapshots);
            }
            return listed;
        }
    }

    private Subject startChecked() {
        Subject subject = Subject.start(impl, dir);
        int listed = subject.list();
        if (listed != snapshots) {
            subject.close();
            throw new IllegalStateException(impl + " listed " + listed + " snapshots in " + dir + ", expected "
                    + snapshots);
        }
        return subject;
    }

    @Benchmark
    public int listSnapshots(Warm warm) {
        return warm.subject.list();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 10)
    @Measurement(iterations = 30)
    public int listSnapshotsFreshStore(Fresh fresh) {
        return fresh.listOnce();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(value = 10, jvmArgsAppend = {"-Xmx12g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
    public int listSnapshotsFreshProcess(Fresh fresh) {
        return fresh.listOnce();
    }

    /**
     * @param impl      which implementation writes the store
     * @param snapshots how many snapshots it holds
     * @return the store's directory, built on first use
     */
    static Path storeOf(String impl, int snapshots) {
        String name = "list-v" + DataGenerator.VERSION + "-" + impl + "-" + snapshots + "x" + MEMORIES;
        Path dir = BenchEnv.root().resolve(name);
        Path complete = BenchEnv.root().resolve(name + ".complete");
        if (Files.exists(complete)) {
            return dir;
        }
        BenchEnv.deleteTree(dir);
        long started = System.nanoTime();
        try (Subject writer = Subject.start(impl, dir)) {
            DataGenerator generator = new DataGenerator();
            for (Turn turn : generator.turns(TURNS)) {
                writer.addTurn(turn.role(), turn.content());
            }
            for (int i = 0; i < MEMORIES; i++) {
                Memory m = generator.memory(i);
                writer.addMemory(m.content(), m.sourceType(), m.importance(), m.topics());
            }
            for (int i = 0; i < snapshots; i++) {
                String id = writer.createSnapshot();
                writer.save(id);
                writer.forget(id);
            }
        }
        BenchEnv.fact("list.build-seconds." + impl + "." + snapshots, (System.nanoTime() - started) / 1e9);
        try {
            Files.writeString(complete, "built\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
