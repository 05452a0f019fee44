package dev.memsnap.core.manager;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Lifecycle;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.event.SnapshotEventSource;
import dev.memsnap.api.memory.LongTermMemory;
import dev.memsnap.api.memory.MemoryFactory;
import dev.memsnap.api.memory.ShortTermMemory;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.codec.SnapshotCodec;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.lang.ref.WeakReference;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The memories of a host, one manager per memory id. A manager stays the same instance while anything holds it; at
 * most {@code memory.max_live_memories} keep their state in the heap, and beyond that the least recently used is saved
 * (when changed) and dropped, to resume from that snapshot on its next use. The default memory uses the
 * {@link ShortTermMemory} and {@link LongTermMemory} bound in Guice and is never evicted; the others are made by the
 * bound {@link MemoryFactory}. Every memory's manager is wrapped by the bound decorators (the websocket module's, say).
 */
@Singleton
final class DefaultMemoryManagers implements MemoryManagers, SnapshotEventSource, Lifecycle,
        DefaultEnhancedMemoryManager.Owner {
    private final MemoryConfig config;
    private final ShortTermMemory defaultShortTerm;
    private final LongTermMemory defaultLongTerm;
    private final MemoryFactory factory;
    private final SnapshotStore store;
    private final SnapshotCodec codec;
    private final EventPublisher events;
    private final Clock clock;
    private final SaveQueue saver;
    private final List<UnaryOperator<EnhancedMemoryManager>> decorators;
    private final AutoSnapshots.Settings autoSettings;
    private final Totals totals;

    private final Object registry = new Object();
    /** Guarded by {@link #registry}: every manager still reachable, by memory id. */
    private final Map<String, CoreRef> cores = new ConcurrentHashMap<>();
    /** Where the collector reports the managers nobody holds any more, so that their entries go too. */
    private final java.lang.ref.ReferenceQueue<DefaultEnhancedMemoryManager> collected =
            new java.lang.ref.ReferenceQueue<>();

    /** A manager, held weakly, with its id so that its entry can be removed once it is collected. */
    private static final class CoreRef extends WeakReference<DefaultEnhancedMemoryManager> {
        final String memoryId;

        CoreRef(DefaultEnhancedMemoryManager core, java.lang.ref.ReferenceQueue<DefaultEnhancedMemoryManager> q) {
            super(core, q);
            this.memoryId = core.memoryId();
        }
    }
    /** Guarded by itself: the memories whose state is in the heap, least recently used first. */
    private final LinkedHashMap<String, DefaultEnhancedMemoryManager> live = new LinkedHashMap<>(64, 0.75f, true);
    /**
     * Memory ids evicted in this process while {@code resume} is {@code none}: they resume from their newest snapshot
     * all the same (with {@code resume: latest} every memory does, and nothing is kept here).
     */
    private final Set<String> evicted = ConcurrentHashMap.newKeySet();
    private final DefaultEnhancedMemoryManager defaultCore;

    @Inject
    DefaultMemoryManagers(MemoryConfig config, ShortTermMemory defaultShortTerm, LongTermMemory defaultLongTerm,
                          MemoryFactory factory, SnapshotStore store, SnapshotCodec codec, EventPublisher events,
                          Clock clock, SaveQueue saver, Set<UnaryOperator<EnhancedMemoryManager>> decorators,
                          Totals totals) {
        this.totals = totals;
        this.config = config;
        this.defaultShortTerm = defaultShortTerm;
        this.defaultLongTerm = defaultLongTerm;
        this.factory = factory;
        this.store = store;
        this.codec = codec;
        this.events = events;
        this.clock = clock;
        this.saver = saver;
        this.decorators = List.copyOf(decorators);
        this.autoSettings = new AutoSnapshots.Settings(config.autoSnapshot(), config.snapshotInterval(),
                config.retention(), config.pruneAfterAutoSnapshot());
        this.defaultCore = newCore(DEFAULT);
    }

    private DefaultEnhancedMemoryManager newCore(String memoryId) {
        MemorySnapshotManager snapshots = new MemorySnapshotManager(memoryId, store, codec, clock, totals);
        boolean resume = config.resume() == MemoryConfig.Resume.LATEST || evicted.contains(memoryId);
        Supplier<Optional<MemorySnapshot>> from = resume ? () -> newest(snapshots) : Optional::empty;
        return new DefaultEnhancedMemoryManager(memoryId, this, snapshots, events.forOneMemory(), autoSettings, clock,
                saver, from, totals);
    }

    private static Optional<MemorySnapshot> newest(MemorySnapshotManager snapshots) {
        for (SnapshotMetadata m : snapshots.list()) {
            Optional<MemorySnapshot> s = snapshots.get(m.snapshotId());
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    /** @return the undecorated manager of a memory id */
    DefaultEnhancedMemoryManager core(String memoryId) {
        MemoryManagers.requireValidMemoryId(memoryId);
        if (memoryId.equals(DEFAULT)) {
            return defaultCore;
        }
        synchronized (registry) {
            expunge();
            CoreRef ref = cores.get(memoryId);
            DefaultEnhancedMemoryManager core = ref == null ? null : ref.get();
            if (core == null) {
                core = newCore(memoryId);
                cores.put(memoryId, new CoreRef(core, collected));
            }
            return core;
        }
    }

    /** Forgets the entries of managers nobody holds any more. */
    private void expunge() {
        for (java.lang.ref.Reference<?> r; (r = collected.poll()) != null; ) {
            CoreRef gone = (CoreRef) r;
            cores.remove(gone.memoryId, gone);
        }
    }

    @Override
    public EnhancedMemoryManager get(String memoryId) {
        DefaultEnhancedMemoryManager core = core(memoryId);
        synchronized (registry) {
            if (core.facade == null) {
                EnhancedMemoryManager manager = core;
                for (UnaryOperator<EnhancedMemoryManager> decorator : decorators) {
                    manager = java.util.Objects.requireNonNull(decorator.apply(manager), "a decorator returned null");
                }
                core.facade = manager; // the two hold each other: both live as long as either is held
            }
            return core.facade;
        }
    }

    @Override
    public void touched(DefaultEnhancedMemoryManager manager) {
        if (manager == defaultCore) {
            return;
        }
        List<DefaultEnhancedMemoryManager> victims = new ArrayList<>();
        synchronized (live) {
            live.put(manager.memoryId(), manager);
            // the default memory is never in this map, so the limit counts it as one of the live
            int limit = Math.max(1, config.maxLiveMemories() - 1);
            Iterator<Map.Entry<String, DefaultEnhancedMemoryManager>> eldest = live.entrySet().iterator();
            while (live.size() > limit && eldest.hasNext()) {
                Map.Entry<String, DefaultEnhancedMemoryManager> e = eldest.next();
                if (e.getValue() == manager) {
                    continue;
                }
                victims.add(e.getValue());
                eldest.remove();
            }
        }
        for (DefaultEnhancedMemoryManager victim : victims) {
            if (config.resume() != MemoryConfig.Resume.LATEST) {
                evicted.add(victim.memoryId());
            }
            victim.evict(); // outside every lock but its own
        }
    }

    @Override
    public ShortTermMemory newShortTerm(String memoryId) {
        return memoryId.equals(DEFAULT) ? defaultShortTerm : factory.shortTerm(memoryId);
    }

    @Override
    public LongTermMemory newLongTerm(String memoryId) {
        return memoryId.equals(DEFAULT) ? defaultLongTerm : factory.longTerm(memoryId);
    }

    /** @return how many memories have their state in the heap now, the default one included */
    int liveCount() {
        synchronized (live) {
            return live.size() + 1;
        }
    }

    @Override
    public List<String> memoryIds() {
        TreeSet<String> ids = new TreeSet<>(store.memoryIds());
        ids.add(DEFAULT);
        ids.addAll(evicted); // their eviction snapshots may still be on their way to the store
        synchronized (live) {
            ids.addAll(live.keySet());
        }
        return List.copyOf(ids);
    }

    @Override
    public boolean forget(String memoryId, boolean deleteSnapshots) {
        DefaultEnhancedMemoryManager core = core(memoryId);
        synchronized (live) {
            live.remove(memoryId);
        }
        boolean hadState = core.discard();
        evicted.remove(memoryId);
        int deleted = deleteSnapshots ? store.deleteMemory(memoryId) : 0;
        return hadState || deleted > 0;
    }

    @Override
    public Optional<dev.memsnap.api.SnapshotTotals> totals() {
        return Optional.of(totals.snapshot());
    }

    @Override
    public AutoCloseable subscribe(SnapshotEventListener listener) {
        return events.subscribe(null, listener);
    }

    /**
     * Finishes every queued save: automatic, eviction and undo-point saves of every memory. With
     * {@code resume: latest}, first saves every live memory that changed since its newest snapshot, so that the next
     * start carries on exactly where this one stopped.
     */
    @Override
    public void stop() {
        if (config.resume() == MemoryConfig.Resume.LATEST) {
            List<DefaultEnhancedMemoryManager> all;
            synchronized (live) {
                all = new ArrayList<>(live.values());
            }
            all.add(defaultCore);
            for (DefaultEnhancedMemoryManager m : all) {
                try {
                    m.keepChanges();
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(DefaultMemoryManagers.class)
                            .warn("Could not save memory {} at shutdown", m.memoryId(), e);
                }
            }
        }
        saver.stop();
    }

    @Override
    public String toString() {
        return "memsnap memories";
    }
}
