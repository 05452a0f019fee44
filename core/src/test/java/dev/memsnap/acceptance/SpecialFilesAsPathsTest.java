package dev.memsnap.acceptance;

import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A FIFO or a device given as an explicit snapshot file is refused at once, never opened (which would block). */
class SpecialFilesAsPathsTest {
    @TempDir
    Path tmp;

    @Test
    void loadSnapshotOfAFifoOrADeviceIsRefused() throws Exception {
        Path fifo = tmp.resolve("snapshot.json");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        Path yaml = Acceptance.write(tmp.resolve("config.yaml"), "memory:\n  snapshot_dir: \""
                + tmp.resolve("snapshots") + "\"\n");
        try (Memsnap memsnap = Memsnap.start(ConfigFile.load(yaml))) {
            for (Path special : new Path[] {fifo, Path.of("/dev/zero"), tmp}) {
                SnapshotFormatException refused = assertTimeoutPreemptively(Duration.ofSeconds(10),
                        () -> assertThrows(SnapshotFormatException.class,
                                () -> memsnap.manager().loadSnapshot(special)), special.toString());
                assertTrue(refused.getMessage().contains(special.toString()), refused.getMessage());
            }
        }
    }
}
