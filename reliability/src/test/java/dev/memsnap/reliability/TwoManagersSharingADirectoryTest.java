package dev.memsnap.reliability;

import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.tools.SnapshotTools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

/**
 * Two running memsnaps (two injectors, two stores, two background savers) sharing one snapshot directory, as two
 * processes of one host would: each lists, reads, applies and re-saves the other's snapshots while both save, and both
 * prune. The same end state as {@link ConcurrentUseOfOneManagerTest}: nothing unexpected, nothing acknowledged lost,
 * everything stored whole.
 */
class TwoManagersSharingADirectoryTest {

    @ParameterizedTest
    @EnumSource(Stores.Kind.class)
    void twoManagersOnOneDirectoryLoseNothing(Stores.Kind kind, @TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        ConcurrentUse use;
        String yaml = ConcurrentUseOfOneManagerTest.config(dir, kind);
        try (Memsnap first = Memsnap.start(ConfigFile.parse("first", yaml));
             Memsnap second = Memsnap.start(ConfigFile.parse("second", yaml))) {
            use = new ConcurrentUse(List.of(first.manager(), second.manager()),
                    List.of(new SnapshotTools(Stores.started(kind, dir, SnapshotCodec.plain())),
                            new SnapshotTools(Stores.started(kind, dir, SnapshotCodec.plain()))));
            use.run(ConcurrentUseOfOneManagerTest.WORKERS, ConcurrentUseOfOneManagerTest.CALLS, 300);
        }
        ConcurrentUseOfOneManagerTest.checkEnd(use, Stores.started(kind, dir, SnapshotCodec.plain()), kind.name());
        ReliabilityRun.figure(TwoManagersSharingADirectoryTest.class, "run." + kind, "2 managers, "
                + ConcurrentUseOfOneManagerTest.WORKERS + " threads x " + ConcurrentUseOfOneManagerTest.CALLS
                + " calls in " + (System.nanoTime() - started) / 1_000_000 + " ms: " + use.summary());
    }
}
