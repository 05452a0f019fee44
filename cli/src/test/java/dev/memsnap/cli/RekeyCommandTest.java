package dev.memsnap.cli;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rekey}: every snapshot re-encrypted under a new key, atomically one by one, so that an interruption loses
 * nothing and a re-run finishes. The store starts mixed: the current key, a previous one, and plain files.
 */
class RekeyCommandTest {
    private static final LocalDateTime T = LocalDateTime.of(2025, 6, 1, 0, 0);
    private static final int COUNT = 20;

    @TempDir
    Path dir;
    @TempDir
    Path keys;

    Path oldKey;
    Path olderKey;
    Path newKey;
    Path config;
    final Map<String, MemorySnapshot> originals = new TreeMap<>();

    @BeforeEach
    void mixedStore() throws Exception {
        oldKey = keys.resolve("old.key");
        olderKey = keys.resolve("older.key");
        newKey = keys.resolve("new.key");
        Fixtures.keyFile(oldKey);
        Fixtures.keyFile(olderKey);
        Fixtures.keyFile(newKey);
        config = keys.resolve("config.yaml");
        Files.writeString(config, "memory:\n  snapshot_dir: " + dir + "\n  compression: gzip\n  encryption:\n"
                + "    key_file: " + oldKey + "\n    previous:\n      - key_file: " + olderKey + "\n");
        // files under two master keys, as a store rotated before memories had data keys of their own holds
        SnapshotCodec underOld = Fixtures.codec(Compression.NONE, Fixtures.ring(oldKey));
        SnapshotCodec underOlder = Fixtures.codec(Compression.GZIP, Fixtures.ring(olderKey));
        SnapshotStore plain = Fixtures.store(dir, SnapshotCodec.plain());
        for (int i = 0; i < COUNT; i++) {
            String id = Fixtures.id(T.plusHours(i), i);
            MemorySnapshot s = TestSnapshots.snapshot(id, T.plusHours(i), 1 + i % 3, 1 + i % 4);
            originals.put(id, s);
            if (i % 3 == 0) {
                plain.save(s);
            } else {
                Fixtures.saveUnderMasterKey(dir, i % 3 == 1 ? underOld : underOlder, s);
            }
        }
        plain.setTags(Fixtures.id(T.plusHours(1), 1), new SnapshotTags(Set.of("before-rekey"), true));
        plain.setTags(Fixtures.id(T.plusHours(12), 12), new SnapshotTags(Set.of("plain", "x"), false));
    }

    @Test
    void anInterruptedRekeyLosesNothingAndARerunFinishesIt() throws Exception {
        Cli interrupted = new Cli().progress(progress -> (done, total) -> {
            progress.update(done, total);
            if (done == 7) {
                throw new IllegalStateException("simulated crash after 7 snapshots");
            }
        });
        Cli.Result crash = interrupted.run("rekey", "--new-key-file", newKey.toString(), "--config", config.toString());
        assertNotEquals(0, crash.code(), crash::toString);
        assertTrue(crash.err().contains("simulated crash after 7 snapshots"), crash.err());

        String newKeyId = keyId(Fixtures.ring(newKey));
        assertEquals(7, underKey(newKeyId), "the first 7 are under the new key, the rest untouched");
        KeyRing oldAndNew = Fixtures.ring(newKey).readingAlso(Fixtures.ring(oldKey)).readingAlso(Fixtures.ring(olderKey));
        assertAllReadable(oldAndNew);

        // the same command again: rekey reads with the new key as well as the configured ones
        Cli.Result rerun = new Cli().run("rekey", "--new-key-file", newKey.toString(), "--config", config.toString());
        assertEquals(0, rerun.code(), rerun::toString);
        assertEquals("re-encrypted 20 snapshots in " + dir + " under key " + newKeyId + " (key file " + newKey + ")\n"
                + "next: set memory.encryption to key_file: " + newKey + " (or pass the same option as --key-file, "
                + "--key-env or --passphrase-env); the old key is no longer needed for this directory, but keep "
                + "it while backups made with it exist\n", rerun.out());
        assertEquals("", rerun.err());

        assertEquals(COUNT, underKey(newKeyId));
        assertTrue(Fixtures.files(dir).stream().allMatch(f -> f.endsWith(".json.gz.enc")), "memory.compression too");
        assertAllReadable(Fixtures.ring(newKey));
        Cli.Result verify = new Cli().run("verify", "--dir", dir.toString(), "--key-file", newKey.toString());
        assertEquals(0, verify.code(), verify::toString);
        Cli.Result pinned = new Cli().run("list", "--json", "--pinned", "--dir", dir.toString(), "--key-file",
                newKey.toString());
        assertEquals(List.of(Fixtures.id(T.plusHours(1), 1)), Fixtures.ids(pinned.out()));
        assertEquals(List.of(Fixtures.id(T.plusHours(12), 12)), Fixtures.ids(new Cli().run("list", "--json",
                "--label", "plain", "--label", "x", "--dir", dir.toString(), "--key-file", newKey.toString()).out()));
        // the old keys alone read nothing any more
        Cli.Result oldOnly = new Cli().run("list", "--config", config.toString());
        assertEquals(4, oldOnly.code(), oldOnly::toString);
        assertEquals("no snapshots match\n", oldOnly.out());
    }

