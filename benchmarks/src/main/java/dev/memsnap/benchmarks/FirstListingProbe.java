package dev.memsnap.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;

/**
 * A fresh process's first {@code listSnapshots}, as {@link ListSnapshotsBenchmark#listSnapshotsFreshProcess} takes
 * it (memsnap started on the directory, then one listing timed), printed as wall-clock time <em>and</em> the listing
 * thread's CPU time: on a machine whose cores are shared the wall clock mostly measures the wait for a core, while
 * the thread's CPU time is what the listing itself costs (the JIT's compiler threads are not in it). Then the
 * second listing, the same way. A plain program run by hand, one process per line of output (hand-run.md section 19):
 * <pre>
 * for i in $(seq 10); do java -cp memsnap-benchmarks.jar dev.memsnap.benchmarks.FirstListingProbe DIR; done
 * </pre>
 * {@code DIR} is a store {@link ListSnapshotsBenchmark} built (its scratch directory's {@code list-v1-memsnap-10000x10}),
 * listed once before by a started store so that its listing index is written and settled.
 */
public final class FirstListingProbe {
    private FirstListingProbe() {
    }

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadCpuTime(); // its own first call out of the figures
        try (MemsnapSubject subject = MemsnapSubject.start(Path.of(args[0]), false)) {
            long[] first = timed(threads, subject);
            long[] second = timed(threads, subject);
            System.out.printf("listed %d: first %.1f ms wall, %.1f ms cpu; second %.1f ms wall, %.1f ms cpu%n",
                    first[2], first[0] / 1e6, first[1] / 1e6, second[0] / 1e6, second[1] / 1e6);
        }
    }

    /** @return wall nanoseconds, this thread's CPU nanoseconds, and how many snapshots were listed */
    private static long[] timed(ThreadMXBean threads, MemsnapSubject subject) {
        long cpu = threads.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        int listed = subject.list();
        return new long[]{System.nanoTime() - wall, threads.getCurrentThreadCpuTime() - cpu, listed};
    }
}
