package dev.memsnap.benchmarks;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Memory ids at scale, as a plain program (the figures go into {@code docs/benchmarks.md} by hand):
 * <ol>
 *   <li>{@code eviction}: 100,000 memory ids touched once each with {@code max_live_memories: 1000}: the heap after
 *       a full GC at every 10,000, then every memory read back and compared with what it was told;</li>
 *   <li>{@code listing}: 10,000 memories with 10 snapshots each in the file store: listing one memory against
 *       listing all.</li>
 * </ol>
 * <pre>java -cp benchmarks/target/memsnap-benchmarks.jar dev.memsnap.benchmarks.MemoryIdsBenchmark eviction 100000</pre>
 */
public final class MemoryIdsBenchmark {
    private MemoryIdsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "eviction";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Path dir = Files.createTempDirectory("memsnap-ids-");
        if (what.equals("eviction")) {
            eviction(dir, n);
        } else {
            listing(dir, n, 10);
        }
    }

    private static Memsnap start(Path dir, String extra) {
        return Memsnap.start(ConfigFile.parse("bench", "memory:\n  snapshot_dir: " + dir + "\n" + extra));
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }

    private static void eviction(Path dir, int n) throws Exception {
        long t0 = System.nanoTime();
        try (Memsnap memsnap = start(dir, "  max_live_memories: 1000\n  resume: latest\n")) {
            MemoryManagers memories = memsnap.memories();
            System.out.printf("heap before: %.1f MB%n", usedHeapAfterGc() / 1e6);
            for (int i = 0; i < n; i++) {
                EnhancedMemoryManager m = memories.get("user-" + i + "@example.com");
                m.addTurn("user", "Hello, I am user number " + i + " and I like benchmarks.");
                m.addTurn("assistant", "Nice to meet you, user " + i + ".");
                m.addMemory("User " + i + " likes benchmarks", "preference", 0.5, List.of("hobby", "u" + i % 97));
                if ((i + 1) % 10_000 == 0) {
                    System.out.printf("%,d memories touched: heap %.1f MB after GC, %.1f s%n", i + 1,
                            usedHeapAfterGc() / 1e6, (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        System.out.printf("all saved and stopped after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        long t1 = System.nanoTime();
        int wrong = 0;
        try (Memsnap again = start(dir, "  max_live_memories: 1000\n  resume: latest\n")) {
            for (int i = 0; i < n; i++) {
                EnhancedMemoryManager m = again.memories().get("user-" + i + "@example.com");
                List<Turn> turns = m.turns();
                boolean exact = turns.size() == 2
                        && turns.get(0).content().equals("Hello, I am user number " + i + " and I like benchmarks.")
                        && m.memories().size() == 1
                        && m.memories().values().iterator().next().content().equals("User " + i + " likes benchmarks");
                if (!exact) {
                    wrong++;
                }
            }
            System.out.printf("resumed %,d memories in %.1f s: %d not exact; heap %.1f MB after GC%n", n,
                    (System.nanoTime() - t1) / 1e9, wrong, usedHeapAfterGc() / 1e6);
        }
    }

    private static void listing(Path dir, int memoriesCount, int perMemory) throws Exception {
        try (Memsnap memsnap = start(dir, "")) {
            long t0 = System.nanoTime();
            for (int i = 0; i < memoriesCount; i++) {
                EnhancedMemoryManager m = memsnap.memories().get("user-" + i);
                for (int s = 0; s < perMemory; s++) {
                    m.addTurn("user", "turn " + s);
                    m.saveSnapshot(m.createSnapshot());
                }
                memsnap.memories().forget("user-" + i, false); // keep the heap small while filling
            }
            System.out.printf("stored %,d snapshots in %.1f s%n", memoriesCount * perMemory,
                    (System.nanoTime() - t0) / 1e9);
        }
        try (Memsnap memsnap = start(dir, "")) {
            SnapshotStore store = memsnap.store();
            time("list(one memory), fresh process", 1, () -> store.list("user-4242"));
            double one = time("list(one memory), warm", 50, () -> store.list("user-" + (int) (Math.random() * 9999)));
            double all = time("list() of all memories", 3, store::list);
            System.out.printf("one memory / all: %.5f%n", one / all);
        }
    }

    private static double time(String what, int runs, java.util.function.Supplier<List<SnapshotMetadata>> list) {
        double[] ms = new double[runs];
        int size = 0;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            size = list.get().size();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        double median = ms[runs / 2];
        System.out.printf("%s: median %.2f ms over %d runs (%,d snapshots listed)%n", what, median, runs, size);
        return median;
    }
}
