package dev.memsnap.acceptance;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.format.Snapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pruning after automatic snapshots is steered neither by a snapshot dated in the future nor into deleting the
 * snapshot it follows.
 */
class RetentionAfterAutoSnapshotTest {
    static final String FUTURE_ID = "snapshot_20990101_000000_0000f00d";

    @TempDir
    Path tmp;

    private Path config(Path dir, String retention) {
        return Acceptance.write(tmp.resolve("config.yaml"), "memory:\n  snapshot_dir: \"" + dir + "\"\n"
                + "  auto_snapshot: true\n  snapshot_interval: 1\n  retention:\n" + retention
                + "    after_auto_snapshot: true\n");
    }

    /** @return a valid snapshot file dated 2099, outside the snapshot directory */
    private Path futureSnapshotFile() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SnapshotJson().write(Snapshots.of(FUTURE_ID, LocalDateTime.of(2099, 1, 1, 0, 0), List.of(),
                LocalDateTime.of(2098, 12, 31, 23, 0), Map.of(), null), out);
        return Acceptance.write(tmp.resolve(FUTURE_ID + ".json"), out.toString(StandardCharsets.UTF_8));
    }

    private static Set<String> stored(EnhancedMemoryManager manager) {
        return manager.listSnapshots().stream().map(SnapshotMetadata::snapshotId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aSnapshotFromTheFutureDoesNotMakeEachAutomaticSnapshotPruned() throws IOException {
        Path dir = tmp.resolve("snapshots");
        Path yaml = config(dir, "    keep_within: 1h\n");
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(yaml))) {
            memsnap.manager().saveSnapshot(memsnap.manager().createSnapshot()); // make the directory a store
        }
        // A valid snapshot dated 2099 (a clock set wrong, or a planted file), saved as any other.
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(Acceptance.write(tmp.resolve("plain.yaml"),
                "memory:\n  snapshot_dir: \"" + dir + "\"\n")))) {
            EnhancedMemoryManager manager = memsnap.manager();
            manager.loadSnapshot(futureSnapshotFile());
            manager.saveSnapshot(FUTURE_ID);
        }
        Set<String> before;
        Set<String> after;
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(yaml))) {
            EnhancedMemoryManager manager = memsnap.manager();
            before = stored(manager);
            for (int i = 0; i < 3; i++) {
                manager.addTurn("user", "turn " + i);
            }
        } // close() waits for the automatic saves and the prunes after them
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(yaml))) {
            after = stored(memsnap.manager());
        }
        assertTrue(after.contains(FUTURE_ID), "a snapshot dated in the future is kept: " + after);
        assertEquals(before.size() + 3, after.size(), "the three automatic snapshots are kept, being within 1h of "
                + "now: " + after);
    }

    @Test
    void pruningAfterAnAutomaticSnapshotNeverDeletesIt() throws IOException {
        Path dir = tmp.resolve("snapshots");
        // Holding only the future snapshot's slot, keep_last 1 would prune anything else.
        Path yaml = config(dir, "    keep_last: 1\n");
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(Acceptance.write(tmp.resolve("plain.yaml"),
                "memory:\n  snapshot_dir: \"" + dir + "\"\n")))) {
            EnhancedMemoryManager manager = memsnap.manager();
            manager.loadSnapshot(futureSnapshotFile());
            manager.saveSnapshot(FUTURE_ID);
        }
        Set<String> after;
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(yaml))) {
            memsnap.manager().addTurn("user", "one turn");
        }
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(yaml))) {
            after = stored(memsnap.manager());
        }
        assertEquals(2, after.size(), "the future snapshot and the automatic one: " + after);
    }
}
