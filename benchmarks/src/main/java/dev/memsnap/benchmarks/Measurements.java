package dev.memsnap.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.format.SnapshotJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measurements that are not timings, so not JMH: bytes written per snapshot, and heap held by snapshots. Each
 * runs in its own JVM when the report runs it ({@link #main}), so one measurement's heap does not disturb the next.
 */
public final class Measurements {
    /** Prefix of the line {@link #main} prints its result on. */
    public static final String RESULT_PREFIX = "RESULT ";
    /** Memories changed, and added, between the saves of {@link #bytesWritten}. */
    public static final int CHANGES = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Measurements() {
    }

    /**
     * {@code bytes <impl> <size>}, {@code heap <impl> <size> <snapshots>}, {@code stores <store> <size> <cpu rounds>
     * <growth snapshots>}, {@code listing[-build] <impl> <snapshots>} or {@code loadheap <size>} (the last three:
     * {@link TargetMeasurements}): runs one measurement and prints its
     * result as one JSON line after {@value #RESULT_PREFIX}.
     *
     * @param args the measurement and its parameters
     * @throws IOException when the result cannot be printed
     */
    public static void main(String[] args) throws IOException {
        Map<String, Object> result = switch (args[0]) {
            case "bytes" -> bytesWritten(args[1], Integer.parseInt(args[2]));
            case "heap" -> heapHeld(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "stores" -> TargetMeasurements.stores(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            case "listing" -> TargetMeasurements.listing(args[1], Integer.parseInt(args[2]), false);
            case "listing-build" -> TargetMeasurements.listing(args[1], Integer.parseInt(args[2]), true);
            case "loadheap" -> TargetMeasurements.loadHeap(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("unknown measurement " + args[0]);
        };
        System.out.println(RESULT_PREFIX + JSON.writeValueAsString(result));
        System.out.flush();
        System.exit(0); // do not wait for anything a subject left running
    }

    /**
     * Bytes a store adds to its directory for each save (every file, hidden ones included), in this order on a state
     * of {@code size} memories and 300 turns: a full save of the state; a save after {@value #CHANGES} memories were
     * modified (the changed state is loaded from a file and applied: the public API has no call that edits a memory);
     * a save after {@value #CHANGES} memories were added with {@code addMemory}; a save with nothing changed.
     *
     * @param impl {@link Subject#MEMSNAP}, {@link Subject#INCREMENTAL} or {@link Subject#BASELINE}
     * @param size memories
     * @return bytes and milliseconds of each save, and the store
     */
    public static Map<String, Object> bytesWritten(String impl, int size) {
        Path base = BenchEnv.seedFile(size, 0);
        Path changed = BenchEnv.seedFile(size, CHANGES);
        Path dir = BenchEnv.newDir("bytes");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("impl", impl);
        result.put("size", size);
        try (Subject subject = Subject.start(impl, dir)) {
            result.put("store", subject.storeDescription());
            subject.populate(base);
            save(subject, result, "full");
            subject.populate(changed);
            save(subject, result, "changed");
            DataGenerator generator = new DataGenerator();
            for (int i = 0; i < CHANGES; i++) {
                Memory m = generator.memory(size + i);
                subject.addMemory(m.content(), m.sourceType(), m.importance(), m.topics());
            }
            save(subject, result, "added");
            save(subject, result, "unchanged");
        } finally {
            BenchEnv.deleteTree(dir);
        }
        return result;
    }

    private static void save(Subject subject, Map<String, Object> result, String name) {
        long before = BenchEnv.directorySize(subject.dir());
        long started = System.nanoTime();
        String id = subject.createSnapshot();
        subject.save(id);
        double millis = (System.nanoTime() - started) / 1e6;
        result.put(name + "_bytes", BenchEnv.directorySize(subject.dir()) - before);
        result.put(name + "_ms", Math.round(millis * 10) / 10.0);
        subject.forget(id);
    }

    /**
     * Heap held by {@code snapshots} snapshots of one state of {@code size} memories, against the state alone. The
     * state is put in place without a held copy: memsnap saves it to its store and applies it from there (a snapshot
     * read from the store is not held); the baseline loads it, applies it and drops the loaded copy. Heap is measured
     * as the heap in use after repeated full collections.
     *
     * @param impl      {@link Subject#MEMSNAP} or {@link Subject#BASELINE}
     * @param size      memories
     * @param snapshots snapshots to create
     * @return heap before, with the state, and with the snapshots, in bytes, and the ratio
     */
    public static Map<String, Object> heapHeld(String impl, int size, int snapshots) {
        Path seed = BenchEnv.seedFile(size, 0);
        Path dir = BenchEnv.newDir("heap");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("impl", impl);
        result.put("size", size);
        result.put("snapshots", snapshots);
        try (Subject subject = Subject.start(impl, dir)) {
            result.put("store", subject.storeDescription());
            long empty = BenchEnv.liveHeapAfterGc();
            putStateWithoutHeldCopy(subject, seed);
            long withState = BenchEnv.liveHeapAfterGc();
            List<String> ids = new ArrayList<>(snapshots);
            long started = System.nanoTime();
            for (int i = 0; i < snapshots; i++) {
                ids.add(subject.createSnapshot());
            }
            double createMillis = (System.nanoTime() - started) / 1e6;
            long withSnapshots = BenchEnv.liveHeapAfterGc();
            long state = withState - empty;
            result.put("empty_bytes", empty);
            result.put("state_bytes", state);
            result.put("with_snapshots_bytes", withSnapshots - empty);
            result.put("per_snapshot_bytes", (withSnapshots - withState) / Math.max(1, snapshots));
            result.put("ratio", state <= 0 ? null : (double) (withSnapshots - empty) / state);
            result.put("create_ms_total", Math.round(createMillis));
            result.put("held", ids.size());
        } finally {
            BenchEnv.deleteTree(dir);
        }
        return result;
    }

    private static void putStateWithoutHeldCopy(Subject subject, Path seed) {
        if (subject instanceof MemsnapSubject memsnap) {
            String id = saveToStore(memsnap.store(), seed);
            if (!memsnap.apply(id)) {
                throw new IllegalStateException("the store did not return " + id);
            }
        } else if (subject instanceof BaselineSubject baseline) {
            String id = baseline.manager().loadSnapshot(seed);
            baseline.manager().applySnapshot(id);
            baseline.manager().forget(id);
        } else {
            throw new IllegalArgumentException("no heap measurement for " + subject);
        }
    }

    private static String saveToStore(SnapshotStore store, Path seed) {
        MemorySnapshot snapshot;
        try {
            snapshot = new SnapshotJson().read(Files.readAllBytes(seed), seed.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        store.save(snapshot);
        return snapshot.snapshotId();
    }
}
