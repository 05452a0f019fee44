package dev.memsnap.dashboard;

import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.event.SnapshotEventSource;
import dev.memsnap.api.plugin.PluginRuntime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The snapshots taken automatically since the host started, per memory, which snapshot metadata does not record: the
 * listing's {@code automatic} flag. Fed by the events of every memory (the server subscribes it to the runtime's
 * memories, or to the default manager when they report no events); only ids are kept, the listing itself comes from
 * the manager. Bounded: past {@link #CAPACITY} the oldest are forgotten. Thread-safe.
 */
final class AutomaticSnapshots implements SnapshotEventListener {
    static final int CAPACITY = 10_000;

    private record Key(String memoryId, String snapshotId) {
    }

    private final Map<Key, Boolean> ids = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    /**
     * @param runtime the running memsnap
     * @return what reports the events of every memory: the memories themselves when they do (core's do), else the
     *         default memory's manager when it does, else empty
     */
    static Optional<SnapshotEventSource> eventsOf(PluginRuntime runtime) {
        if (runtime.memories() instanceof SnapshotEventSource all) {
            return Optional.of(all);
        }
        return runtime.manager() instanceof SnapshotEventSource one ? Optional.of(one) : Optional.empty();
    }

    @Override
    public synchronized void onEvent(SnapshotEvent event) {
        if (event.automatic() && event.snapshotId() != null) {
            ids.put(new Key(event.memoryId(), event.snapshotId()), Boolean.TRUE);
        }
    }

    synchronized boolean automatic(String memoryId, String snapshotId) {
        return ids.containsKey(new Key(memoryId, snapshotId));
    }

    @Override
    public String toString() {
        return "the dashboard's record of automatic snapshots";
    }
}
