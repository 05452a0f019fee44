package dev.memsnap.cli;

import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A directory written with {@code store: incremental} is read as such: a check of it is never a false all-clear. */
class IncrementalStoreTest {
    @TempDir
    Path dir;

    private List<String> saveTwo(Path store) {
        List<String> ids = new ArrayList<>();
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: '" + store
                + "'\n  store: incremental\n"))) {
            for (int i = 0; i < 2; i++) {
                memsnap.manager().addMemory("memory " + i + " " + "x".repeat(200), "fact", 0.5, List.of("t"));
                String id = memsnap.manager().createSnapshot();
                memsnap.manager().saveSnapshot(id);
                ids.add(id);
            }
        }
        return ids;
    }

    @Test
    void verifyFindsADamagedChunkOrPack() throws Exception {
        Path store = dir.resolve("store");
        List<String> ids = saveTwo(store);
        Cli.Result clean = new Cli().run("verify", "--dir", store.toString());
        assertEquals(0, clean.code(), clean.toString());
        assertTrue(clean.out().contains("verified 2 snapshots"), clean.toString());
        List<Path> chunks = new ArrayList<>(); // chunk files of the first layout, or the packs of today's
        for (String where : List.of("chunks", "packs")) {
            if (Files.isDirectory(store.resolve(where))) {
                try (Stream<Path> files = Files.walk(store.resolve(where))) {
                    files.filter(Files::isRegularFile).forEach(chunks::add);
                }
            }
        }
        assertFalse(chunks.isEmpty());
        for (Path chunk : chunks) {
            byte[] bytes = Files.readAllBytes(chunk);
            bytes[bytes.length / 2] ^= 0x55;
            Files.write(chunk, bytes);
        }
        Cli.Result damaged = new Cli().run("verify", "--dir", store.toString());
        assertEquals(ExitCodes.DIFFERENT, damaged.code(), damaged.toString());
        assertTrue(damaged.out().contains("0 intact, 2 damaged"), damaged.toString());
        Cli.Result listed = new Cli().run("list", "--json", "--dir", store.toString());
        assertEquals(ids.stream().sorted().toList(), Fixtures.ids(listed.out()).stream().sorted().toList(),
                listed.toString());
    }
}
