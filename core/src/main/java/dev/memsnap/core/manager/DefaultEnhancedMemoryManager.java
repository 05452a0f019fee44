package dev.memsnap.core.manager;

import dev.memsnap.api.ApplyOptions;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.Turn;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.event.SnapshotEventSource;
import dev.memsnap.api.memory.LongTermMemory;
import dev.memsnap.api.memory.ShortTermMemory;
import dev.memsnap.core.format.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The facade of one memory id. Every change to live memory, and every capture of it, happens under one lock, so a
 * snapshot is one instant of both memories and an apply is never seen half done. Snapshot work that needs no live
 * state (saving, loading, listing) runs outside the lock.
 *
 * <p>The live state can be <em>evicted</em> (saved as a snapshot when it changed, then dropped from the heap) and comes
 * back on the next call, from that snapshot: the instance stays the same, so a caller holding it never notices.
 * Lineage: {@link #head} is the snapshot the live state descends from (the last created or applied), and becomes the
 * parent of the next snapshot.
 */
final class DefaultEnhancedMemoryManager implements EnhancedMemoryManager, SnapshotEventSource {
    private static final Logger log = LoggerFactory.getLogger(DefaultEnhancedMemoryManager.class);

    /** What the manager needs from the set of memories it belongs to. */
    interface Owner {
        /** Called before each operation, holding no lock: marks the memory used, and may evict another. */
        void touched(DefaultEnhancedMemoryManager manager);

        /** @return a fresh conversation and long-term memory for this memory id */
        ShortTermMemory newShortTerm(String memoryId);

        LongTermMemory newLongTerm(String memoryId);
    }

    private final String memoryId;
    /** This memory's manager as hosts get it: this one, wrapped by the bound decorators; set by the owner. */
    EnhancedMemoryManager facade;
    private final Object stateLock = new Object();
    private final Owner owner;
    private final MemorySnapshotManager snapshots;
    private final EventPublisher events;
    private final AutoSnapshots auto;
    private final Clock clock;
    private final SaveQueue saver;

    // guarded by stateLock
    private ShortTermMemory shortTerm;
    private LongTermMemory longTerm;
    /** Whether both are memsnap's own, whose state is immutable: a capture keeps it without a look. */
    private boolean ownMemories;
    /** A snapshot id, or a {@link PendingSnapshot} whose id is not made yet; see {@link PendingSnapshot#idOf}. */
    private Object head;
    private String undoTarget;
    private boolean dirty;
    /**
     * When the last snapshot of this memory was captured, as {@link Timestamps#nowMicros} (guarded by stateLock):
     * each capture is dated at least a
     * microsecond (what the format keeps) after it, so that a memory's snapshots are ordered by their timestamps even
     * when turns come faster than the clock ticks.
     */
    private long lastCaptureMicros = Long.MIN_VALUE;
    /** How far ahead of the clock a resumed snapshot may be dated and still date the captures after it. */
    static final java.time.Duration RESUME_CLOCK_SKEW = java.time.Duration.ofMinutes(1);
    /** How the live state starts when it is (re)made: from this snapshot, or from the newest stored one. */
    private Supplier<Optional<MemorySnapshot>> resumeFrom;
    /**
     * The newest automatic snapshot taken whose create event is not published yet, linked to the older ones
     * ({@link PendingSnapshot#olderUnannounced}); see {@link #announce()}. Pushed under stateLock, taken whole.
     */
    @SuppressWarnings("unused") // through UNANNOUNCED
    private volatile PendingSnapshot newestUnannounced;
    private static final VarHandle UNANNOUNCED;

    static {
        try {
            UNANNOUNCED = MethodHandles.lookup().findVarHandle(DefaultEnhancedMemoryManager.class,
                    "newestUnannounced", PendingSnapshot.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object announceLock = new Object();

    DefaultEnhancedMemoryManager(String memoryId, Owner owner, MemorySnapshotManager snapshots, EventPublisher events,
                                 AutoSnapshots.Settings autoSettings, Clock clock, SaveQueue saver,
                                 Supplier<Optional<MemorySnapshot>> resumeFrom, Totals totals) {
        this.memoryId = memoryId;
        this.owner = owner;
        this.snapshots = snapshots;
        this.events = events;
        this.clock = clock;
        this.saver = saver;
        this.resumeFrom = resumeFrom;
        this.auto = autoSettings.create(snapshots, events, saver, totals, this::announce);
    }

    @Override
    public String memoryId() {
        return memoryId;
    }

    @Override
    public AutoCloseable subscribe(SnapshotEventListener listener) {
        return events.subscribe(null, listener); // this manager's own publisher: its subscribers go with it
    }

    /** Under the lock: makes the live state if it is not there (first use, or after an eviction). */
    private void ensureLiveLocked() {
        if (shortTerm != null) {
            return;
        }
        ShortTermMemory st = owner.newShortTerm(memoryId);
        LongTermMemory lt = owner.newLongTerm(memoryId);
        Optional<MemorySnapshot> from = resumeFrom.get();
        if (from.isPresent()) {
            MemorySnapshot s = from.get();
            st.restore(s.shortTerm().turns(), s.shortTerm().sessionStart());
            lt.restore(s.longTerm().memories());
            head = s.snapshotId();
            seedLastCaptureLocked(s.timestamp());
        }
        shortTerm = st;
        longTerm = lt;
        ownMemories = st instanceof InMemoryShortTermMemory && lt instanceof InMemoryLongTermMemory;
        dirty = false;
    }

    /** @return whether the live state is in the heap now */
    boolean isLive() {
        synchronized (stateLock) {
            return shortTerm != null;
        }
    }

    /**
     * Saves the live state when it changed since its newest snapshot, then drops it from the heap; the next call
     * resumes from that snapshot. Holds no other manager's lock.
     *
     * @return the snapshot the state was kept in, or {@code null} when nothing needed saving
     */
    MemorySnapshot evict() {
        return keep(true);
    }

    /**
     * Saves the live state as a snapshot when it changed since its newest one, keeping it live: what a host that
     * resumes its memories does for each at shutdown.
     *
     * @return the snapshot, or {@code null} when nothing needed saving
     */
    MemorySnapshot keepChanges() {
        return keep(false);
    }

    private MemorySnapshot keep(boolean drop) {
        announce();
        MemorySnapshot kept = null;
        synchronized (stateLock) {
            if (shortTerm == null) {
                return null;
            }
            if (dirty || (head == null && (!shortTerm.turns().isEmpty() || !longTerm.memories().isEmpty()))) {
                kept = captureLocked();
                auto.countedAutomatic();
            }
            if (drop) {
                String resumeId = PendingSnapshot.idOf(head, snapshots);
                MemorySnapshot resumeSnapshot = kept;
                resumeFrom = () -> resumeSnapshot != null ? Optional.of(resumeSnapshot)
                        : resumeId == null ? Optional.empty() : snapshots.get(resumeId);
                shortTerm = null;
                longTerm = null;
                head = resumeId; // an id, not a pending snapshot that would keep the dropped state alive
            }
        }
        // a turn on another thread may have taken an automatic snapshot, the kept one's parent, since the first
        // announce: announce it before its child
        announce();
        if (!drop) {
            if (kept != null) {
                events.publish(SnapshotEvent.created(kept.metadata(), true));
                saveKept(kept);
            }
            return kept;
        }
        if (kept != null) {
            events.publish(SnapshotEvent.created(kept.metadata(), true));
            MemorySnapshot toSave = kept;
            if (!saver.submit(() -> saveKept(toSave))) {
                saveKept(toSave); // the queue is full: save here rather than lose it
            }
        }
        return kept;
    }

    /**
     * Drops the live state and the lineage without saving: the memory starts empty on its next use.
     *
     * @return whether it held any turn or memory
     */
    boolean discard() {
        synchronized (stateLock) {
            boolean had = shortTerm != null && (!shortTerm.turns().isEmpty() || !longTerm.memories().isEmpty());
            if (memoryId.equals(dev.memsnap.api.MemoryManagers.DEFAULT) && shortTerm != null) {
                // the host's own bound memories: emptied in place, since the next use gets them again
                shortTerm.restore(List.of(), Timestamps.now(clock));
                longTerm.restore(Map.of());
            } else {
                shortTerm = null;
                longTerm = null;
            }
            head = null;
            undoTarget = null;
            dirty = false;
            resumeFrom = Optional::empty;
            return had;
        }
    }

    private void saveKept(MemorySnapshot snapshot) {
        try {
            URI location = snapshots.save(snapshot);
            events.publish(SnapshotEvent.saved(snapshot.metadata(), location, true));
        } catch (RuntimeException e) {
            // still held: the memory resumes from it in this process, and the next save attempt may succeed
            log.warn("Snapshot {} of memory {} could not be saved; it is kept in memory", snapshot.snapshotId(),
                    memoryId, e);
        }
    }

    @Override
    public void addTurn(String role, String content) {
        addTurn(new Turn(role, content));
    }

    @Override
    public void addTurn(Turn turn) {
        Objects.requireNonNull(turn, "turn");
        owner.touched(this);
        PendingSnapshot automatic = null;
        boolean skip = false;
        synchronized (stateLock) {
            ensureLiveLocked();
            shortTerm.add(turn);
            dirty = true;
            if (auto.turnAdded()) {
                try {
                    // references and the time only: the id, date, statistics and event are made on the save thread
                    automatic = new PendingSnapshot(auto, captureMicrosLocked(), ownMemories, shortTerm.turns(),
                            shortTerm.sessionStart(), longTerm.memories(), shortTerm.lastToolUsed(), head);
                    head = automatic;
                    dirty = false;
                    PendingSnapshot older;
                    do {
                        older = newestUnannounced;
                        automatic.olderUnannounced = older;
                    } while (!UNANNOUNCED.compareAndSet(this, older, automatic));
                    skip = auto.queueFullLocked();
                } catch (RuntimeException e) {
                    auto.captureFailed(e);
                }
            }
        }
        if (automatic != null) {
            auto.saveInBackground(automatic, skip);
        }
    }

    /**
     * Makes the automatic snapshots taken so far into snapshots (held, so that listings and lookups see them) and
     * publishes their create events, oldest first, each once. Runs on the save thread before each automatic save, and
     * on any call whose own events or results must come after them. Never called holding {@link #stateLock}.
     */
    private void announce() {
        synchronized (announceLock) { // taken even with nothing to take: a call announcing meanwhile finishes first
            PendingSnapshot oldest = null;
            for (PendingSnapshot p = (PendingSnapshot) UNANNOUNCED.getAndSet(this, null); p != null; ) {
                PendingSnapshot older = p.olderUnannounced;
                p.olderUnannounced = oldest; // reversed: oldest first
                oldest = p;
                p = older;
            }
            for (PendingSnapshot next = oldest; next != null; ) {
                PendingSnapshot newer = next.olderUnannounced;
                next.olderUnannounced = null;
                try {
                    events.publish(SnapshotEvent.created(next.resolve(snapshots).metadata(), true));
                } catch (RuntimeException e) {
                    auto.resolveFailed(e);
                }
                next = newer;
            }
        }
    }

    @Override
    public String addMemory(String content, String sourceType, double importance, List<String> topics) {
        Objects.requireNonNull(topics, "topics");
        Memory memory = Memory.of(content, Timestamps.now(clock), importance, sourceType, topics);
        owner.touched(this);
        synchronized (stateLock) {
            ensureLiveLocked();
            dirty = true;
            return longTerm.add(memory);
        }
    }

    @Override
    public void putMemories(Map<String, Memory> memories) {
        Objects.requireNonNull(memories, "memories");
        Map<String, Memory> checked = new LinkedHashMap<>();
        memories.forEach((key, memory) -> {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("a long-term memory's key must be a non-empty string, got "
                        + (key == null ? "null" : "\"\""));
            }
            checked.put(key, Objects.requireNonNull(memory, "the memory under key " + key));
        });
        if (checked.isEmpty()) {
            return;
        }
        owner.touched(this);
        synchronized (stateLock) {
            ensureLiveLocked();
            longTerm.put(Collections.unmodifiableMap(checked));
            dirty = true;
        }
    }

    @Override
    public int removeMemories(Collection<String> keys) {
        List<String> copy = List.copyOf(keys);
        if (copy.isEmpty()) {
            return 0;
        }
        owner.touched(this);
        synchronized (stateLock) {
            ensureLiveLocked();
            int removed = longTerm.remove(copy);
            dirty |= removed > 0;
            return removed;
        }
    }

    @Override
    public List<Turn> turns() {
        owner.touched(this);
        synchronized (stateLock) {
            ensureLiveLocked();
            return shortTerm.turns();
        }
    }

    @Override
    public Map<String, Memory> memories() {
        owner.touched(this);
        synchronized (stateLock) {
            ensureLiveLocked();
            return longTerm.memories();
        }
    }

    @Override
    public String createSnapshot() {
        owner.touched(this);
        MemorySnapshot snapshot;
        synchronized (stateLock) {
            ensureLiveLocked();
            snapshot = captureLocked();
        }
        auto.counted();
        announce(); // automatic snapshots taken before this one are announced before it
        events.publish(SnapshotEvent.created(snapshot.metadata(), false));
        return snapshot.snapshotId();
    }

    private MemorySnapshot captureLocked() {
        MemorySnapshot snapshot = snapshots.create(Timestamps.ofEpochMicros(captureMicrosLocked()), shortTerm.turns(), shortTerm.sessionStart(),
                longTerm.memories(), shortTerm.lastToolUsed(), PendingSnapshot.idOf(head, snapshots));
        head = snapshot.snapshotId();
        dirty = false;
        return snapshot;
    }

    /**
     * Dates the next capture after a snapshot this memory resumes from, so that its first new snapshot lists after
     * its parent even when the clock stepped back meanwhile (another process's clock, or NTP). A snapshot dated more
     * than {@link #RESUME_CLOCK_SKEW} ahead of the clock is left out, so that a file from the future does not date
     * every later snapshot after it.
     */
    private void seedLastCaptureLocked(LocalDateTime resumed) {
        long resumedMicros = Timestamps.epochMicros(resumed);
        if (resumedMicros > lastCaptureMicros
                && !resumed.isAfter(Timestamps.now(clock).plus(RESUME_CLOCK_SKEW))) {
            lastCaptureMicros = resumedMicros;
        }
    }

    /**
     * @return the time of a capture now ({@link Timestamps#nowMicros}): the clock's, or a microsecond after the last
     *         capture's when not later
     */
    private long captureMicrosLocked() {
        long now = Timestamps.nowMicros(clock);
        if (now <= lastCaptureMicros) {
            now = lastCaptureMicros + 1;
        }
        lastCaptureMicros = now;
        return now;
    }

    @Override
    public URI saveSnapshot(String snapshotId) {
        MemorySnapshot snapshot = snapshots.get(snapshotId).orElseThrow(
                () -> new SnapshotNotFoundException("no snapshot with id " + snapshotId + " in memory " + memoryId));
        URI location = snapshots.save(snapshot);
        events.publish(SnapshotEvent.saved(snapshot.metadata(), location, false));
        return location;
    }

    @Override
    public String loadSnapshot(URI location) {
        MemorySnapshot snapshot = snapshots.load(location);
        events.publish(SnapshotEvent.loaded(snapshot.metadata(), location).inMemory(memoryId));
        return snapshot.snapshotId();
    }

    @Override
    public String loadSnapshot(Path file) {
        MemorySnapshot snapshot = snapshots.load(file);
        events.publish(SnapshotEvent.loaded(snapshot.metadata(), file.toUri()).inMemory(memoryId));
        return snapshot.snapshotId();
    }

    @Override
    public boolean applySnapshot(String snapshotId) {
        return applySnapshot(snapshotId, ApplyOptions.all());
    }

    @Override
    public boolean applySnapshot(String snapshotId, ApplyOptions options) {
        Objects.requireNonNull(options, "options");
        announce();
        Optional<MemorySnapshot> found = snapshots.get(snapshotId);
        if (found.isEmpty()) {
            // Stored, but not found as this memory's: another memory's (refused below unless the options allow it),
            // or this memory's own saved meanwhile by another instance, between the two reads.
            found = snapshots.getStoredInAnyMemory(snapshotId);
        }
        if (found.isEmpty()) {
            events.publish(SnapshotEvent.applied(snapshotId, null).inMemory(memoryId));
            return false;
        }
        MemorySnapshot snapshot = found.get();
        if (!snapshot.memoryId().equals(memoryId) && !options.fromOtherMemory()) {
            throw otherMemory(snapshot);
        }
        owner.touched(this);
        MemorySnapshot undoPoint;
        boolean newUndoPoint;
        synchronized (stateLock) {
            ensureLiveLocked();
            Optional<MemorySnapshot> headSnapshot = head == null ? Optional.empty()
                    : snapshots.get(PendingSnapshot.idOf(head, snapshots));
            newUndoPoint = dirty || headSnapshot.isEmpty() || !sameState(headSnapshot.get());
            undoPoint = newUndoPoint ? captureLocked() : headSnapshot.get();
            if (newUndoPoint) {
                auto.countedAutomatic();
            }
            restoreLocked(snapshot, options);
            undoTarget = undoPoint.snapshotId();
            head = snapshot.snapshotId();
            dirty = !options.equals(ApplyOptions.all()) && !options.equals(ApplyOptions.all().fromAnyMemory());
        }
        announce(); // an automatic snapshot taken on another thread meanwhile, the undo point's parent, goes first
        if (newUndoPoint) {
            // saved before the apply returns, so that the state it replaced is durable; a failed save leaves it held
            events.publish(SnapshotEvent.created(undoPoint.metadata(), true));
            saveKept(undoPoint);
        }
        events.publish(SnapshotEvent.applied(snapshotId, snapshot.metadata()).inMemory(memoryId));
        return true;
    }

    private SnapshotException otherMemory(MemorySnapshot snapshot) {
        return new SnapshotException("snapshot " + snapshot.snapshotId() + " belongs to memory \""
                + snapshot.memoryId() + "\", not to \"" + memoryId + "\"; to copy that memory here, apply it with "
                + "ApplyOptions.all().fromAnyMemory()");
    }

    private boolean sameState(MemorySnapshot snapshot) {
        return shortTerm.turns().equals(snapshot.shortTerm().turns())
                && shortTerm.sessionStart().equals(snapshot.shortTerm().sessionStart())
                && longTerm.memories().equals(snapshot.longTerm().memories());
    }

    /** Restores what the options select, all or nothing: a failure puts back what was there. */
    private void restoreLocked(MemorySnapshot snapshot, ApplyOptions options) {
        List<Turn> previousTurns = shortTerm.turns();
        LocalDateTime previousStart = shortTerm.sessionStart();
        Map<String, Memory> previousMemories = longTerm.memories();
        try {
            if (options.shortTerm()) {
                shortTerm.restore(snapshot.shortTerm().turns(), snapshot.shortTerm().sessionStart());
            }
            if (options.longTerm()) {
                longTerm.restore(selectMemories(previousMemories, snapshot.longTerm().memories(), options));
            }
        } catch (RuntimeException e) {
            try {
                shortTerm.restore(previousTurns, previousStart);
                longTerm.restore(previousMemories);
            } catch (RuntimeException rollback) {
                e.addSuppressed(rollback);
                log.error("Could not roll back a failed apply of {}; memory may be inconsistent",
                        snapshot.snapshotId(), e);
            }
            throw new SnapshotException("could not apply snapshot " + snapshot.snapshotId()
                    + "; memory was left as it was: " + e.getMessage(), e);
        }
    }

    /** The long-term memory an apply leaves: the snapshot's selected memories, merged or replacing. */
    static Map<String, Memory> selectMemories(Map<String, Memory> live, Map<String, Memory> fromSnapshot,
                                              ApplyOptions options) {
        Set<String> topics = options.topics();
        if (topics == null && !options.merge()) {
            return fromSnapshot;
        }
        Map<String, Memory> result = new LinkedHashMap<>();
        for (Map.Entry<String, Memory> e : live.entrySet()) {
            boolean replaced = !options.merge() && (topics == null || hasAny(e.getValue(), topics));
            if (!replaced) {
                result.put(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Memory> e : fromSnapshot.entrySet()) {
            if (topics == null || hasAny(e.getValue(), topics)) {
                result.put(e.getKey(), e.getValue());
            }
        }
        return result;
    }

    private static boolean hasAny(Memory memory, Set<String> topics) {
        for (String topic : memory.topics()) {
            if (topics.contains(topic)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean undoApply() {
        owner.touched(this);
        String target;
        MemorySnapshot snapshot;
        synchronized (stateLock) {
            ensureLiveLocked();
            target = undoTarget;
            if (target == null) {
                return false;
            }
            snapshot = snapshots.get(target).orElseThrow(() -> new SnapshotNotFoundException(
                    "the state before the last apply (" + target + ") is neither held nor stored any more"));
            restoreLocked(snapshot, ApplyOptions.all());
            head = target;
            undoTarget = null;
            dirty = false;
        }
        events.publish(SnapshotEvent.applied(target, snapshot.metadata()).inMemory(memoryId));
        return true;
    }

    @Override
    public List<SnapshotMetadata> listSnapshots() {
        announce();
        List<SnapshotMetadata> listing = snapshots.list();
        events.publish(SnapshotEvent.listed(listing).inMemory(memoryId));
        return listing;
    }

    @Override
    public Optional<MemorySnapshot> getSnapshot(String snapshotId) {
        announce();
        return snapshots.get(snapshotId);
    }

    @Override
    public void enableAutoSnapshot(int interval) {
        synchronized (stateLock) {
            auto.enable(interval);
        }
    }

    @Override
    public void disableAutoSnapshot() {
        synchronized (stateLock) {
            auto.disable();
        }
    }

    @Override
    public ManagerStats stats() {
        synchronized (stateLock) {
            return auto.stats();
        }
    }

    @Override
    public String toString() {
        return "memsnap memory " + memoryId;
    }
}
