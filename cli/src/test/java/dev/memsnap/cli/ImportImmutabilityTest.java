package dev.memsnap.cli;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots are immutable: import never replaces a stored snapshot with a different one of the same id. */
class ImportImmutabilityTest {
    static final LocalDateTime T = LocalDateTime.of(2025, 3, 1, 12, 0);
    static final String ID = Fixtures.id(T, 1);

    @TempDir
    Path dir;

    private static MemorySnapshot snapshot(String said) {
        return Fixtures.snapshot(ID, T, List.of(new Turn("user", said)), Map.of());
    }

    private SnapshotStore store(String name) {
        return Fixtures.store(dir.resolve(name), Fixtures.codec(Compression.NONE, null));
    }

    @Test
    void aDifferentSnapshotUnderAStoredIdIsRefusedFromAFileOrADirectory() {
        store("target").save(snapshot("original"));
        store("other").save(snapshot("forged"));
        Path target = dir.resolve("target");
        for (Path source : List.of(dir.resolve("other").resolve(ID + ".json"), dir.resolve("other"))) {
            Cli.Result result = new Cli().run("import", source.toString(), "--dir", target.toString());
            assertEquals(ExitCodes.DAMAGED, result.code(), result.toString());
            assertTrue(result.err().contains("snapshot " + ID + " is already stored"), result.toString());
            assertTrue(result.err().contains("immutable"), result.toString());
            assertEquals(snapshot("original"), store("target").read(ID).orElseThrow(), "unchanged: " + source);
        }
    }

    @Test
    void theSameSnapshotImportedAgainIsFine() {
        store("target").save(snapshot("original"));
        store("copy").save(snapshot("original"));
        Path target = dir.resolve("target");
        for (Path source : List.of(dir.resolve("copy").resolve(ID + ".json"), dir.resolve("copy"))) {
            Cli.Result result = new Cli().run("import", source.toString(), "--dir", target.toString());
            assertEquals(0, result.code(), result.toString());
            assertTrue(result.out().startsWith("imported 1 snapshot"), result.toString());
        }
        assertEquals(snapshot("original"), store("target").read(ID).orElseThrow());
    }
}
