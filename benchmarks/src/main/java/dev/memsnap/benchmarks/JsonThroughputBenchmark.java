package dev.memsnap.benchmarks;

import dev.memsnap.api.MemorySnapshot;
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

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Full-JSON save and load throughput of the format alone, no disk: memsnap's {@link SnapshotJson} writing a snapshot
 * to a byte sink and reading (and validating) it from bytes, against the baseline's Jackson {@code writeValue} of maps
 * and {@code readValue} into maps, and issue #17's peer, plain Jackson databind into records ({@link JacksonRecords}),
 * in the same JMH run. The trial records the document's size as the fact
 * {@code json.bytes.<impl>.<size>}; the report divides it by the time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@State(Scope.Benchmark)
public class JsonThroughputBenchmark {
    /** The Jackson-databind-into-records peer of issue #17 ({@link JacksonRecords}). */
    public static final String JACKSON = "jackson";

    @Param({Subject.MEMSNAP, JACKSON, Subject.BASELINE})
    public String impl;

    @Param({"1000", "10000", "100000", "1000000"})
    public int size;

    private final SnapshotJson json = new SnapshotJson();
    private final NaiveMemoryManager naive = new NaiveMemoryManager(null);
    private MemorySnapshot snapshot;
    private Map<String, Object> maps;
    private final JacksonRecords jackson = new JacksonRecords();
    private JacksonRecords.Snapshot records;
    private byte[] bytes;
    private final CountingSink sink = new CountingSink();

    @Setup(Level.Trial)
    public void setUp() {
        snapshot = new DataGenerator().snapshot(size, DataGenerator.DEFAULT_TURNS);
        if (impl.equals(Subject.BASELINE)) {
            maps = NaiveMemoryManager.toMaps(snapshot);
            snapshot = null;
            bytes = naive.toBytes(maps);
        } else if (impl.equals(JACKSON)) {
            // the same document memsnap writes, bound into plain records
            records = jackson.read(json.toBytes(json.read(json.toBytes(snapshot), "generated")));
            snapshot = null;
            bytes = jackson.toBytes(records);
        } else if (impl.equals(Subject.MEMSNAP)) {
            // write what memsnap itself holds: a snapshot as its reader builds it, not the generator's maps
            snapshot = json.read(json.toBytes(snapshot), "generated");
            bytes = json.toBytes(snapshot);
        } else {
            throw new IllegalArgumentException("the JSON format has no " + impl + " variant");
        }
        BenchEnv.fact("json.bytes." + impl + "." + size, bytes.length);
    }

    @Benchmark
    public long write() throws IOException {
        sink.count = 0;
        if (maps != null) {
            naive.write(maps, sink);
        } else if (records != null) {
            jackson.write(records, sink);
        } else {
            json.write(snapshot, sink);
        }
        return sink.count;
    }

    @Benchmark
    public Object read() {
        if (records != null) {
            return jackson.read(bytes);
        }
        return maps != null ? naive.read(bytes) : json.read(bytes, "benchmark");
    }

    /** Counts bytes and drops them. */
    static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
