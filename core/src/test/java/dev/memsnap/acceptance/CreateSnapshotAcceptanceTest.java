package dev.memsnap.acceptance;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.api.memory.LongTermMemory;
import dev.memsnap.api.memory.ShortTermMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code createSnapshot} captures short- and long-term memory at one instant, even while other threads add turns,
 * and the snapshot never changes afterwards.
 */
class CreateSnapshotAcceptanceTest {

    private static final int WRITERS = 4;
    private static final int SNAPSHOTS = 100;
    /** Writers run at most this many pairs ahead per snapshot started, so every snapshot overlaps writing. */
    private static final int PAIRS_PER_SNAPSHOT = 40;
    private static final int MAX_PAIRS_PER_WRITER = (SNAPSHOTS + 2) * PAIRS_PER_SNAPSHOT;

    @TempDir
    Path tmp;

    /**
     * Invariant: every writer thread {@code w} does, for i = 0, 1, 2, ...: {@code addTurn("w<w>", "w<w>-<i>")} then
     * {@code addMemory("w<w>-<i>", "w<w>", ...)}. At any single instant, for each writer, the turns it added are
     * exactly {@code 0..t-1} in order and the memories exactly {@code 0..m-1} in order, with {@code t == m} or
     * {@code t == m + 1}. A snapshot that read short-term memory at one instant and long-term memory at another
     * breaks this in one direction or the other ({@code m > t} or {@code t > m + 1}).
     */
    @Test
    void snapshotsTakenWhileWritersRunAreNeverTorn() throws Exception {
        checkNoTornSnapshots(Acceptance.manager(tmp));
    }

