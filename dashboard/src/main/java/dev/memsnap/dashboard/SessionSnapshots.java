package dev.memsnap.dashboard;

import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.event.SnapshotEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshots created or loaded since the host started, as their events described them, and which of them were
 * automatic (snapshot metadata itself does not say). With the store's inventory this gives the whole listing without
 * calling the manager's {@code listSnapshots()}, which would publish a {@code list} event to every event backend (an
 * audit log, the WebSocket) each time the page refreshes. Complete because core starts its listeners before its
 * managers, so no snapshot is taken before this sees it.
 *
 * <p>Bounded: past {@link #CAPACITY} the oldest are forgotten (automatic snapshots are saved and then found in the
 * store anyway). Thread-safe.
 */
final class SessionSnapshots {
    static final int CAPACITY = 10_000;

    /**
     * A snapshot seen being created or loaded.
     *
     * @param metadata  what its event said of it
     * @param automatic whether it was an automatic snapshot
     */
    record Seen(SnapshotMetadata metadata, boolean automatic) {
    }

    private final Map<String, Seen> seen = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void record(SnapshotEvent event) {
        if (event.snapshotId() == null || event.metadata() == null) {
            return;
        }
        switch (event.action()) {
            case CREATE, LOAD -> {
                Seen before = seen.get(event.snapshotId());
                seen.put(event.snapshotId(), new Seen(event.metadata(),
                        event.automatic() || (before != null && before.automatic())));
            }
            case SAVE -> {
                if (event.automatic() && !seen.containsKey(event.snapshotId())) {
                    seen.put(event.snapshotId(), new Seen(event.metadata(), true));
                }
            }
            default -> { }
        }
    }

    /** @return every snapshot seen, oldest first */
    synchronized List<Seen> all() {
        return new ArrayList<>(seen.values());
    }

    synchronized boolean automatic(String snapshotId) {
        Seen s = seen.get(snapshotId);
        return s != null && s.automatic();
    }

    /** Forgets a snapshot that is neither held nor stored any more. */
    synchronized void forget(String snapshotId) {
        seen.remove(snapshotId);
    }
}
