package dev.memsnap.cli;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No output ever holds key material: every command that touches keys, in success and in error, with {@code --debug}
 * stack traces, is run with keys from a file, from the environment (hex) and a passphrase, and none of them (nor any
 * long piece of one) appears on stdout or stderr.
 */
class NoKeyMaterialTest {
    private static final LocalDateTime T = LocalDateTime.of(2025, 10, 1, 0, 0);
    private static final String PASSPHRASE = "never-print-this passphrase 7f3a";
    private static final String GARBAGE = "not a key but still secret-ish 91c2";

    @TempDir
    Path work;

    @Test
    void noKeyOrPassphraseIsEverPrinted() throws Exception {
        Path dir = work.resolve("store");
        Path keyFile = work.resolve("key");
        byte[] fileKey = Fixtures.keyFile(keyFile);
        byte[] envKey = KeyRing.generateKey();
        String envKeyHex = HexFormat.of().formatHex(envKey);
        SnapshotStore store = Fixtures.store(dir, Fixtures.codec(Compression.GZIP, Fixtures.ring(keyFile)));
        for (int i = 0; i < 3; i++) {
            store.save(TestSnapshots.snapshot(Fixtures.id(T.plusHours(i), i), T.plusHours(i), 2, 2));
        }
        String id = Fixtures.id(T, 0);
        Fixtures.saveUnderMasterKey(dir, Fixtures.codec(Compression.NONE, KeyRing.ofKey(envKey)),
                TestSnapshots.snapshot(Fixtures.id(T, 99), T, 1, 1));

        Cli cli = new Cli().env("MEMSNAP_KEY", envKeyHex).env("MEMSNAP_PASSPHRASE", PASSPHRASE)
                .env("MEMSNAP_GARBAGE", GARBAGE).env("MEMSNAP_SHORT", "tiny7ch");
        String d = dir.toString();
        String k = keyFile.toString();
        List<Cli.Result> results = new ArrayList<>();
        for (String[] args : List.of(
                new String[] {"list", "--dir", d, "--key-file", k},
                new String[] {"list", "--dir", d, "--key-file", k, "--json", "--debug"},
                new String[] {"list", "--dir", d},
                new String[] {"show", id, "--dir", d, "--key-file", k},
                new String[] {"show", id, "--dir", d, "--key-file", k, "--json"},
                new String[] {"show", id, "--dir", d, "--key-env", "MEMSNAP_KEY", "--debug"},
                new String[] {"diff", id, Fixtures.id(T, 99), "--dir", d, "--key-file", k, "--debug"},
                new String[] {"verify", "--dir", d, "--key-file", k, "-v"},
                new String[] {"verify", "--dir", d, "--key-env", "MEMSNAP_KEY", "--json", "--debug"},
                new String[] {"list", "--dir", d, "--key-env", "MEMSNAP_GARBAGE", "--debug"},
                new String[] {"list", "--dir", d, "--passphrase-env", "MEMSNAP_SHORT", "--debug"},
                new String[] {"export", "--to", work.resolve("x1").toString(), "--to-key-env", "MEMSNAP_KEY",
                        "--dir", d, "--key-file", k, "--json", "--debug"},
                new String[] {"export", "--to", work.resolve("x2").toString(), "--to-passphrase-env",
                        "MEMSNAP_PASSPHRASE", "--dir", d, "--key-file", k, "--progress"},
                new String[] {"import", work.resolve("x2").toString(), "--from-passphrase-env", "MEMSNAP_PASSPHRASE",
                        "--dir", work.resolve("y").toString(), "--debug"},
                new String[] {"rekey", "--new-key-env", "MEMSNAP_KEY", "--dir", d, "--key-file", k, "--debug"},
                new String[] {"rekey", "--new-passphrase-env", "MEMSNAP_PASSPHRASE", "--dir", d, "--key-env",
                        "MEMSNAP_KEY", "--json"},
                new String[] {"verify", "--dir", d, "--passphrase-env", "MEMSNAP_PASSPHRASE", "-v"},
                new String[] {"show", id, "--dir", d, "--key-file", k, "--debug"},
                new String[] {"keygen", work.resolve("new.key").toString()},
                new String[] {"keygen", work.resolve("new.key").toString(), "--debug"})) {
            results.add(cli.run(args));
        }
        // sanity: the runs did what they should, so their output is worth checking (one snapshot is under the env
        // key, so the key file alone leaves it unreadable until the rekey to the env key)
        assertEquals(List.of(4, 4, 4, 0, 0, 4, 4, 1, 1, 2, 2, 4, 4, 0, 0, 0, 0, 4, 0, 2),
                results.stream().map(Cli.Result::code).toList(), results::toString);
        assertTrue(results.get(17).err().contains("\tat "), "--debug prints stack traces");

        byte[] generated = Base64.getDecoder().decode(Files.readString(work.resolve("new.key")).strip());
        List<String> secrets = new ArrayList<>(List.of(PASSPHRASE, GARBAGE, "tiny7ch"));
        for (byte[] key : List.of(fileKey, envKey, generated)) {
            secrets.add(Base64.getEncoder().encodeToString(key));
            secrets.add(HexFormat.of().formatHex(key));
            secrets.add(HexFormat.of().formatHex(key).toUpperCase(Locale.ROOT));
        }
        for (Cli.Result result : results) {
            String output = result.all();
            for (String secret : secrets) {
                // any 12-character piece would already be a leak worth failing on
                for (int i = 0; i + 12 <= secret.length(); i += 6) {
                    String piece = secret.substring(i, i + 12);
                    assertFalse(output.contains(piece), () -> "key material \"" + piece + "\" in:\n" + result);
                }
            }
        }
    }
}
