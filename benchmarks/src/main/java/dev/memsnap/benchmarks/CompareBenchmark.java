package dev.memsnap.benchmarks;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.core.compare.SnapshotComparator;
import dev.memsnap.core.format.SnapshotJson;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Compares two snapshots of {@code size} memories that differ by {@value #CHANGED} memories. memsnap:
 * {@link SnapshotComparator#compare}; baseline: memory maps matched by id and compared whole, turns position by
 * position. Two ways to get the pair ({@code pair}):
 * <ul>
 *   <li>{@code loaded}: both read from their JSON documents, so they share nothing (as when comparing two stored
 *       snapshots); 50 memories modified, 25 removed and 25 added, spread over the state;</li>
 *   <li>{@code taken}: both taken by the manager of one live memory, before and after 100 {@code addMemory} calls
 *       (the only edit the public API offers), so they share whatever the implementation shares.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@State(Scope.Benchmark)
public class CompareBenchmark {
    static final int CHANGED = 100;

    @Param({Subject.MEMSNAP, Subject.BASELINE})
    public String impl;

    @Param({"1000", "10000", "100000", "1000000"})
    public int size;

    @Param({"loaded", "taken"})
    public String pair;

    private MemorySnapshot before;
    private MemorySnapshot after;
    private Map<String, Object> beforeMaps;
    private Map<String, Object> afterMaps;

    @Setup(Level.Trial)
    public void setUp() {
        if (!impl.equals(Subject.MEMSNAP) && !impl.equals(Subject.BASELINE)) {
            throw new IllegalArgumentException("compare has no " + impl + " variant");
        }
        if (pair.equals("loaded")) {
            loaded();
        } else {
            taken();
        }
    }

    private void loaded() {
        DataGenerator generator = new DataGenerator();
        MemorySnapshot a = generator.snapshot(size, DataGenerator.DEFAULT_TURNS);
        MemorySnapshot b = generator.withChanges(a, CHANGED, false);
        if (impl.equals(Subject.BASELINE)) {
            NaiveMemoryManager naive = new NaiveMemoryManager(null);
            beforeMaps = naive.read(naive.toBytes(NaiveMemoryManager.toMaps(a)));
            afterMaps = naive.read(naive.toBytes(NaiveMemoryManager.toMaps(b)));
        } else {
            SnapshotJson json = new SnapshotJson();
            before = json.read(json.toBytes(a), "before");
            after = json.read(json.toBytes(b), "after");
        }
    }

    private void taken() {
        Path dir = BenchEnv.newDir("compare");
        try (Subject subject = Subject.start(impl, dir)) {
            subject.populate(BenchEnv.seedFile(size, 0));
            String a = subject.createSnapshot();
            DataGenerator generator = new DataGenerator();
            for (int i = 0; i < CHANGED; i++) {
                Memory m = generator.memory(size + i);
                subject.addMemory(m.content(), m.sourceType(), m.importance(), m.topics());
            }
            String b = subject.createSnapshot();
            if (subject instanceof MemsnapSubject memsnap) {
                before = memsnap.manager().getSnapshot(a).orElseThrow();
                after = memsnap.manager().getSnapshot(b).orElseThrow();
            } else {
                NaiveMemoryManager naive = ((BaselineSubject) subject).manager();
                beforeMaps = naive.snapshot(a);
                afterMaps = naive.snapshot(b);
            }
        } finally {
            BenchEnv.deleteTree(dir);
        }
    }

    @Benchmark
    public Object compare() {
        return before != null ? SnapshotComparator.compare(before, after)
                : NaiveMemoryManager.compare(beforeMaps, afterMaps);
    }
}
