package dev.memsnap.benchmarks;

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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The latency of {@code addTurn} on a state of {@code size} memories, with automatic snapshots off or every
 * {@code auto} turns, sampled per call ({@link Mode#SampleTime}: the report reads p50, p99 and p99.9).
 *
 * <p>Pacing, outside the measurement: turns of a real conversation arrive seconds apart, so a background save
 * normally finishes before the next automatic snapshot is due. Before each turn that takes an automatic snapshot the
 * benchmark waits until no automatic save is queued or running; the turns in between run while the previous save is
 * still writing, so its interference is measured. (Without this, a tight loop outruns the disk and memsnap, by
 * design, skips saves and keeps those snapshots in memory.) The baseline saves on the turn's thread, so there is
 * nothing to wait for. Every {@value #RESET_EVERY} turns the state is reset to the starting snapshot (outside the
 * measurement) so the conversation stays a few hundred turns long; every iteration ends by deleting what was saved.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@State(Scope.Benchmark)
public class AutoSnapshotTurnBenchmark {
    static final int RESET_EVERY = 500;
    static final int WARM_CAPTURES = 20_000;
    static final int WARM_SECONDS = 5;
    /** System property that overrides {@link #WARM_CAPTURES} (the smoke test needs few). */
    static final String WARM_PROPERTY = "memsnap.bench.warm-captures";
    static final Duration SAVE_WAIT = Duration.ofMinutes(2);
    /** Which turn {@link #pausedTurn} times with automatic snapshots off. */
    static final int CONTROL_INTERVAL = 10;
    /** How long {@link #pausedTurn} pauses before it with automatic snapshots off: about a wait for a small save. */
    static final long CONTROL_PAUSE_MILLIS = 1;

    @Param({Subject.MEMSNAP, Subject.BASELINE, Subject.INCREMENTAL})
    public String impl;

    @Param({"1000", "10000", "100000", "1000000"})
    public int size;

    /** {@code off}, or turns between automatic snapshots. */
    @Param({"off", "10"})
    public String auto;

    private Subject subject;
    private String startId;
    private List<Turn> conversation;
    private int interval;
    private long turn;
    private int sinceReset;
    private long waits;
    private long waitedNanos;
    private long lateSaves;

    @Setup(Level.Trial)
    public void setUp() {
        subject = Subject.start(impl, BenchEnv.newDir("turns"));
        subject.populate(BenchEnv.seedFile(size, 0));
        startId = subject.createSnapshot();
        warmCapture();
        conversation = new DataGenerator(99).turns(1_000);
        interval = auto.equals("off") ? 0 : Integer.parseInt(auto);
        if (interval > 0) {
            subject.enableAutoSnapshot(interval);
        }
    }

    /**
     * Paced turns take few automatic snapshots (one per background save), too few for the JIT to compile the capture
     * path, so it is warmed here with up to {@value #WARM_CAPTURES} {@code createSnapshot} calls (at most
     * {@value #WARM_SECONDS} s, and while the heap is under a quarter full), as a long-running host's would be.
     */
    private void warmCapture() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARM_SECONDS);
        int n = 0;
        int captures = Integer.getInteger(WARM_PROPERTY, WARM_CAPTURES);
        while (n < captures && System.nanoTime() < deadline
                && BenchEnv.heapUsed() < BenchEnv.heapMax() / 4) {
            subject.forget(subject.createSnapshot());
            n++;
        }
        BenchEnv.fact("turns.warm-captures." + impl + "." + size + "." + auto, n);
    }

    @Setup(Level.Invocation)
    public void pace(BenchmarkParams params) throws InterruptedException {
        if (params.getBenchmark().endsWith(".pausedTurn")) {
            int every = interval > 0 ? interval : CONTROL_INTERVAL;
            while ((turn + 1) % every != 0) {
                addTurn(); // untimed: only the turn after the pause is measured
            }
            if (interval == 0) {
                Thread.sleep(CONTROL_PAUSE_MILLIS); // the control: a pause like the wait for a save, no snapshot
            }
        }
        if (sinceReset >= RESET_EVERY) {
            idle();
            subject.apply(startId);
            sinceReset = 0;
        }
        if (interval > 0 && (turn + 1) % interval == 0 && subject.pendingAutomaticSaves() > 0) {
            long started = System.nanoTime();
            waits++;
            if (!subject.awaitIdle(SAVE_WAIT)) {
                lateSaves++;
            }
            waitedNanos += System.nanoTime() - started;
        }
    }

    @Benchmark
    public void addTurn() {
        Turn t = conversation.get((int) (turn++ % conversation.size()));
        sinceReset++;
        subject.addTurn(t.role(), t.content());
    }

    /**
     * Times only the turn that takes the automatic snapshot (every {@code auto}-th), after the pacing's wait for the
     * previous save; the turns between run untimed in set-up. With {@code auto=off} it is the control: every
     * {@value #CONTROL_INTERVAL}th turn, after a {@value #CONTROL_PAUSE_MILLIS} ms sleep, takes no snapshot. Set
     * against {@link #addTurn} it tells what a snapshot turn costs by itself from what the turns around it pay while
     * the save runs, and from what a pause alone costs a turn (caches gone cold while the thread slept).
     */
    @Benchmark
    public void pausedTurn() {
        addTurn();
    }

    @TearDown(Level.Iteration)
    public void deleteSaved() {
        idle();
        subject.deleteStored();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long[] counters = subject.automaticCounters();
        String key = "turns." + impl + "." + size + "." + auto;
        BenchEnv.fact(key + ".turns", turn);
        BenchEnv.fact(key + ".automatic", counters[0]);
        BenchEnv.fact(key + ".saved", counters[1]);
        BenchEnv.fact(key + ".skipped", counters[2]);
        BenchEnv.fact(key + ".failed", counters[3]);
        BenchEnv.fact(key + ".waits", waits);
        BenchEnv.fact(key + ".waited-seconds", waitedNanos / 1e9);
        BenchEnv.fact(key + ".late-saves", lateSaves);
        BenchEnv.fact("store." + impl, subject.storeDescription());
        Path dir = subject.dir();
        subject.close();
        BenchEnv.deleteTree(dir);
    }

    private void idle() {
        if (!subject.awaitIdle(SAVE_WAIT)) {
            lateSaves++;
        }
    }
}