    @Test
    void aRerunAfterTheConfigWasSwitchedToTheNewKeyAlsoFinishes() throws Exception {
        Cli interrupted = new Cli().progress(progress -> (done, total) -> {
            if (done == 3) {
                throw new IllegalStateException("interrupted");
            }
        });
        assertNotEquals(0, interrupted.run("rekey", "--new-key-file", newKey.toString(), "--config",
                config.toString()).code());
        // the user already made the new key current, with the old ones as previous keys
        Path switched = keys.resolve("switched.yaml");
        Files.writeString(switched, "memory:\n  snapshot_dir: " + dir + "\n  encryption:\n    key_file: " + newKey
                + "\n    previous:\n      - key_file: " + oldKey + "\n      - key_file: " + olderKey + "\n");
        assertEquals(0, new Cli().run("verify", "--config", switched.toString()).code(), "readable meanwhile");
        Cli.Result rerun = new Cli().run("rekey", "--new-key-file", newKey.toString(), "--config",
                switched.toString());
        assertEquals(0, rerun.code(), rerun::toString);
        assertAllReadable(Fixtures.ring(newKey));
    }

    @Test
    void aPlainStoreCanBeEncryptedWithAPassphraseFromTheEnvironment() {
        Path plainDir = keys.resolve("plain");
        SnapshotStore plain = Fixtures.store(plainDir, SnapshotCodec.plain());
        plain.save(originals.values().iterator().next());
        Cli cli = new Cli().env("MEMSNAP_PASSPHRASE", "correct horse battery staple");
        Cli.Result rekey = cli.run("rekey", "--new-passphrase-env", "MEMSNAP_PASSPHRASE", "--dir", plainDir.toString(),
                "--json");
        assertEquals(0, rekey.code(), rekey::toString);
        assertEquals(1, Fixtures.json(rekey.out()).get("copied").asInt());
        assertEquals(".json.enc", Fixtures.json(rekey.out()).get("format").asText());
        assertEquals(4, new Cli().run("list", "--dir", plainDir.toString()).code());
        assertEquals(0, cli.run("verify", "--dir", plainDir.toString(), "--passphrase-env", "MEMSNAP_PASSPHRASE").code());
    }

    @Test
    void aSnapshotThatCannotBeReadIsReportedAndTheRestAreRekeyed() throws Exception {
        String damaged = Fixtures.id(T.plusHours(2), 2); // under the older key
        Path file = dir.resolve(damaged + ".json.gz.enc");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        Cli.Result rekey = new Cli().run("rekey", "--new-key-file", newKey.toString(), "--config", config.toString());
        assertEquals(4, rekey.code(), rekey::toString);
        assertTrue(rekey.out().startsWith("re-encrypted 19 snapshots in "), rekey.out());
        assertTrue(rekey.err().contains("memsnap: not re-encrypted " + damaged + ": " + file), rekey.err());
        assertTrue(rekey.err().contains("keep the old key under memory.encryption.previous"), rekey.err());
    }

    @Test
    void withoutANewKeyEverySnapshotMovesOntoTheConfiguredKeySoThePreviousOnesCanBeDropped() throws Exception {
        Path currentOnly = keys.resolve("current-only.yaml");
        Files.writeString(currentOnly, "memory:\n  snapshot_dir: " + dir + "\n  encryption:\n    key_file: " + oldKey
                + "\n");
        Cli.Result before = new Cli().run("verify", "--config", currentOnly.toString());
        assertEquals(1, before.code(), "the files under the previous key need it: " + before);

        Cli.Result rekey = new Cli().run("rekey", "--config", config.toString());
        assertEquals(0, rekey.code(), rekey::toString);
        assertEquals("re-encrypted 20 snapshots in " + dir + " under key " + keyId(Fixtures.ring(oldKey)) + " (key file "
                + oldKey + ")\nnext: the keys under memory.encryption.previous are no longer needed for this "
                + "directory, but keep them while backups made with them exist\n", rekey.out());
        assertEquals(COUNT, underKey(keyId(Fixtures.ring(oldKey))));
        assertEquals(0, new Cli().run("verify", "--config", currentOnly.toString()).code(), "the current key alone");
        assertAllReadable(Fixtures.ring(oldKey));
    }

    @Test
    void aNewKeyIsRequiredWhenNoneIsConfiguredAndOnlyOneIsAllowed() {
        Path plainDir = keys.resolve("plain");
        Fixtures.store(plainDir, SnapshotCodec.plain()).save(originals.values().iterator().next());
        Cli.Result none = new Cli().run("rekey", "--dir", plainDir.toString());
        assertEquals(2, none.code(), none::toString);
        assertTrue(none.err().contains("rekey needs a key to encrypt under: give --new-key-file, --new-key-env or "
                + "--new-passphrase-env, or configure memory.encryption"), none.err());
        Cli.Result two = new Cli().run("rekey", "--new-key-file", newKey.toString(), "--new-key-env", "X",
                "--config", config.toString());
        assertEquals(2, two.code());
        assertTrue(two.err().contains("mutually exclusive"), two.err());
        Cli.Result unset = new Cli().run("rekey", "--new-key-env", "MEMSNAP_UNSET", "--config", config.toString());
        assertEquals(2, unset.code());
        assertEquals("memsnap: key in environment variable MEMSNAP_UNSET is not set\n", unset.err());
    }

    private long underKey(String keyId) throws Exception {
        long count = 0;
        for (String name : Fixtures.files(dir)) {
            if (keyId.equals(SnapshotCodec.keyIdOf(Files.readAllBytes(dir.resolve(name))))) {
                count++;
            }
        }
        return count;
    }

    private void assertAllReadable(KeyRing ring) {
        SnapshotStore store = Fixtures.store(dir, SnapshotCodec.plain().withKeys(ring));
        assertEquals(originals.keySet(), new java.util.TreeSet<>(store.storedIds()));
        Map<String, MemorySnapshot> read = new HashMap<>();
        for (String id : originals.keySet()) {
            read.put(id, store.read(id).orElseThrow());
        }
        assertEquals(originals, new TreeMap<>(read));
    }

    private static String keyId(KeyRing ring) {
        return SnapshotCodec.plain().withKeys(ring).writeKeyId();
    }
}
