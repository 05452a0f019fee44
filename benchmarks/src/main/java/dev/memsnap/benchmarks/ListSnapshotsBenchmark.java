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
 * once, with its own save path, in the scratch directory; later forks reuse it. The listing runs on a freshly started
 * subject, so nothing is held in memory and everything comes from the store.
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

    private Subject subject;

    @Setup(Level.Trial)
    public void setUp() {
        Path dir = storeOf(impl, snapshots);
        subject = Subject.start(impl, dir);
        int listed = subject.list();
        if (listed != snapshots) {
            throw new IllegalStateException(impl + " listed " + listed + " snapshots in " + dir + ", expected "
                    + snapshots);
        }
    }

    @Benchmark
    public int listSnapshots() {
        return subject.list();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        subject.close();
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
