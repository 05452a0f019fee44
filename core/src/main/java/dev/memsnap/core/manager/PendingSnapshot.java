package dev.memsnap.core.manager;

import dev.memsnap.api.Immutable;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;

import dev.memsnap.core.format.Timestamps;

import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An automatic snapshot as a turn takes it: references to the (immutable) state and the time of capture, nothing
 * else, so that the turn pays for no id, statistics or event. It becomes a {@link MemorySnapshot} (id made from the
 * capture time, statistics, held by the manager) when first needed: on the save thread normally, or on whatever
 * thread needs its id sooner (the next snapshot's lineage, a listing). Its parent may itself still be pending; the
 * chain is resolved oldest first, without recursion, and each link drops its references once resolved.
 *
 * <p>It is also its own save: the task the save thread runs ({@link AutoSnapshots#save}) and the link of its memory's
 * list of snapshots whose create event is not published yet, so that handing it over allocates nothing more.
 */
final class PendingSnapshot extends SaveQueue.Task {
    private final AutoSnapshots auto;
    /** When it was captured, as {@link Timestamps#nowMicros}: the date is built on the save thread. */
    private final long timestampMicros;
    private List<Turn> turns;
    private final LocalDateTime sessionStart;
    private Map<String, Memory> memories;
    private final String lastToolUsed;
    /** The parent: a snapshot id, a pending snapshot, or {@code null}; cleared once resolved. */
    private volatile Object parent;
    private volatile MemorySnapshot snapshot;
    /** The memory's snapshot taken before this one whose create event was not published yet; see the manager. */
    PendingSnapshot olderUnannounced;

    /**
     * Takes the state as it is now. memsnap's own memories hand out immutable state, kept as is ({@code ownMemories}
     * says the state is theirs, without looking at the state's objects, which a turn after a pause finds out of the
     * cache); anything else a host bound is copied here, unless {@link Immutable}, since it may change before the
     * snapshot is made.
     */
    PendingSnapshot(AutoSnapshots auto, long timestampMicros, boolean ownMemories, List<Turn> turns,
                    LocalDateTime sessionStart, Map<String, Memory> memories, String lastToolUsed, Object parent) {
        this.auto = auto;
        this.timestampMicros = timestampMicros;
        this.turns = ownMemories || turns instanceof Immutable ? turns : List.copyOf(turns); // refuses a null turn
        this.sessionStart = Objects.requireNonNull(sessionStart, "the short-term memory's session start");
        this.memories = ownMemories || memories instanceof Immutable ? memories : checkedCopy(memories);
        this.lastToolUsed = lastToolUsed;
        this.parent = parent;
    }

    /**
     * Copies a host's memories, refusing what the snapshot could not be made of: checked here, on the turn, so that a
     * capture that fails fails before it becomes the lineage's head, and later snapshots, whose parent it would be,
     * are not made to fail with it.
     */
    private static Map<String, Memory> checkedCopy(Map<String, Memory> memories) {
        Map<String, Memory> copy = new LinkedHashMap<>(Math.max(16, memories.size() * 4 / 3 + 1));
        memories.forEach((key, memory) -> copy.put(Objects.requireNonNull(key, "a long-term memory's key"),
                Objects.requireNonNull(memory, () -> "the long-term memory under key " + key)));
        return Collections.unmodifiableMap(copy);
    }

    /** On the save thread: publishes the memory's pending create events, then makes and saves this snapshot. */
    @Override
    void run() {
        auto.save(this);
    }

    /** @return the id of a lineage head: a snapshot id, a pending snapshot (resolved now), or {@code null} */
    static String idOf(Object head, MemorySnapshotManager snapshots) {
        return head instanceof PendingSnapshot pending ? pending.resolve(snapshots).snapshotId() : (String) head;
    }

    /** @return the snapshot, made now (with any pending ancestors) if it has not been yet; idempotent, thread-safe */
    MemorySnapshot resolve(MemorySnapshotManager snapshots) {
        MemorySnapshot done = snapshot;
        if (done != null) {
            return done;
        }
        Deque<PendingSnapshot> chain = new ArrayDeque<>();
        for (Object p = this; p instanceof PendingSnapshot link && link.snapshot == null; p = link.parent) {
            chain.push(link);
        }
        while (!chain.isEmpty()) {
            chain.pop().resolveOne(snapshots);
        }
        return snapshot;
    }

    /** Makes this snapshot; its parent, if pending, is resolved already. */
    private synchronized void resolveOne(MemorySnapshotManager snapshots) {
        if (snapshot != null) {
            return;
        }
        Object p = parent;
        String parentId = p instanceof PendingSnapshot pending ? pending.snapshot.snapshotId() : (String) p;
        snapshot = snapshots.create(Timestamps.ofEpochMicros(timestampMicros), turns, sessionStart, memories, lastToolUsed, parentId);
        parent = null; // an older snapshot stays reachable only while something else holds it
        turns = null;
        memories = null;
    }
}
