package dev.memsnap.store.postgres;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.prune.RetentionPolicy;
import dev.memsnap.core.tools.SnapshotTools;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances, each with its own pool, saving, listing, reading, applying, labelling, deleting and pruning against
 * one database at once. Nothing acknowledged is lost or damaged, and every race ends in a clear outcome: a snapshot
 * deleted under a reader reads as absent, a label on a deleted snapshot is "not found", two saves of one id leave
 * one of them whole.
 */
class ConcurrentInstancesTest {
    private static final LocalDateTime OLD = LocalDateTime.of(2020, 1, 1, 0, 0);
    private static final String SCHEMA = "shared";

    private final PostgresServer server = PostgresServer.shared();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(8);
    private String database;

    @BeforeEach
    void database() {
        database = server.createDatabase();
    }

    @AfterEach
    void close() throws Exception {
        workers.shutdownNow();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private static String id(int n) {
        return String.format("snapshot_20200101_000000_%08x", n);
    }

    /** Two hosts started from their own config.yaml, as in production: the plugin, the password from the env. */
    @Test
    void twoManagersSavingListingApplyingAndPruningLoseNothing() throws Exception {
        Memsnap a = host("host-a", "gzip");
        Memsnap b = host("host-b", "zstd");
        SnapshotStore storeA = a.injector().getInstance(SnapshotStore.class);
        SnapshotStore storeB = b.injector().getInstance(SnapshotStore.class);
        assertTrue(storeA instanceof PostgresSnapshotStore && storeB instanceof PostgresSnapshotStore);
        assertFalse(storeA == storeB, "each host has its own store and pool");

        // Old snapshots that the concurrent prunes may remove; two are pinned and must survive.
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            storeA.save(TestSnapshots.snapshot(id(i), OLD.plusHours(i), 2, 2));
            old.add(id(i));
        }
        storeA.setTags(id(0), new SnapshotTags(Set.of("keep"), true));
        storeB.setTags(id(1), new SnapshotTags(Set.of(), true));
        RetentionPolicy lastDay = new RetentionPolicy(0, Duration.ofDays(1), 0, 0, 0, 0, 0);

        Map<String, MemorySnapshot> acknowledged = new ConcurrentHashMap<>();
        // An apply keeps the state it replaces as a snapshot when that state was not saved (issue 13's undo point),
        // as happens when another thread of the same host changed the memory in between: saved automatically.
        Set<String> undoPoints = ConcurrentHashMap.newKeySet();
        for (Memsnap host : List.of(a, b)) {
            open.add(((dev.memsnap.api.event.SnapshotEventSource) host.memories()).subscribe(event -> {
                if (event.action() == dev.memsnap.api.event.SnapshotEvent.Action.SAVE && event.automatic()) {
                    undoPoints.add(event.snapshotId());
                }
            }));
        }
        AtomicInteger applied = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (Memsnap host : List.of(a, b)) {
            for (int t = 0; t < 3; t++) {
                int thread = t;
                runs.add(workers.submit((Callable<Void>) () -> {
                    EnhancedMemoryManager memory = host.manager();
                    SnapshotStore store = host.injector().getInstance(SnapshotStore.class);
                    go.await();
                    for (int round = 0; round < 12; round++) {
                        memory.addTurn("user", "thread " + thread + " round " + round);
                        memory.addMemory("fact " + round + " of " + thread, "fact", 0.5, List.of("t" + thread));
                        String id = memory.createSnapshot();
                        MemorySnapshot taken = memory.getSnapshot(id).orElseThrow();
                        memory.saveSnapshot(id);
                        acknowledged.put(id, taken);

                        List<SnapshotMetadata> listed = memory.listSnapshots();
                        assertTrue(listed.stream().anyMatch(m -> m.snapshotId().equals(id)));
                        List<String> someone = List.copyOf(acknowledged.keySet());
                        String other = someone.get(ThreadLocalRandom.current().nextInt(someone.size()));
                        assertTrue(memory.applySnapshot(other), "an acknowledged snapshot is always there");
                        applied.incrementAndGet();
                        // An old one may be pruned by the other host at any moment: applied or absent, no error.
                        memory.applySnapshot(old.get(ThreadLocalRandom.current().nextInt(old.size())));
                        memory.getSnapshot(old.get(ThreadLocalRandom.current().nextInt(old.size())));
                        if (round % 4 == thread % 4) {
                            new SnapshotTools(store).prune(lastDay, false);
                        }
                    }
                    return null;
                }));
            }
        }
        go.countDown();
        for (Future<?> run : runs) {
            run.get(90, TimeUnit.SECONDS);
        }
        new SnapshotTools(storeB).prune(lastDay, false);

        assertEquals(72, acknowledged.size());
        for (Map.Entry<String, MemorySnapshot> e : acknowledged.entrySet()) {
            assertEquals(e.getValue(), storeA.read(e.getKey()).orElseThrow(), e.getKey());
            assertEquals(e.getValue(), storeB.read(e.getKey()).orElseThrow(), e.getKey());
            assertTrue(storeA.verify(e.getKey()).intact());
        }
        for (Memsnap host : List.of(a, b)) {
            Set<String> listed = host.manager().listSnapshots().stream().map(SnapshotMetadata::snapshotId)
                    .collect(Collectors.toSet());
            assertTrue(listed.containsAll(acknowledged.keySet()));
        }
        Set<String> stored = Set.copyOf(storeA.storedIds());
        assertTrue(stored.contains(id(0)) && stored.contains(id(1)), "pinned snapshots are never pruned");
        Set<String> expected = new java.util.HashSet<>(acknowledged.keySet());
        expected.addAll(undoPoints);
        expected.addAll(List.of(id(0), id(1)));
        assertEquals(expected, stored, "the unpinned old ones were pruned; every new one, undo points too, is kept");
        assertEquals(acknowledged.size() + undoPoints.size() + 2, stored.size());
        assertEquals(72, applied.get());
    }

