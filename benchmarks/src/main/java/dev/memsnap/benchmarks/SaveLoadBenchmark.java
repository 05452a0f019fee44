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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code saveSnapshot} and {@code loadSnapshot} end to end, through the manager and the disk: a save writes a snapshot
 * created just before (outside the measurement) of the unchanged state, the way a host saves; a load reads back a
 * snapshot saved in setup. memsnap's file store writes atomically and fsyncs; the baseline writes without fsync, as
 * the seed did. The stored bytes of one snapshot are recorded as {@code saveload.bytes.<impl>.<size>}.
 *
 * <p>With the incremental store a save of an unchanged state writes little (that is its point), so this benchmark
 * measures full saves only with {@code memsnap} and {@code baseline}; the incremental store's bytes and times are in
 * the report's bytes-written measurement.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class SaveLoadBenchmark {

    /** Shared by both benchmarks: the subject on its state. */
    @State(Scope.Benchmark)
    public static class Fixture {
        @Param({Subject.MEMSNAP, Subject.BASELINE})
        public String impl;

        @Param({"1000", "10000", "100000", "1000000"})
        public int size;

        Subject subject;
        Object savedLocation;

        @Setup(Level.Trial)
        public void setUp() {
            subject = Subject.start(impl, BenchEnv.newDir("saveload"));
            subject.populate(BenchEnv.seedFile(size, 0));
            long before = BenchEnv.directorySize(subject.dir());
            String id = subject.createSnapshot();
            savedLocation = subject.save(id);
            BenchEnv.fact("saveload.bytes." + impl + "." + size, BenchEnv.directorySize(subject.dir()) - before);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Path dir = subject.dir();
            subject.close();
            BenchEnv.deleteTree(dir);
        }
    }

    /** A fresh snapshot for each save, and clean-up of what the saves wrote. */
    @State(Scope.Benchmark)
    public static class SaveState {
        String pending;
        final List<String> saved = new ArrayList<>();

        @Setup(Level.Invocation)
        public void createSnapshot(Fixture fixture) {
            pending = fixture.subject.createSnapshot();
        }

        @TearDown(Level.Invocation)
        public void forget(Fixture fixture) {
            fixture.subject.forget(pending);
            saved.add(pending);
        }

        @TearDown(Level.Iteration)
        public void deleteSaved(Fixture fixture) {
            // keep the one snapshot the load benchmark reads; delete the rest to bound disk use
            for (String id : saved) {
                deleteQuietly(fixture, id);
            }
            saved.clear();
        }

        private static void deleteQuietly(Fixture fixture, String id) {
            if (fixture.subject instanceof MemsnapSubject m) {
                m.store().delete(id);
            } else {
                try {
                    java.nio.file.Files.deleteIfExists(fixture.subject.dir().resolve(id + ".json"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    @Benchmark
    public Object saveSnapshot(Fixture fixture, SaveState state) {
        return fixture.subject.save(state.pending);
    }

    @Benchmark
    public String loadSnapshot(Fixture fixture) {
        return fixture.subject.load(fixture.savedLocation);
    }
}
