package dev.memsnap.core.codec;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.store.FileStores;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files of encrypted format 1, written by memsnap before format 2 (fixtures/encrypted-v1), still read. */
class FormatVersion1Test {
    private static final String SEED_ID = "snapshot_20250426_123456_abcd1234";

    @TempDir
    Path dir;

    private static byte[] fixture(String path) throws IOException {
        try (InputStream in = FormatVersion1Test.class.getResourceAsStream("/fixtures/encrypted-v1/" + path)) {
            return in.readAllBytes();
        }
    }

    private static KeyRing key() throws IOException {
        return KeyRing.ofKey(HexFormat.of().parseHex(new String(fixture("key.hex")).strip()));
    }

    private static SnapshotCodec codec(KeyRing ring) {
        return new SnapshotCodec(new SnapshotJson(), Compression.GZIP, 6, () -> ring);
    }

    @Test
    void everyCompressionOfFormat1ReadsWithTheKeyAndIsRewrittenAsFormat2() throws IOException {
        MemorySnapshot seed = new SnapshotJson().read(TestSnapshots.seedSnapshotJson(), "seed");
        for (String suffix : List.of(".json.enc", ".json.gz.enc", ".json.zst.enc")) {
            byte[] stored = fixture(SEED_ID + suffix);
            assertEquals(1, SnapshotCodec.encryptedFormatVersion(stored));
            assertTrue(SnapshotCodec.describe(stored).contains("format 1"), SnapshotCodec.describe(stored));
            assertEquals(seed, codec(key()).decode(stored, suffix), suffix);
            // through the streaming store path too
            Path store = dir.resolve(suffix.replace('.', '_'));
            Files.createDirectories(store);
            Files.write(store.resolve(SEED_ID + suffix), stored);
            SnapshotStore files = FileStores.open(store, codec(key()));
            files.start();
            assertEquals(seed, files.read(SEED_ID).orElseThrow());
            files.save(files.read(SEED_ID).orElseThrow()); // what rekey does to each
            byte[] rewritten = Files.readAllBytes(store.resolve(SEED_ID + ".json.gz.enc"));
            assertEquals(2, SnapshotCodec.encryptedFormatVersion(rewritten));
            assertEquals(seed, files.read(SEED_ID).orElseThrow());
        }
    }

    @Test
    void aPassphraseAndSeveralSegmentsOfFormat1Read() throws IOException {
        MemorySnapshot seed = new SnapshotJson().read(TestSnapshots.seedSnapshotJson(), "seed");
        KeyRing pass = KeyRing.of(new KeySource.PassphraseEnv("P"), List.of(), Map.of("P", "correct horse battery"));
        assertEquals(seed, codec(pass).decode(fixture("passphrase/" + SEED_ID + ".json.gz.enc"), "p"));
        MemorySnapshot large = TestSnapshots.snapshot("snapshot_20250426_120000_00000002",
                LocalDateTime.of(2025, 4, 26, 12, 0), 300, 600);
        byte[] stored = fixture("large/snapshot_20250426_120000_00000002.json.enc");
        assertTrue(stored.length > 3 * 64 * 1024);
        assertEquals(large, codec(key()).decode(stored, "large"));
        byte[] cut = java.util.Arrays.copyOf(stored, stored.length - 1);
        assertThrows(SnapshotFormatException.class, () -> codec(key()).decode(cut, "cut"));
        SnapshotFormatException wrong = assertThrows(SnapshotFormatException.class,
                () -> codec(KeyRing.ofKey(KeyRing.generateKey())).decode(stored, "w"));
        assertTrue(wrong.getMessage().contains("wrong key"), wrong.getMessage());
    }
}
