package dev.memsnap.reliability;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.tools.SnapshotTools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One manager under many threads at once (turns, memories, create, save, list, get, apply, prune through a second
 * store on the same directory, and automatic snapshots in the background): no unexpected exception, every snapshot
 * seen is consistent, and at the end every acknowledged save that no prune removed reads back equal and verifies.
 */
class ConcurrentUseOfOneManagerTest {
    static final int WORKERS = 8;
    static final int CALLS = ReliabilityRun.scaled(1000, 10_000);

    @ParameterizedTest
    @EnumSource(Stores.Kind.class)
    void manyThreadsLoseNothing(Stores.Kind kind, @TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        ConcurrentUse use;
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("concurrency test", config(dir, kind)))) {
            SnapshotTools pruner = new SnapshotTools(Stores.started(kind, dir, SnapshotCodec.plain()));
            use = new ConcurrentUse(List.of(memsnap.manager()), List.of(pruner));
            use.run(WORKERS, CALLS, 300);
        }
        checkEnd(use, Stores.started(kind, dir, SnapshotCodec.plain()), kind.name());
        ReliabilityRun.figure(ConcurrentUseOfOneManagerTest.class, "run." + kind, WORKERS + " threads x " + CALLS
                + " calls in " + (System.nanoTime() - started) / 1_000_000 + " ms: " + use.summary());
    }

    static String config(Path dir, Stores.Kind kind) {
        return "memory:\n"
                + "  snapshot_dir: \"" + dir.toString().replace("\\", "\\\\") + "\"\n"
                + "  store: " + kind.configName + "\n"
                + "  auto_snapshot: true\n"
                + "  snapshot_interval: 7\n";
    }

    /** The end state: nothing unexpected happened, nothing acknowledged is lost, everything stored is whole. */
    static void checkEnd(ConcurrentUse use, SnapshotStore store, String where) {
        if (!use.unexpected.isEmpty()) {
            AssertionError failure = new AssertionError(where + ": " + use.unexpected.size()
                    + " unexpected exceptions, the first: " + use.unexpected.get(0), use.unexpected.get(0));
            use.unexpected.stream().skip(1).limit(5).forEach(failure::addSuppressed);
            throw failure;
        }
        for (Map.Entry<String, MemorySnapshot> e : use.acknowledged.entrySet()) {
            if (!use.pruned.contains(e.getKey())) {
                MemorySnapshot stored = store.read(e.getKey()).orElseThrow(() ->
                        new AssertionError(where + ": acknowledged snapshot " + e.getKey() + " is lost"));
                assertEquals(e.getValue(), stored, where + ": " + e.getKey() + " changed");
            }
        }
        for (String id : store.storedIds()) {
            Verification v = store.verify(id);
            assertTrue(v.intact(), where + ": " + id + " damaged: " + v.detail());
            SnapshotInvariants.assertConsistent(store.read(id).orElseThrow(), where + " stored");
        }
    }
}
