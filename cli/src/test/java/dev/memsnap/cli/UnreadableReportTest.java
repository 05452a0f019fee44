package dev.memsnap.cli;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A forgotten key makes every snapshot unreadable at once: list and prune say so once, with the count and the fix. */
class UnreadableReportTest {
    private static final LocalDateTime T = LocalDateTime.of(2025, 6, 1, 0, 0);
    private static final int ENCRYPTED = 40;

    @TempDir
    Path dir;
    @TempDir
    Path keys;

    private void encryptedStore() {
        Path key = keys.resolve("key");
        Fixtures.keyFile(key);
        SnapshotStore store = Fixtures.store(dir, Fixtures.codec(Compression.NONE, Fixtures.ring(key)));
        for (int i = 0; i < ENCRYPTED; i++) {
            store.save(TestSnapshots.snapshot(Fixtures.id(T.plusMinutes(i), i), T.plusMinutes(i), 1, 1));
        }
    }

    @Test
    void listWithoutTheKeySaysItOnceWithTheCountAndTheFix() {
        encryptedStore();
        Cli.Result list = new Cli().run("list", "--dir", dir.toString());

        assertEquals(4, list.code(), list::toString);
        List<String> lines = list.err().lines().toList();
        assertEquals(2, lines.size(), list.err());
        assertTrue(lines.get(0).startsWith("memsnap: cannot list 40 stored snapshots (" + Fixtures.id(T, 0) + ", "),
                list.err());
        assertTrue(lines.get(0).contains(" and 37 more): encrypted under key "), list.err());
        assertTrue(lines.get(0).contains("give it with --key-file FILE") && lines.get(0).contains("memory.encryption"),
                list.err());
        assertEquals("memsnap: 40 stored snapshots could not be read (exit 4)", lines.get(1),
                "no verify hint: the fix is the key");

        Cli.Result prune = new Cli().run("prune", "--keep-last", "1", "--dry-run", "--dir", dir.toString());
        assertEquals(2, prune.err().lines().count(), prune.err());
    }

    @Test
    void damagedSnapshotsAreNamedUpToTenThenCounted() throws Exception {
        SnapshotStore store = Fixtures.store(dir, SnapshotCodec.plain());
        store.save(TestSnapshots.snapshot(Fixtures.id(T, 999), T, 1, 1));
        for (int i = 0; i < 12; i++) {
            Files.writeString(dir.resolve(Fixtures.id(T.plusMinutes(i + 1), i) + ".json"), "{\"damaged\": " + i);
        }
        Cli.Result list = new Cli().run("list", "--dir", dir.toString());

        assertEquals(4, list.code(), list::toString);
        List<String> lines = list.err().lines().toList();
        assertEquals(12, lines.size(), list.err());
        assertTrue(lines.get(0).startsWith("memsnap: cannot list " + Fixtures.id(T.plusMinutes(1), 0) + ": "),
                list.err());
        assertEquals("memsnap: cannot list 2 more damaged snapshots", lines.get(10));
        assertEquals("memsnap: 12 stored snapshots could not be read (exit 4); memsnap verify checks them all",
                lines.get(11));
    }
}
