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

    /** Saves three snapshots sharing most of their chunks, the store encrypted under {@code key}. */
    private List<String> saveEncrypted(Path store, Path key) {
        List<String> ids = new ArrayList<>();
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: '" + store
                + "'\n  store: incremental\n  encryption:\n    key_file: '" + key + "'\n"))) {
            for (int i = 0; i < 40; i++) {
                memsnap.manager().addMemory("memory " + i + " " + "y".repeat(300), "fact", 0.5, List.of("t"));
            }
            for (int i = 0; i < 3; i++) {
                memsnap.manager().addTurn("user", "turn " + i);
                String id = memsnap.manager().createSnapshot();
                memsnap.manager().saveSnapshot(id);
                ids.add(id);
            }
        }
        return ids;
    }

    @Test
    void aRekeyedStoreReadsWithTheNewKeyAloneThoughItsSnapshotsShareChunks() throws Exception {
        Path store = dir.resolve("store");
        Path oldKey = dir.resolve("old.key");
        Path newKey = dir.resolve("new.key");
        Fixtures.keyFile(oldKey);
        Fixtures.keyFile(newKey);
        List<String> ids = saveEncrypted(store, oldKey);
        long packedBefore = bytesUnder(store.resolve("packs"));
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "memory:\n  snapshot_dir: '" + store + "'\n  store: incremental\n  encryption:\n"
                + "    key_file: '" + oldKey + "'\n");

        Cli.Result rekey = new Cli().run("rekey", "--new-key-file", newKey.toString(), "--config", config.toString());
        assertEquals(0, rekey.code(), rekey.toString());
        Cli.Result newOnly = new Cli().run("verify", "--dir", store.toString(), "--key-file", newKey.toString());
        assertEquals(0, newOnly.code(), "every chunk re-encrypted, the shared ones too: " + newOnly);
        assertTrue(newOnly.out().contains("verified 3 snapshots"), newOnly.toString());
        Cli.Result gc = new Cli().run("gc", "--dir", store.toString(), "--key-file", newKey.toString());
        assertEquals(0, gc.code(), gc.toString());
        long packedAfter = bytesUnder(store.resolve("packs"));
        assertTrue(packedAfter < packedBefore * 3 / 2, "the copies under the old key are collected: " + packedBefore
                + " bytes of packs before the rekey, " + packedAfter + " after it and gc");
        Cli.Result oldOnly = new Cli().run("verify", "--dir", store.toString(), "--key-file", oldKey.toString());
        assertEquals(ExitCodes.DIFFERENT, oldOnly.code(), "nothing is left that the old key alone reads: " + oldOnly);
        Cli.Result listed = new Cli().run("list", "--json", "--dir", store.toString(), "--key-file",
                newKey.toString());
        assertEquals(ids.stream().sorted().toList(), Fixtures.ids(listed.out()).stream().sorted().toList());
    }

    private static long bytesUnder(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
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
