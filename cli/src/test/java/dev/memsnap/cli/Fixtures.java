package dev.memsnap.cli;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.KeySource;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.format.Snapshots;
import dev.memsnap.core.store.FileStores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Snapshot directories, keys and snapshots for the command line tests. */
final class Fixtures {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private Fixtures() {
    }

    /** @return a valid id for a snapshot taken at {@code t}, unique by {@code n} */
    static String id(LocalDateTime t, int n) {
        return "snapshot_" + STAMP.format(t) + "_" + String.format("%08x", n);
    }

    /** @return a codec writing with that compression, encrypting with {@code ring} unless it is null */
    static SnapshotCodec codec(Compression compression, KeyRing ring) {
        return new SnapshotCodec(new SnapshotJson(), compression, 6, ring == null ? null : () -> ring);
    }

    /** @return a started file store; the caller saves into it and need not stop it (it holds nothing open) */
    static SnapshotStore store(Path dir, SnapshotCodec codec) {
        SnapshotStore store = FileStores.open(dir, codec);
        store.start();
        return store;
    }

    /**
     * Writes a snapshot file encrypted under the master key itself, as encrypted stores did before each memory had a
     * data key of its own: how a test makes a directory of files under several keys, which a store that gives each
     * memory one data key never writes.
     */
    static void saveUnderMasterKey(Path dir, SnapshotCodec codec, MemorySnapshot snapshot) {
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.write(dir.resolve(snapshot.snapshotId() + codec.suffix()), codec.encode(snapshot));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @return a new random key, written as base64 to {@code file} */
    static byte[] keyFile(Path file) {
        byte[] key = KeyRing.generateKey();
        try {
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return key;
    }

    static KeyRing ring(Path keyFile) {
        return KeyRing.of(new KeySource.KeyFile(keyFile), List.of(), Map.of());
    }

    /** @return a snapshot with exactly these turns and memories */
    static MemorySnapshot snapshot(String id, LocalDateTime t, List<Turn> turns, Map<String, Memory> memories) {
        return Snapshots.of(id, t, turns, t.minusMinutes(30), memories, null);
    }

    static Map<String, Memory> memories(Object... idAndMemory) {
        Map<String, Memory> map = new LinkedHashMap<>();
        for (int i = 0; i < idAndMemory.length; i += 2) {
            map.put((String) idAndMemory[i], (Memory) idAndMemory[i + 1]);
        }
        return map;
    }

    /** @return the file names in {@code dir} (not its hidden folder) */
    static TreeSet<String> files(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the ids in a JSON array of {@code list --json}, in order */
    static List<String> ids(String listJson) {
        try {
            List<String> ids = new ArrayList<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(listJson)
                    .forEach(n -> ids.add(n.get("snapshot_id").asText()));
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
