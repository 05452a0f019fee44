package dev.memsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One directory holding plain, gzip, encrypted, gzip+encrypted and zstd+encrypted snapshots: reading detects each by
 * content.
 */
class MixedFormatsTest {
    private static final LocalDateTime T = LocalDateTime.of(2025, 5, 1, 12, 0);
    private static final String PLAIN = Fixtures.id(T, 1);
    private static final String GZIP = Fixtures.id(T.plusHours(1), 2);
    private static final String ENC = Fixtures.id(T.plusHours(2), 3);
    private static final String GZIP_ENC = Fixtures.id(T.plusHours(3), 4);
    private static final String ZSTD_ENC = Fixtures.id(T.plusHours(4), 5);

    @TempDir
    Path dir;
    @TempDir
    Path keys;

    Path key;
    Path wrongKey;
    byte[] keyBytes;
    MemorySnapshot[] snapshots;

    @BeforeEach
    void mixedStore() {
        key = keys.resolve("key");
        wrongKey = keys.resolve("wrong-key");
        keyBytes = Fixtures.keyFile(key);
        Fixtures.keyFile(wrongKey);
        KeyRing ring = Fixtures.ring(key);
        snapshots = new MemorySnapshot[] {
                TestSnapshots.snapshot(PLAIN, T, 3, 2),
                TestSnapshots.snapshot(GZIP, T.plusHours(1), 4, 3),
                TestSnapshots.awkward(ENC, T.plusHours(2)),
                TestSnapshots.snapshot(GZIP_ENC, T.plusHours(3), 1, 5),
                TestSnapshots.snapshot(ZSTD_ENC, T.plusHours(4), 6, 1)};
        Fixtures.store(dir, SnapshotCodec.plain()).save(snapshots[0]);
        Fixtures.store(dir, Fixtures.codec(Compression.GZIP, null)).save(snapshots[1]);
        Fixtures.store(dir, Fixtures.codec(Compression.NONE, ring)).save(snapshots[2]);
        var gzipEnc = Fixtures.store(dir, Fixtures.codec(Compression.GZIP, ring));
        gzipEnc.save(snapshots[3]);
        gzipEnc.setTags(GZIP_ENC, new SnapshotTags(Set.of("secret"), true));
        Fixtures.store(dir, Fixtures.codec(Compression.ZSTD, ring)).save(snapshots[4]);
        assertEquals(Set.of(PLAIN + ".json", GZIP + ".json.gz", ENC + ".json.enc", GZIP_ENC + ".json.gz.enc",
                ZSTD_ENC + ".json.zst.enc"), Fixtures.files(dir));
    }

    private Cli.Result memsnap(String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--dir";
        all[args.length + 1] = dir.toString();
        return new Cli().run(all);
    }

