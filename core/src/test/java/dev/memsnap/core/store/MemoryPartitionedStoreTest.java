package dev.memsnap.core.store;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.SnapshotStoreContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The stores memsnap runs: a directory per memory id, over either kind of directory store. */
class MemoryPartitionedStoreTest {

    @Nested
    class OverFiles extends SnapshotStoreContract {
        @TempDir
        Path dir;

        @Override
        protected SnapshotStore createStore() {
            SnapshotStore s = FileStores.open(dir, SnapshotCodec.plain());
            s.start();
            return s;
        }

        @Override
        protected SnapshotStore reopenStore() {
            return createStore();
        }
    }

    @Nested
    class OverIncrementalStores extends SnapshotStoreContract {
        @TempDir
        Path dir;

        @Override
        protected SnapshotStore createStore() {
            SnapshotStore s = FileStores.openIncremental(dir, SnapshotCodec.plain());
            s.start();
            return s;
        }

        @Override
        protected SnapshotStore reopenStore() {
            return createStore();
        }
    }
}