    @Test
    void aDeleteRacingReadsEndsInAbsenceNeverAnError() throws Exception {
        PostgresSnapshotStore a = store(SnapshotCodec.plain());
        PostgresSnapshotStore b = store(new SnapshotCodec(new SnapshotJson(), Compression.GZIP, 1, null));
        Map<String, MemorySnapshot> saved = new ConcurrentHashMap<>();
        for (int i = 0; i < 40; i++) {
            MemorySnapshot s = TestSnapshots.snapshot(id(i), OLD.plusMinutes(i), 3, 3);
            (i % 2 == 0 ? a : b).save(s);
            saved.put(s.snapshotId(), s);
        }
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger deleted = new AtomicInteger();
        List<Future<?>> runs = new ArrayList<>();
        for (SnapshotStore deleter : List.of(a, b)) {
            runs.add(workers.submit((Callable<Void>) () -> {
                go.await();
                for (String id : saved.keySet()) {
                    if (deleter.delete(id)) {
                        deleted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (int r = 0; r < 4; r++) {
            SnapshotStore reader = r % 2 == 0 ? a : b;
            runs.add(workers.submit((Callable<Void>) () -> {
                go.await();
                for (int pass = 0; pass < 3; pass++) {
                    for (String id : saved.keySet()) {
                        Optional<MemorySnapshot> read = reader.read(id);
                        read.ifPresent(s -> assertEquals(saved.get(id), s));
                        reader.tags(id);
                        reader.list();
                        try {
                            reader.setTags(id, new SnapshotTags(Set.of("late"), false));
                        } catch (SnapshotNotFoundException gone) {
                            // deleted first: the clear outcome
                        }
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> run : runs) {
            run.get(90, TimeUnit.SECONDS);
        }
        assertEquals(40, deleted.get(), "each snapshot was deleted exactly once");
        assertEquals(List.of(), a.list());
    }

    @Test
    void savesOfOneIdFromTwoInstancesLeaveOneOfThemWhole() throws Exception {
        PostgresSnapshotStore a = store(SnapshotCodec.plain());
        PostgresSnapshotStore b = store(new SnapshotCodec(new SnapshotJson(), Compression.ZSTD, 6, null));
        String id = id(7);
        List<MemorySnapshot> candidates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            candidates.add(TestSnapshots.snapshot(id, OLD.plusSeconds(i), i + 1, 50 * (i + 1)));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            SnapshotStore store = i % 2 == 0 ? a : b;
            MemorySnapshot mine = candidates.get(i);
            runs.add(workers.submit((Callable<Void>) () -> {
                go.await();
                for (int n = 0; n < 10; n++) {
                    store.save(mine);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> run : runs) {
            run.get(90, TimeUnit.SECONDS);
        }
        MemorySnapshot left = a.read(id).orElseThrow();
        assertTrue(candidates.contains(left));
        assertEquals(List.of(left.metadata()), b.list(), "the listing columns belong to the same save as the body");
        assertTrue(b.verify(id).intact(), b.verify(id).detail());
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private Memsnap host(String name, String compression) {
        String yaml = """
                memory:
                  store: postgres
                  compression: %s
                  postgres:
                    url: %s
                    user: %s
                    password_env: %s
                    pool_size: 3
                    schema: %s
                    connection_timeout: 5s
                """.formatted(compression, server.url(database), PostgresServer.USER, PostgresServer.PASSWORD_ENV,
                SCHEMA);
        Memsnap memsnap = Memsnap.start(ConfigFile.parse(name + "/config.yaml", yaml));
        open.add(memsnap);
        return memsnap;
    }

    private PostgresSnapshotStore store(SnapshotCodec codec) {
        PostgresSnapshotStore store = PostgresServer.started(server.config(database, SCHEMA), codec);
        open.add(store::stop);
        return store;
    }
}
