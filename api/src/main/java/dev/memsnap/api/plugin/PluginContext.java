package dev.memsnap.api.plugin;

import dev.memsnap.api.format.SnapshotEncoding;
import dev.memsnap.api.format.SnapshotFormat;

import java.time.Clock;

/** What memsnap offers a plugin's factories: the pieces a store or event backend needs, through {@code api} types. */
public interface PluginContext {

    /** @return the clock memsnap stamps snapshots with */
    Clock clock();

    /** @return how stored snapshots are encoded (compression and encryption from {@code memory:}) */
    SnapshotEncoding encoding();

    /** @return the snapshot JSON format, and the one JSON shape of snapshot metadata and events */
    SnapshotFormat format();

    /**
     * @param snapshotId a candidate
     * @return whether it is a snapshot id ({@code snapshot_<yyyyMMdd>_<HHmmss>_<8 hex>}), safe as a file or key name
     */
    boolean isValidSnapshotId(String snapshotId);

    /**
     * @param snapshotId a candidate
     * @return it, when valid
     * @throws dev.memsnap.api.InvalidSnapshotIdException when it is not a snapshot id
     */
    default String requireValidSnapshotId(String snapshotId) {
        if (!isValidSnapshotId(snapshotId)) {
            throw new dev.memsnap.api.InvalidSnapshotIdException("not a snapshot id: "
                    + (snapshotId == null ? "null" : '"' + snapshotId + '"'));
        }
        return snapshotId;
    }

    /**
     * @return the running memsnap: the manager, the store and the services; usable from the parts'
     *         {@code start()} on, not while factories run
     */
    PluginRuntime runtime();
}
