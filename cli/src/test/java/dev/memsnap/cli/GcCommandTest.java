package dev.memsnap.cli;

import dev.memsnap.api.Memory;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code memsnap gc} frees what deleted snapshots leave in the incremental store, says so first with
 * {@code --dry-run}, and {@code memsnap prune} collects by itself after it deletes.
 */
class GcCommandTest {
    @TempDir
    Path dir;

    /** Two snapshots that share no memory, the first deleted (by {@code drop}), all files older than any grace. */
    private List<String> twoStatesSharingNothing(Path store, boolean deleteFirst) throws IOException {
        List<String> ids = new ArrayList<>();
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: '" + store
                + "'\n  store: incremental\n  compression: none\n"))) {
            var memory = memsnap.manager();
            for (String prefix : List.of("x", "y")) {
                memory.removeMemories(List.copyOf(memory.memories().keySet()));
                memory.putMemories(memories(prefix));
                String id = memory.createSnapshot();
                memory.saveSnapshot(id);
                ids.add(id);
            }
            if (deleteFirst) {
                assertTrue(memsnap.store().delete(ids.get(0)));
            }
        }
        FileTime then = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        try (Stream<Path> files = Files.walk(store)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(f, then);
            }
        }
        return ids;
    }

    private static Map<String, Memory> memories(String prefix) {
        Map<String, Memory> m = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            m.put(prefix + "_" + i, Memory.of(prefix + " memory " + i + " " + "z".repeat(300),
                    LocalDateTime.of(2026, 12, 3, 9, 0).plusSeconds(i), 0.5, "fact", List.of(prefix)));
        }
        return m;
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

    @Test
    void aDryRunSaysWhatGcThenFreesAndWhatIsKeptStillVerifies() throws Exception {
        Path store = dir.resolve("store");
        List<String> ids = twoStatesSharingNothing(store, true);
        long before = bytesUnder(store);

        Cli.Result dry = new Cli().run("gc", "--dry-run", "--json", "--dir", store.toString());
        assertEquals(0, dry.code(), dry.toString());
        assertEquals(before, bytesUnder(store), "a dry run deletes nothing");
        long wouldPieces = Fixtures.json(dry.out()).get("chunks").asLong();
        long wouldBytes = Fixtures.json(dry.out()).get("bytes").asLong();
        assertTrue(wouldPieces > 0 && wouldBytes > before / 4, dry.toString());

        Cli.Result real = new Cli().run("gc", "--dir", store.toString());
        assertEquals(0, real.code(), real.toString());
        assertTrue(real.out().contains("freed " + Text.count(wouldPieces, "chunk")), real.toString());
        assertEquals(before - wouldBytes, bytesUnder(store), "it freed what the dry run said");

        Cli.Result verify = new Cli().run("verify", "--dir", store.toString());
        assertEquals(0, verify.code(), verify.toString());
        assertTrue(verify.out().contains("verified 1 snapshot"), verify.toString());
        Cli.Result again = new Cli().run("gc", "--dir", store.toString());
        assertTrue(again.out().contains("nothing to collect"), again.toString());
        assertEquals(ids.get(1), Fixtures.ids(new Cli().run("list", "--json", "--dir", store.toString()).out())
                .get(0));
    }

    @Test
    void pruneCollectsWhatThePrunedSnapshotAloneHeld() throws Exception {
        Path store = dir.resolve("store");
        twoStatesSharingNothing(store, false);
        long before = bytesUnder(store);
        Cli.Result pruned = new Cli().run("prune", "--keep-last", "1", "--dir", store.toString());
        assertEquals(0, pruned.code(), pruned.toString());
        assertTrue(pruned.out().contains("garbage collection: freed "), pruned.toString());
        assertTrue(bytesUnder(store) < before * 2 / 3, "the first state's memories went with it");
        assertEquals(0, new Cli().run("verify", "--dir", store.toString()).code());
    }

    @Test
    void theFileStoreHasNothingToCollect() {
        Path store = dir.resolve("plain");
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: '" + store
                + "'\n"))) {
            memsnap.manager().addMemory("a fact", "fact", 0.5, List.of("t"));
            String id = memsnap.manager().createSnapshot();
            memsnap.manager().saveSnapshot(id);
            memsnap.store().delete(id);
        }
        Cli.Result gc = new Cli().run("gc", "--dir", store.toString());
        assertEquals(0, gc.code(), gc.toString());
        assertEquals("nothing to collect", gc.out().strip());
    }
}
