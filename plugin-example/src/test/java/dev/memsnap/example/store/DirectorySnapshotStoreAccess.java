package dev.memsnap.example.store;

import dev.memsnap.api.store.SnapshotStore;

/** For tests in other packages: whether a store is this module's (its class is package-private). */
public final class DirectorySnapshotStoreAccess {
    private DirectorySnapshotStoreAccess() {
    }

    /**
     * @param store a store
     * @return whether it is the example directory store, whichever class loader loaded it
     */
    public static boolean isExampleStore(SnapshotStore store) {
        return store.getClass().getName().equals(DirectorySnapshotStore.class.getName());
    }
}
