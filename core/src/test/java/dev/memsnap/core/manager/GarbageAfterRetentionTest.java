package dev.memsnap.core.manager;

import com.google.inject.multibindings.OptionalBinder;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.GarbageCollection;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention after automatic snapshots frees what the snapshots it deletes alone held: in a store whose snapshots
 * share pieces, deleting a snapshot is not enough, and a host that never runs {@code memsnap gc} would otherwise
 * grow without bound.
 */
class GarbageAfterRetentionTest {
    @TempDir
    Path dir;

    /** A store in a map that records the collections asked of it. */
    static final class CollectingStore implements SnapshotStore {
        final Map<String, MemorySnapshot> saved = new ConcurrentHashMap<>();
        final List<String> collections = new CopyOnWriteArrayList<>();

        @Override
        public URI save(MemorySnapshot snapshot) {
            saved.put(snapshot.snapshotId(), snapshot);
            return URI.create("map:" + snapshot.snapshotId());
        }

        @Override
        public Optional<MemorySnapshot> read(String snapshotId) {
            return Optional.ofNullable(saved.get(snapshotId));
        }

        @Override
        public MemorySnapshot read(URI location) {
            return saved.get(location.getSchemeSpecificPart());
        }

        @Override
        public List<SnapshotMetadata> list() {
            return saved.values().stream().map(MemorySnapshot::metadata).sorted(SnapshotMetadata.NEWEST_FIRST)
                    .toList();
        }

        @Override
        public boolean delete(String snapshotId) {
            return saved.remove(snapshotId) != null;
        }

        @Override
        public GarbageCollection collectGarbage(String memoryId, boolean dryRun) {
            collections.add(memoryId + (dryRun ? " (dry run)" : ""));
            return GarbageCollection.none(dryRun);
        }
    }

    @Test
    void aPruneThatDeletesCollectsInThatMemoryAtMostOnceInAWhile() throws Exception {
        CollectingStore store = new CollectingStore();
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: " + dir
                + "\n  auto_snapshot: true\n  snapshot_interval: 1\n"
                + "  retention: {keep_last: 1, after_auto_snapshot: true}\n");
        Memsnap memsnap = Memsnap.start(config, binder -> OptionalBinder.newOptionalBinder(binder,
                SnapshotStore.class).setBinding().toInstance(store));
        EnhancedMemoryManager ann = memsnap.memories().get("ann");
        ann.addTurn("user", "one"); // the first snapshot: nothing to prune, nothing to collect
        awaitSaves(ann);
        ann.addTurn("user", "two"); // prunes the first, then collects
        await(() -> store.collections.size() == 1);
        assertEquals(List.of("ann"), store.collections);
        ann.addTurn("user", "three"); // prunes again, but collected a moment ago
        awaitSaves(ann);
        memsnap.close(); // the save thread is done with whatever it had to do
        assertEquals(List.of("ann"), store.collections);
        assertEquals(1, store.saved.size(), "keep_last 1 kept one");
    }

    @Test
    void theIncrementalStoreGivesBackWhatAPrunedSnapshotAloneHeld() throws Exception {
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: " + dir
                + "\n  store: incremental\n  compression: none\n  auto_snapshot: true\n  snapshot_interval: 1\n"
                + "  retention: {keep_last: 1, after_auto_snapshot: true}\n");
        long first;
        try (Memsnap memsnap = Memsnap.start(config)) {
            EnhancedMemoryManager memory = memsnap.manager();
            memory.putMemories(memories("x", 400));
            memory.addTurn("user", "the first state");
            awaitSaves(memory);
            first = bytesUnder(dir);
            backdateEverything(dir, Duration.ofHours(2)); // older than any grace a save in progress needs

            memory.removeMemories(List.copyOf(memory.memories().keySet()));
            memory.putMemories(memories("y", 400));
            memory.addTurn("user", "a state that shares no memory with the first");
            awaitSaves(memory);
            await(() -> memory.listSnapshots().size() == 1);
        }
        try (Memsnap reopened = Memsnap.start(config)) {
            EnhancedMemoryManager memory = reopened.manager();
            List<SnapshotMetadata> listed = memory.listSnapshots();
            assertEquals(1, listed.size(), listed.toString());
            long after = bytesUnder(dir);
            assertTrue(after < first * 3 / 2, "the first state's memories were freed: " + first + " bytes after the"
                    + " first save, " + after + " after the second (both would make about twice the first)");
            MemorySnapshot kept = reopened.store().read(listed.get(0).snapshotId()).orElseThrow();
            assertEquals(400, kept.longTerm().memories().size());
            assertTrue(kept.longTerm().memories().containsKey("y_0"));
            assertTrue(reopened.store().verify(kept.snapshotId()).intact(), "what is kept still verifies");
        }
    }

    private static Map<String, Memory> memories(String prefix, int n) {
        Map<String, Memory> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(prefix + "_" + i, Memory.of(prefix + " memory number " + i + " ".repeat(8) + "x".repeat(300),
                    LocalDateTime.of(2026, 12, 3, 9, 0).plusSeconds(i), 0.5, "fact", List.of(prefix)));
        }
        return m;
    }

    private static void awaitSaves(EnhancedMemoryManager memory) throws InterruptedException {
        await(() -> memory.stats().pendingAutomaticSaves() == 0);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 30 s");
            Thread.sleep(5);
        }
    }

    private static long bytesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            long total = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }

    private static void backdateEverything(Path root, Duration by) throws IOException {
        FileTime then = FileTime.from(Instant.now().minus(by));
        List<Path> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(all::add);
        }
        for (Path f : all) {
            Files.setLastModifiedTime(f, then);
        }
    }
}