    /**
     * The same with memory backends (bound through the SPI, as a host would) that are slow to read: a capture that
     * does not hold the manager's lock across both reads is then all but certain to be caught.
     */
    @Test
    void snapshotsAreNeverTornEvenWithSlowMemoryBackends() throws Exception {
        SlowShortTerm shortTerm = new SlowShortTerm();
        SlowLongTerm longTerm = new SlowLongTerm();
        EnhancedMemoryManager m = Acceptance.manager(Acceptance.config(tmp), new AbstractModule() {
            @Override
            protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), ShortTermMemory.class).setBinding().toInstance(shortTerm);
                OptionalBinder.newOptionalBinder(binder(), LongTermMemory.class).setBinding().toInstance(longTerm);
            }
        });
        checkNoTornSnapshots(m);
    }

    private static void yieldAFewTimes() {
        for (int i = 0; i < 3; i++) {
            Thread.yield();
        }
    }

    /** A correct, thread-safe short-term memory that takes its time to read. */
    static final class SlowShortTerm implements ShortTermMemory {
        private final List<Turn> turns = new ArrayList<>();
        private final LocalDateTime start = LocalDateTime.of(2025, 4, 26, 12, 0);

        @Override
        public synchronized void add(Turn turn) {
            turns.add(turn);
        }

        @Override
        public List<Turn> turns() {
            yieldAFewTimes();
            synchronized (this) {
                return List.copyOf(turns);
            }
        }

        @Override
        public LocalDateTime sessionStart() {
            return start;
        }

        @Override
        public synchronized void restore(List<Turn> restored, LocalDateTime sessionStart) {
            turns.clear();
            turns.addAll(restored);
        }
    }

    /** A correct, thread-safe long-term memory that takes its time to read. */
    static final class SlowLongTerm implements LongTermMemory {
        private final Map<String, Memory> memories = new LinkedHashMap<>();
        private int next;

        @Override
        public synchronized String add(Memory memory) {
            String id = "memory_" + (++next);
            memories.put(id, memory);
            return id;
        }

        @Override
        public Map<String, Memory> memories() {
            yieldAFewTimes();
            synchronized (this) {
                return Collections.unmodifiableMap(new LinkedHashMap<>(memories));
            }
        }

        @Override
        public synchronized void restore(Map<String, Memory> restored) {
            memories.clear();
            memories.putAll(restored);
        }
    }

    private void checkNoTornSnapshots(EnhancedMemoryManager m) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch allWriting = new CountDownLatch(WRITERS);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<String> ids = new ArrayList<>();
        try {
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String name = "w" + w;
                writers.add(pool.submit(() -> {
                    int i = 0;
                    while (i < MAX_PAIRS_PER_WRITER && (i < 5 || !stop.get())) {
                        while (!stop.get() && i >= 5 && i >= (taken.get() + 1) * PAIRS_PER_SNAPSHOT) {
                            Thread.yield(); // pace: never run far ahead of the snapshots (no sleeping)
                        }
                        m.addTurn(name, name + "-" + i);
                        m.addMemory(name + "-" + i, name, 0.5, List.of(name));
                        i++;
                        if (i == 5) {
                            allWriting.countDown();
                        }
                    }
                    return i;
                }));
            }
            assertTrue(allWriting.await(30, TimeUnit.SECONDS), "writers did not start");
            // Every snapshot below is taken after all writers have begun and before any is told to stop.
            for (int s = 0; s < SNAPSHOTS; s++) {
                taken.incrementAndGet(); // a fresh budget for the writers, to spend while this snapshot is taken
                ids.add(m.createSnapshot());
            }
            stop.set(true);
            for (Future<Integer> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }

        for (String id : ids) {
            checkConsistent(m.getSnapshot(id).orElseThrow());
        }
        // And the final state obeys the invariant with t == m for every writer.
        String last = m.createSnapshot();
        MemorySnapshot end = m.getSnapshot(last).orElseThrow();
        checkConsistent(end);
        assertEquals(end.shortTerm().turns().size(), end.longTerm().memories().size());
    }

    private static void checkConsistent(MemorySnapshot s) {
        int[] turns = new int[WRITERS];
        int[] memories = new int[WRITERS];
        for (Turn t : s.shortTerm().turns()) {
            int w = Integer.parseInt(t.role().substring(1));
            String expected = t.role() + "-" + turns[w];
            if (!t.content().equals(expected)) {
                fail(s.snapshotId() + ": turns of " + t.role() + " out of order or missing: expected " + expected
                        + ", found " + t.content());
            }
            turns[w]++;
        }
        for (Memory mem : s.longTerm().memories().values()) {
            String writer = mem.sourceType();
            int w = Integer.parseInt(writer.substring(1));
            String expected = writer + "-" + memories[w];
            if (!mem.content().equals(expected)) {
                fail(s.snapshotId() + ": memories of " + writer + " out of order or missing: expected " + expected
                        + ", found " + mem.content());
            }
            memories[w]++;
        }
        for (int w = 0; w < WRITERS; w++) {
            int t = turns[w];
            int mm = memories[w];
            if (!(t == mm || t == mm + 1)) {
                fail(s.snapshotId() + " is torn: writer w" + w + " has " + t + " turns but " + mm
                        + " memories (a turn is always added before its memory)");
            }
        }
        assertEquals(s.shortTerm().turns().size(), s.shortTerm().turnCount(), "turn_count of " + s.snapshotId());
        assertEquals(s.longTerm().memories().size(), s.longTerm().memoryCount(), "memory_count of " + s.snapshotId());
        assertEquals(s.shortTerm().turns().size(), s.memoryStats().shortTerm().turnCount(),
                "memory_stats.short_term.turn_count of " + s.snapshotId());
        assertEquals(s.longTerm().memories().size(), s.memoryStats().longTerm().totalMemories(),
                "memory_stats.long_term.total_memories of " + s.snapshotId());
        assertEquals(s.shortTerm().turns().size(), s.metadata().shortTermTurns());
        assertEquals(s.longTerm().memories().size(), s.metadata().longTermMemories());
    }

    /**
     * An apply is never seen half done: while one thread applies two snapshots by turns, every snapshot another
     * thread takes holds exactly the turns and memories of one of them (with slow backends to widen any gap).
     */
    @Test
    void snapshotsTakenDuringAppliesSeeOneWholeState() throws Exception {
        SlowShortTerm shortTerm = new SlowShortTerm();
        SlowLongTerm longTerm = new SlowLongTerm();
        EnhancedMemoryManager m = Acceptance.manager(Acceptance.config(tmp), new AbstractModule() {
            @Override
            protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), ShortTermMemory.class).setBinding().toInstance(shortTerm);
                OptionalBinder.newOptionalBinder(binder(), LongTermMemory.class).setBinding().toInstance(longTerm);
            }
        });
        for (int i = 0; i < 50; i++) {
            m.addTurn("user", "A" + i);
            m.addMemory("A" + i, "a", 0.5, List.of("a"));
        }
        String a = m.createSnapshot();
        for (int i = 0; i < 30; i++) {
            m.addTurn("user", "B" + i);
            m.addMemory("B" + i, "b", 0.5, List.of("b"));
        }
        String b = m.createSnapshot();
        MemorySnapshot sa = m.getSnapshot(a).orElseThrow();
        MemorySnapshot sb = m.getSnapshot(b).orElseThrow();

        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch applying = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        List<String> ids = new ArrayList<>();
        try {
            Future<Integer> applier = pool.submit(() -> {
                int n = 0;
                while (!stop.get() || n < 2) {
                    m.applySnapshot(n % 2 == 0 ? a : b);
                    n++;
                    applying.countDown();
                }
                return n;
            });
            assertTrue(applying.await(30, TimeUnit.SECONDS));
            for (int i = 0; i < 150; i++) {
                ids.add(m.createSnapshot());
            }
            stop.set(true);
            applier.get(60, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        for (String id : ids) {
            MemorySnapshot s = m.getSnapshot(id).orElseThrow();
            boolean isA = s.shortTerm().equals(sa.shortTerm()) && s.longTerm().equals(sa.longTerm());
            boolean isB = s.shortTerm().equals(sb.shortTerm()) && s.longTerm().equals(sb.longTerm());
            assertTrue(isA || isB, id + " saw a half-applied state: " + s.shortTerm().turns().size() + " turns, "
                    + s.longTerm().memories().size() + " memories");
        }
    }

    @Test
    void aSnapshotDoesNotChangeAfterLaterTurnsAndMemories() {
        EnhancedMemoryManager m = Acceptance.manager(tmp);
        m.addTurn("user", "first");
        m.addMemory("remember me", "fact", 0.9, List.of("a"));
        String id = m.createSnapshot();
        MemorySnapshot before = m.getSnapshot(id).orElseThrow();

        m.addTurn("assistant", "second");
        m.addTurn("user", "third");
        m.addMemory("later", "preference", 0.2, List.of("b"));

        MemorySnapshot after = m.getSnapshot(id).orElseThrow();
        assertEquals(before, after);
        assertEquals(List.of(new Turn("user", "first")), after.shortTerm().turns());
        assertEquals(1, after.longTerm().memories().size());
        assertEquals(List.of("a"), after.longTerm().topics());
        assertEquals(1, after.metadata().shortTermTurns());

        // The snapshot's collections cannot be changed from outside either.
        assertThrows(UnsupportedOperationException.class, () -> after.shortTerm().turns().add(new Turn("x", "y")));
        assertThrows(UnsupportedOperationException.class, () -> after.longTerm().memories().clear());

        // And it still restores the state it captured.
        assertTrue(m.applySnapshot(id));
        assertEquals(List.of(new Turn("user", "first")), m.turns());
        assertEquals(List.of("remember me"), m.memories().values().stream().map(Memory::content).toList());
    }

    @Test
    void managerViewsAreCopiesNotLiveViews() {
        EnhancedMemoryManager m = Acceptance.manager(tmp);
        m.addTurn("user", "one");
        m.addMemory("x", "fact", 0.5, List.of());
        List<Turn> turns = m.turns();
        Map<String, Memory> memories = m.memories();
        m.addTurn("user", "two");
        m.addMemory("y", "fact", 0.5, List.of());
        assertEquals(1, turns.size());
        assertEquals(1, memories.size());
        assertThrows(UnsupportedOperationException.class, () -> turns.add(new Turn("a", "b")));
    }
}
