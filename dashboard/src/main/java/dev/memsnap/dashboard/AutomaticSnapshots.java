package dev.memsnap.dashboard;

import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the snapshots taken automatically since the host started, which snapshot metadata does not record: the
 * listing's {@code automatic} flag. Fed by the manager's own events (the server subscribes it to the manager); only
 * ids are kept, the listing itself comes from the manager. Bounded: past {@link #CAPACITY} the oldest are forgotten.
 * Thread-safe.
 */
final class AutomaticSnapshots implements SnapshotEventListener {
    static final int CAPACITY = 10_000;

    private final Map<String, Boolean> ids = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    @Override
    public synchronized void onEvent(SnapshotEvent event) {
        if (event.automatic() && event.snapshotId() != null) {
            ids.put(event.snapshotId(), Boolean.TRUE);
        }
    }

    synchronized boolean automatic(String snapshotId) {
        return ids.containsKey(snapshotId);
    }

    @Override
    public String toString() {
        return "the dashboard's record of automatic snapshots";
    }
}