    @Test
    void withTheKeyListShowAndVerifyReadEveryEncoding() {
        Cli.Result list = memsnap("list", "--json", "--key-file", key.toString());
        assertEquals(0, list.code(), list::toString);
        assertEquals("", list.err());
        assertEquals(List.of(ZSTD_ENC, GZIP_ENC, ENC, GZIP, PLAIN), Fixtures.ids(list.out()));

        for (MemorySnapshot s : snapshots) {
            Cli.Result show = memsnap("show", "--json", s.snapshotId(), "--key-file", key.toString());
            assertEquals(0, show.code(), show::toString);
            assertEquals(new String(new SnapshotJson().toBytes(s), StandardCharsets.UTF_8) + "\n", show.out());
            Cli.Result text = memsnap("show", s.snapshotId(), "--key-file", key.toString());
            assertEquals(0, text.code(), text::toString);
            assertTrue(text.out().startsWith("snapshot   " + s.snapshotId() + "\n"), text.out());
        }
        Cli.Result shown = memsnap("show", GZIP_ENC, "--key-file", key.toString());
        assertTrue(shown.out().contains("\nlabels     secret\npinned     yes\n"), shown.out());
        assertTrue(shown.out().contains("\nturns:\n  [0] user: turn 0 of " + GZIP_ENC + "\n"), shown.out());
        // the awkward snapshot's control characters are escaped for the terminal, not sent raw
        Cli.Result awkward = memsnap("show", ENC, "--key-file", key.toString());
        assertTrue(awkward.out().contains("nul\\u0000 bell\\u0007"), awkward.out().substring(0, 2000));
        assertFalse(awkward.out().contains("\u0007"));

        Cli.Result verify = memsnap("verify", "--key-file", key.toString());
        assertEquals(0, verify.code(), verify::toString);
        assertTrue(verify.out().matches("verified 5 snapshots in \\d+\\.\\d s: 5 intact, 0 damaged\n"), verify.out());
        JsonNode json = Fixtures.json(memsnap("verify", "--json", "-v", "--key-file", key.toString()).out());
        assertEquals(5, json.get("checked").asInt());
        assertEquals(5, json.get("intact").asInt());
        assertEquals(0, json.get("damaged").asInt());
        assertTrue(json.get("results").get(3).get("detail").asText().startsWith("encrypted with key"),
                json::toString);
    }

    @Test
    void aSnapshotFileInAnyEncodingShowsWithoutAStore() {
        Path file = dir.resolve(GZIP_ENC + ".json.gz.enc");
        Cli.Result show = new Cli().run("show", file.toString(), "--key-file", key.toString(),
                "--dir", keys.resolve("none").toString());
        assertEquals(0, show.code(), show::toString);
        assertTrue(show.out().contains("\nfile       " + file + "\n"), show.out());
    }

    @Test
    void theKeyMayComeFromAnEnvironmentVariableOrTheConfigFile() throws Exception {
        Cli.Result env = new Cli().env("MEMSNAP_KEY", Base64.getEncoder().encodeToString(keyBytes))
                .run("list", "--key-env", "MEMSNAP_KEY", "--dir", dir.toString());
        assertEquals(0, env.code(), env::toString);

        Path config = keys.resolve("config.yaml");
        Files.writeString(config, "memory:\n  snapshot_dir: " + dir + "\n  encryption:\n    key_file: "
                + wrongKey + "\n    previous:\n      - key_file: " + key + "\n");
        Cli.Result fromConfig = new Cli().run("verify", "--config", config.toString());
        assertEquals(0, fromConfig.code(), fromConfig::toString);
        // config.yaml in the working directory is read without --config
        Path work = Files.createDirectory(keys.resolve("work"));
        Files.copy(config, work.resolve("config.yaml"));
        assertEquals(0, new Cli().workDir(work).run("verify").code());
    }

    @Test
    void withoutAKeyListShowsTheRestAndNamesTheEncryptedFiles() {
        Cli.Result list = memsnap("list", "--json");
        assertEquals(4, list.code(), list::toString);
        assertEquals(List.of(GZIP, PLAIN), Fixtures.ids(list.out()));
        // Said once, with the count, the snapshots, the key and the fix: not once per snapshot, nor "verify".
        List<String> lines = list.err().lines().toList();
        assertEquals(2, lines.size(), list.err());
        assertTrue(lines.get(0).startsWith("memsnap: cannot list 3 stored snapshots ("), list.err());
        assertTrue(lines.get(0).contains(ENC) && lines.get(0).contains(GZIP_ENC), list.err());
        assertTrue(lines.get(0).contains("): encrypted under key "), list.err());
        assertTrue(lines.get(0).endsWith(", and no key was given; give it with --key-file FILE, --key-env VAR or "
                + "--passphrase-env VAR, or set memory.encryption in the config file"), list.err());
        assertEquals("memsnap: 3 stored snapshots could not be read (exit 4)", lines.get(1));
    }

