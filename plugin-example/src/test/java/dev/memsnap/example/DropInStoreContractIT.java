package dev.memsnap.example;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.SnapshotStores;
import dev.memsnap.core.testing.SnapshotStoreContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Core's store contract, run on the store as a host gets it: the packaged jar dropped into a plugin directory, the
 * store opened by {@code memory.store: example-directory} through {@link SnapshotStores}, as every tool opens it.
 */
class DropInStoreContractIT extends SnapshotStoreContract {
    @TempDir
    static Path root;
    private static int stores;
    private Path storeDir;

    @BeforeAll
    static void dropTheJarIn() throws IOException {
        DropInJarIT.onlyWhenThePackagedJarIsNamed();
        DropInJarIT.dropIn(root);
    }

    @Override
    protected SnapshotStore createStore() {
        storeDir = root.resolve("store-" + ++stores); // fresh and empty for every test
        return reopenStore();
    }

    @Override
    protected SnapshotStore reopenStore() {
        ConfigFile config = ConfigFile.parse("config.yaml", "plugins:\n  directory: " + root.resolve("plugins")
                + "\nmemory:\n  store: example-directory\n  example_directory:\n    path: " + storeDir + "\n");
        SnapshotStores.Opened opened = SnapshotStores.open(config, config.memory(),
                new DropInJarIT.HostWithoutThisModule());
        assertEquals("example-directory", opened.name());
        assertEquals("dev.memsnap.example.store.DirectorySnapshotStore", opened.store().getClass().getName());
        assertEquals("memsnap-plugin:memsnap-audit-plugin.jar", opened.store().getClass().getClassLoader().getName());
        return opened.store();
    }
}
