package dev.memsnap.spring.actuate;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.StoredSnapshot;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a store holds, in three numbers, from one reading of its inventory: what the health indicator reports and
 * the store gauges show.
 *
 * @param memories    memory ids with stored snapshots
 * @param snapshots   stored snapshots
 * @param storedBytes their size in the store, or -1 when the store cannot tell the size of some
 */
record StoreSummary(int memories, int snapshots, long storedBytes) {
    /**
     * @param store a store
     * @return what it holds now
     * @throws dev.memsnap.api.SnapshotStoreException when the store cannot be read
     */
    static StoreSummary of(SnapshotStore store) {
        List<StoredSnapshot> inventory = store.inventory();
        Set<String> memories = new HashSet<>();
        long bytes = 0;
        boolean unknown = false;
        for (StoredSnapshot s : inventory) {
            memories.add(s.metadata().memoryId());
            unknown |= s.storedBytes() < 0;
            bytes += Math.max(0, s.storedBytes());
        }
        return new StoreSummary(memories.size(), inventory.size(), unknown ? -1 : bytes);
    }
}