    @Test
    void aWrongKeyExitsFourNamingTheFile() {
        Path file = dir.resolve(ENC + ".json.enc");
        Cli.Result show = memsnap("show", ENC, "--key-file", wrongKey.toString());
        assertEquals(4, show.code(), show::toString);
        assertTrue(show.err().startsWith("memsnap: " + file + ": wrong key: snapshot is encrypted with key "),
                show.err());
        assertEquals("", show.out());

        Cli.Result list = memsnap("list", "--key-file", wrongKey.toString());
        assertEquals(4, list.code(), list::toString);
        assertTrue(list.err().startsWith("memsnap: cannot list 3 stored snapshots ("), list.err());
        assertTrue(list.err().contains(" with a key not given; give that key with --key-file FILE"), list.err());
        assertTrue(list.out().contains(PLAIN) && list.out().contains(GZIP), list.out());

        Cli.Result verify = memsnap("verify", "--key-file", wrongKey.toString());
        assertEquals(1, verify.code(), verify::toString);
        assertTrue(verify.out().contains("DAMAGED  " + ENC + "  " + file + ": wrong key"), verify.out());
    }

    @Test
    void aFlippedByteFailsVerifyNamingTheSnapshot() throws Exception {
        flip(dir.resolve(PLAIN + ".json"));
        Cli.Result verify = memsnap("verify", "--key-file", key.toString());
        assertEquals(1, verify.code(), verify::toString);
        List<String> lines = verify.out().lines().toList();
        assertEquals(2, lines.size(), verify::toString);
        assertTrue(lines.get(0).startsWith("DAMAGED  " + PLAIN + "  " + dir.resolve(PLAIN + ".json")
                + ": checksum mismatch"), lines.get(0));
        assertTrue(lines.get(1).endsWith(": 4 intact, 1 damaged"), lines.get(1));
        assertEquals(4, memsnap("show", PLAIN).code());

        // without its checksum, the encryption's own authentication still catches a flipped byte
        Files.delete(dir.resolve(".memsnap/" + ENC + ".json.enc.sha256"));
        flip(dir.resolve(ENC + ".json.enc"));
        JsonNode json = Fixtures.json(memsnap("verify", "--json", "--key-file", key.toString()).out());
        assertEquals(2, json.get("damaged").asInt());
        JsonNode enc = json.get("results").get(2);
        assertEquals(ENC, enc.get("snapshot_id").asText());
        assertFalse(enc.get("intact").asBoolean());
        assertTrue(enc.get("detail").asText().contains("authentication failed"), enc::toString);
    }

    @Test
    void aTruncatedFileFailsVerifyNamingTheSnapshot() throws Exception {
        truncate(dir.resolve(GZIP_ENC + ".json.gz.enc"));
        Files.delete(dir.resolve(".memsnap/" + ZSTD_ENC + ".json.zst.enc.sha256"));
        truncate(dir.resolve(ZSTD_ENC + ".json.zst.enc"));
        Files.delete(dir.resolve(".memsnap/" + GZIP + ".json.gz.sha256"));
        truncate(dir.resolve(GZIP + ".json.gz"));
        Cli.Result verify = memsnap("verify", "--key-file", key.toString());
        assertEquals(1, verify.code(), verify::toString);
        assertTrue(verify.out().contains("DAMAGED  " + GZIP_ENC + "  "), verify.out());
        assertTrue(verify.out().contains("DAMAGED  " + GZIP + "  " + dir.resolve(GZIP + ".json.gz")
                + ": compressed snapshot is damaged or truncated"), verify.out());
        assertTrue(verify.out().contains("DAMAGED  " + ZSTD_ENC + "  " + dir.resolve(ZSTD_ENC + ".json.zst.enc")
                + ": encrypted snapshot is damaged, tampered with or truncated"), verify.out());
        assertTrue(verify.out().endsWith(": 2 intact, 3 damaged\n"), verify.out());
    }

    private static void flip(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
    }

    private static void truncate(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length * 2 / 3));
    }
}
