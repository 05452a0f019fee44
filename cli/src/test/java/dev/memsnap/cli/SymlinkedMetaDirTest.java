package dev.memsnap.cli;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When {@code snapshot_dir/.memsnap} is a symbolic link, nothing is written or deleted through it. */
class SymlinkedMetaDirTest {
    static final LocalDateTime T = LocalDateTime.of(2025, 3, 1, 12, 0);

    @TempDir
    Path dir;

    private static List<Path> contents(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    @Test
    void labelPinAndPruneRefuseToWriteThroughTheLink() throws Exception {
        Path store = dir.resolve("store");
        SnapshotStore snapshots = Fixtures.store(store, Fixtures.codec(Compression.NONE, null));
        String older = Fixtures.id(T, 1);
        String newer = Fixtures.id(T.plusHours(1), 2);
        snapshots.save(Fixtures.snapshot(older, T, List.of(), Map.of()));
        snapshots.save(Fixtures.snapshot(newer, T.plusHours(1), List.of(), Map.of()));
        Path meta = store.resolve(".memsnap");
        Path outside = dir.resolve("outside");
        // The store's own folder, moved outside and linked back: what it holds now lives elsewhere.
        Files.move(meta, outside);
        Files.createSymbolicLink(meta, outside);
        List<Path> outsideBefore = contents(outside);
        List<Path> storeBefore = contents(store);

        for (List<String> args : List.of(List.of("label", older, "--add", "x", "--dir", store.toString()),
                List.of("pin", older, "--dir", store.toString()),
                List.of("prune", "--keep-last", "1", "--dir", store.toString()))) {
            Cli.Result result = new Cli().run(args.toArray(String[]::new));
            assertNotEquals(0, result.code(), args + ": " + result);
            assertTrue(result.err().contains(".memsnap is a symbolic link"), args + ": " + result);
        }
        assertEquals(outsideBefore, contents(outside), "nothing written or deleted through the link");
        assertEquals(storeBefore, contents(store), "nothing pruned");
    }
}
