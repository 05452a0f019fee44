package dev.memsnap.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.memsnap.api.Memory;
import dev.memsnap.api.Turn;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measurements of issue #17's targets that are not JMH timings, each run in a JVM of its own by the report
 * ({@link Measurements#main}): what a store writes and holds ({@link #stores}), the first and the warm listing
 * ({@link #listing}) and the peak heap of a load ({@link #loadHeap}). Everything goes through memsnap's public API and
 * its configuration; bytes are measured from outside the store ({@link StoreUnderTest}).
 */
public final class TargetMeasurements {
    /** Memories changed before each measured save. */
    public static final int CHANGES = 100;
    /** Turns between automatic snapshots. */
    public static final int AUTO_INTERVAL = 10;
    /** Memories added before each automatic snapshot of the growth measurement: a slowly growing memory. */
    public static final int GROWTH_MEMORIES = 10;
    static final Duration SAVE_WAIT = Duration.ofMinutes(5);

    private TargetMeasurements() {
    }

    /**
     * The {@code changes} memories of round {@code round} on a state of {@code size} memories: spread evenly over the
     * state (one every {@code size / changes}), each replaced by a new version of itself, under its own key.
     *
     * @param size    memories in the state
     * @param changes how many to change
     * @param round   1, 2, ...: which version (and a shift of the positions, so rounds touch different memories)
     * @return the changed memories by key
     */
    public static Map<String, Memory> scatteredChanges(int size, int changes, int round) {
        DataGenerator generator = new DataGenerator();
        Map<String, Memory> changed = new LinkedHashMap<>();
        int step = Math.max(1, size / changes);
        for (int k = 0; k < changes && k < size; k++) {
            int index = (k * step + round * 7) % size;
            changed.put("memory_" + (index + 1), generator.changedMemory(index, round));
        }
        return changed;
    }

    /**
     * On one store, in order, on a state of {@code size} memories and 300 turns:
     * <ol>
     *   <li>a full save (explicit), the "full size";</li>
     *   <li>an automatic save after {@value #CHANGES} scattered changes ({@code putMemories} of new versions, then
     *       turns until an automatic snapshot is taken, then waiting until it is saved): bytes added;</li>
     *   <li>{@code cpuRounds} explicit saves, each after {@value #CHANGES} other scattered changes: wall time, the
     *       saving thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime}) and the process's CPU time (every
     *       thread: GC, JIT and any thread the store uses);</li>
     *   <li>{@code growth} automatic snapshots of a slowly growing memory (each after {@value #GROWTH_MEMORIES}
     *       {@code addMemory} calls and {@value #AUTO_INTERVAL} turns), each waited for: storage added.</li>
     * </ol>
     *
     * @param store     {@link StoreUnderTest#FILE}, {@link StoreUnderTest#INCREMENTAL} or
     *                  {@link StoreUnderTest#POSTGRES}
     * @param size      memories
     * @param cpuRounds explicit saves after changes to time
     * @param growth    automatic snapshots of the growth measurement, 0 for none
     * @return the figures
     */
    public static Map<String, Object> stores(String store, int size, int cpuRounds, int growth) {
        Path seed = BenchEnv.seedFile(size, 0);
        Path dir = BenchEnv.newDir("stores-" + store);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("impl", store);
        result.put("size", size);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (StoreUnderTest s = StoreUnderTest.start(store, dir)) {
            MemsnapSubject subject = s.subject();
            result.put("store", subject.storeDescription());
            subject.populate(seed);
            List<Turn> conversation = new DataGenerator(77).turns(2_000);
            int[] turn = {0};

            long before = s.storedBytes();
            String wal = s.walPosition();
            long started = System.nanoTime();
            subject.save(subject.createSnapshot());
            result.put("full_ms", millis(System.nanoTime() - started));
            result.put("full_bytes", s.storedBytes() - before);
            result.put("full_wal_bytes", s.walSince(wal));

            subject.enableAutoSnapshot(AUTO_INTERVAL);
            subject.manager().putMemories(scatteredChanges(size, CHANGES, 1));
            before = s.storedBytes();
            wal = s.walPosition();
            started = System.nanoTime();
            automaticSnapshot(subject, conversation, turn);
            result.put("auto_changed_ms", millis(System.nanoTime() - started));
            result.put("auto_changed_bytes", s.storedBytes() - before);
            result.put("auto_changed_wal_bytes", s.walSince(wal));

            subject.manager().disableAutoSnapshot();
            List<Double> wall = new ArrayList<>();
            List<Double> threadCpu = new ArrayList<>();
            List<Double> processCpu = new ArrayList<>();
            List<Long> bytes = new ArrayList<>();
            for (int round = 2; round < 2 + cpuRounds; round++) {
                subject.manager().putMemories(scatteredChanges(size, CHANGES, round));
                String id = subject.createSnapshot();
                before = s.storedBytes();
                long process0 = processCpuNanos();
                long thread0 = threads.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                subject.save(id);
                long wall1 = System.nanoTime();
                long thread1 = threads.getCurrentThreadCpuTime();
                long process1 = processCpuNanos();
                wall.add(millis(wall1 - wall0));
                threadCpu.add(millis(thread1 - thread0));
                processCpu.add(process0 < 0 ? Double.NaN : millis(process1 - process0));
                bytes.add(s.storedBytes() - before);
            }
            result.put("save_wall_ms", wall);
            result.put("save_thread_cpu_ms", threadCpu);
            result.put("save_process_cpu_ms", processCpu);
            result.put("save_bytes", bytes);

            if (growth > 0) {
                subject.enableAutoSnapshot(AUTO_INTERVAL);
                DataGenerator generator = new DataGenerator();
                before = s.storedBytes();
                wal = s.walPosition();
                started = System.nanoTime();
                int next = size;
                for (int i = 0; i < growth; i++) {
                    for (int m = 0; m < GROWTH_MEMORIES; m++) {
                        Memory memory = generator.memory(next++);
                        subject.addMemory(memory.content(), memory.sourceType(), memory.importance(),
                                memory.topics());
                    }
                    automaticSnapshot(subject, conversation, turn);
                }
                result.put("growth_snapshots", growth);
                result.put("growth_memories_added", next - size);
                result.put("growth_seconds", millis(System.nanoTime() - started) / 1000);
                result.put("growth_bytes", s.storedBytes() - before);
                result.put("growth_wal_bytes", s.walSince(wal));
            }
            long[] counters = subject.automaticCounters();
            result.put("automatic", counters[0]);
            result.put("automatic_saved", counters[1]);
            result.put("automatic_skipped", counters[2]);
            result.put("automatic_failed", counters[3]);
        } catch (IllegalStateException e) {
            result.put("error", String.valueOf(e.getMessage()));
        } finally {
            BenchEnv.deleteTree(dir);
        }
        return result;
    }

    /** Adds turns until the manager takes an automatic snapshot, then waits until it is saved. */
    private static void automaticSnapshot(MemsnapSubject subject, List<Turn> conversation, int[] turn) {
        long taken = subject.automaticCounters()[0];
        for (int i = 0; i < 4 * AUTO_INTERVAL && subject.automaticCounters()[0] == taken; i++) {
            Turn t = conversation.get(turn[0]++ % conversation.size());
            subject.addTurn(t.role(), t.content());
        }
        if (subject.automaticCounters()[0] == taken) {
            throw new IllegalStateException("no automatic snapshot after " + 4 * AUTO_INTERVAL + " turns");
        }
        if (!subject.awaitIdle(SAVE_WAIT)) {
            throw new IllegalStateException("the automatic save did not finish in " + SAVE_WAIT);
        }
    }

    /**
     * Listing {@code snapshots} stored snapshots (the store {@link ListSnapshotsBenchmark} builds, built by an earlier
     * call with {@code build}): the first {@code listSnapshots} of this fresh process (JVM, memsnap and store
     * started for it), then the first listing of 5 more fresh instances on the same directory in this now warm JVM,
     * then 30 listings of one instance (warm).
     *
     * @param impl      {@link Subject#MEMSNAP} (the file store) or {@link Subject#INCREMENTAL}
     * @param snapshots stored snapshots
     * @param build     only build the store (untimed) and return
     * @return milliseconds
     */
    public static Map<String, Object> listing(String impl, int snapshots, boolean build) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("impl", impl);
        result.put("size", snapshots);
        Path dir = ListSnapshotsBenchmark.storeOf(impl, snapshots);
        if (build) {
            result.put("built", true);
            return result;
        }
        long t0 = System.nanoTime();
        Subject first = Subject.start(impl, dir);
        long t1 = System.nanoTime();
        int listed = first.list();
        long t2 = System.nanoTime();
        first.close();
        if (listed != snapshots) {
            result.put("error", "listed " + listed + " of " + snapshots);
            return result;
        }
        result.put("start_ms", millis(t1 - t0));
        result.put("fresh_process_ms", millis(t2 - t1));
        List<Double> freshInstance = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            try (Subject again = Subject.start(impl, dir)) {
                long a = System.nanoTime();
                again.list();
                freshInstance.add(millis(System.nanoTime() - a));
            }
        }
        result.put("fresh_instance_ms", freshInstance);
        List<Double> warm = new ArrayList<>();
        try (Subject one = Subject.start(impl, dir)) {
            one.list();
            for (int i = 0; i < 30; i++) {
                long a = System.nanoTime();
                one.list();
                warm.add(millis(System.nanoTime() - a));
            }
        }
        result.put("warm_ms", warm);
        return result;
    }

    /**
     * Peak heap of {@code loadSnapshot} of a {@code size}-memory snapshot file (then applying it), against the heap
     * the state holds. In order: memsnap started (file store) and heap in use after repeated full collections (the
     * base); while the load and apply run, the heap in use just before every collection (GC notifications, summed over
     * the heap pools: the heap's local maxima) and sampled every millisecond by a thread; after them, live heap after
     * full collections minus the base: the state. Peak = the largest of those minus the base. Also the largest
     * occupancy after a collection during the load (live data at that moment, a lower bound of what the load needs).
     *
     * @param size memories
     * @return bytes, and the ratios
     */
    public static Map<String, Object> loadHeap(int size) {
        Path seed = BenchEnv.seedFile(size, 0);
        Path dir = BenchEnv.newDir("loadheap");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("impl", Subject.MEMSNAP);
        result.put("size", size);
        result.put("file_bytes", seed.toFile().length());
        try (MemsnapSubject subject = MemsnapSubject.start(dir, false)) {
            long base = BenchEnv.liveHeapAfterGc();
            try (HeapPeaks peaks = HeapPeaks.start()) {
                long started = System.nanoTime();
                String id = subject.manager().loadSnapshot(seed);
                if (!subject.apply(id)) {
                    throw new IllegalStateException("could not apply " + id);
                }
                result.put("load_ms", millis(System.nanoTime() - started));
                peaks.sample();
                result.put("peak_used_bytes", peaks.peakUsed() - base);
                result.put("peak_after_gc_bytes", Math.max(0, peaks.peakAfterGc() - base));
                result.put("collections", peaks.collections());
            }
            long state = BenchEnv.liveHeapAfterGc() - base;
            result.put("base_bytes", base);
            result.put("state_bytes", state);
            result.put("ratio", state <= 0 ? null : ((Number) result.get("peak_used_bytes")).doubleValue() / state);
            result.put("ratio_after_gc", state <= 0 ? null
                    : ((Number) result.get("peak_after_gc_bytes")).doubleValue() / state);
            result.put("max_heap_bytes", BenchEnv.heapMax());
        } finally {
            BenchEnv.deleteTree(dir);
        }
        return result;
    }

    /** Heap in use at its local maxima (before each collection) and sampled, while open. */
    static final class HeapPeaks implements AutoCloseable {
        private final AtomicLong peakUsed = new AtomicLong();
        private final AtomicLong peakAfterGc = new AtomicLong();
        private final AtomicLong collections = new AtomicLong();
        private final Set<String> heapPools = new HashSet<>();
        private final List<NotificationEmitter> emitters = new ArrayList<>();
        private final NotificationListener listener = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            peakUsed.accumulateAndGet(heapSum(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
            peakAfterGc.accumulateAndGet(heapSum(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
            collections.incrementAndGet();
        };
        private final Thread sampler;
        private volatile boolean running = true;

        private HeapPeaks() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(listener, null, null);
                    emitters.add(emitter);
                }
            }
            sampler = new Thread(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-peak-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        static HeapPeaks start() {
            return new HeapPeaks();
        }

        void sample() {
            peakUsed.accumulateAndGet(BenchEnv.heapUsed(), Math::max);
        }

        private long heapSum(Map<String, MemoryUsage> usage) {
            long sum = 0;
            for (Map.Entry<String, MemoryUsage> e : usage.entrySet()) {
                if (heapPools.contains(e.getKey())) {
                    sum += e.getValue().getUsed();
                }
            }
            return sum;
        }

        long peakUsed() {
            return peakUsed.get();
        }

        long peakAfterGc() {
            return peakAfterGc.get();
        }

        long collections() {
            return collections.get();
        }

        @Override
        public void close() {
            running = false;
            sampler.interrupt();
            for (NotificationEmitter emitter : emitters) {
                try {
                    emitter.removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException ignored) {
                    // gone
                }
            }
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
