package dev.memsnap.core.format;

import dev.memsnap.api.Immutable;
import dev.memsnap.api.Memory;
import dev.memsnap.core.collect.PersistentVector;

import java.time.LocalDateTime;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Long-term memory as an immutable value that grows by {@link #append} and keeps its statistics up to date as it
 * grows: the memories in the order stored, their distinct topics, source-type counts, importance sum, oldest and
 * newest, and the ten newest memories. Taking a snapshot of it therefore costs nothing and computes nothing, and a
 * snapshot shares every memory with the live state and with other snapshots.
 *
 * <p>It is a read-only {@link Map} from memory id to memory, so snapshots and JSON writing use it as any map. The
 * statistics equal what {@link Snapshots#statsOf} computes from scratch (a test holds the two to that).
 */
public final class LongTermState extends AbstractMap<String, Memory> implements Immutable {
    private static final LongTermState EMPTY = new LongTermState(PersistentVector.empty(), PersistentVector.empty(),
            0, Map.of(), null, null, List.of(), 0, Map.of());
    private static final String PREFIX = "memory_";

    private final PersistentVector<Map.Entry<String, Memory>> entries;
    private final PersistentVector<String> topics;
    private final double importanceSum;
    private final Map<String, Integer> sourceTypes;
    private final LocalDateTime oldest;
    private final LocalDateTime newest;
    /** The newest memories by timestamp, at most {@link Snapshots#RECENT_MEMORIES}, oldest first. */
    private final List<Memory> recent;
    private final long highestNumber;
    /** Built on the first lookup by id; a snapshot that is only written never needs it. */
    private volatile Map<String, Memory> index;

    private LongTermState(PersistentVector<Map.Entry<String, Memory>> entries, PersistentVector<String> topics,
                          double importanceSum, Map<String, Integer> sourceTypes, LocalDateTime oldest,
                          LocalDateTime newest, List<Memory> recent, long highestNumber, Map<String, Memory> index) {
        this.index = index;
        this.entries = entries;
        this.topics = topics;
        this.importanceSum = importanceSum;
        this.sourceTypes = sourceTypes;
        this.oldest = oldest;
        this.newest = newest;
        this.recent = recent;
        this.highestNumber = highestNumber;
    }

    /** @return the state with no memories */
    public static LongTermState empty() {
        return EMPTY;
    }

    /**
     * @param memories memories by id, in order
     * @return a state holding them; the same object when it already is one
     */
    public static LongTermState of(Map<String, Memory> memories) {
        if (memories instanceof LongTermState state) {
            return state;
        }
        Builder builder = builder();
        memories.forEach(builder::add);
        return builder.build();
    }

    /**
     * @return a builder that makes a state from many memories at once, without a state per memory, and refuses an id
     *         added twice (checked against the index by id it builds for the state as it goes)
     */
    public static Builder builder() {
        return new Builder(EMPTY, new java.util.HashSet<>());
    }

    /**
     * @param id         the new memory's id, not already present
     * @param memory     the memory
     * @param seenTopics the topics of this state, kept by the caller across appends (a live-side index); updated
     * @return the grown state; this one is unchanged
     */
    public LongTermState append(String id, Memory memory, Set<String> seenTopics) {
        return new Builder(this, seenTopics).add(id, memory).build();
    }

    /**
     * @param changes memories by id: those this state holds are replaced where they are, the others appended in order
     * @return the state with them, its statistics as a state built from scratch of the same memories would have them,
     *         and its memories sharing this state's storage wherever they did not change ({@link #entries})
     */
    public LongTermState putting(Map<String, Memory> changes) {
        Map<String, Memory> merged = new LinkedHashMap<>(this);
        merged.putAll(changes);
        LongTermState rebuilt = of(merged);
        PersistentVector<Map.Entry<String, Memory>> shared = entries;
        int position = 0;
        for (Map.Entry<String, Memory> e : entries) {
            if (changes.containsKey(e.getKey())) {
                shared = shared.replaced(position, rebuilt.entries.get(position));
            }
            position++;
        }
        for (int added = entries.size(); added < rebuilt.entries.size(); added++) {
            shared = shared.append(rebuilt.entries.get(added));
        }
        return new LongTermState(shared, rebuilt.topics, rebuilt.importanceSum, rebuilt.sourceTypes, rebuilt.oldest,
                rebuilt.newest, rebuilt.recent, rebuilt.highestNumber, rebuilt.index);
    }

    /**
     * @return the memories by id in order, as the persistent vector that holds them: what a store walks, and whose
     *         {@link PersistentVector#sharedRun} tells what it holds unchanged since an earlier state
     */
    public PersistentVector<Map.Entry<String, Memory>> entries() {
        return entries;
    }

    /** Accumulates memories, then makes one state of them. Not thread-safe; use once. */
    public static final class Builder {
        private PersistentVector<Map.Entry<String, Memory>> entries;
        /** Memories added to an empty state: made a vector at once by {@link #build}; else {@code null}. */
        private final List<Map.Entry<String, Memory>> added;
        /**
         * By id, for a state built from empty once an id came that {@link #inOrder} cannot vouch for: checks
         * duplicates from then on and becomes the state's index; else {@code null}.
         */
        private Map<String, Memory> byId;
        /**
         * For a state built from empty, the highest n of the ids so far while every id was {@code memory_<n>} with n
         * rising, as memsnap writes them: an id whose n is higher than every earlier one's differs from every earlier
         * id (equal ids have equal n), so it needs no lookup, and the state's index is built, exactly sized, on its
         * first lookup. -1 once an id broke the pattern (or for a builder from a non-empty state).
         */
        private long inOrder;
        private PersistentVector<String> topics;
        private final Set<String> seenTopics;
        private double importanceSum;
        /** Counts by source type, in order of first appearance; counted in place, without a boxed count per memory. */
        private final Map<String, int[]> sourceTypes;
        private LocalDateTime oldest;
        private LocalDateTime newest;
        private final List<Memory> recent;
        private long highestNumber;

        private Builder(LongTermState from, Set<String> seenTopics) {
            this.entries = from.entries;
            boolean fromEmpty = from.entries.isEmpty();
            this.added = fromEmpty ? new ArrayList<>() : null;
            this.byId = null;
            this.inOrder = fromEmpty ? 0 : -1;
            this.topics = from.topics;
            this.seenTopics = seenTopics;
            this.importanceSum = from.importanceSum;
            this.sourceTypes = new LinkedHashMap<>();
            from.sourceTypes.forEach((type, count) -> sourceTypes.put(type, new int[]{count}));
            this.oldest = from.oldest;
            this.newest = from.newest;
            this.recent = new ArrayList<>(from.recent);
            this.highestNumber = from.highestNumber;
        }

        /**
         * @param id     the memory's id, not already added
         * @param memory the memory
         * @return this builder
         * @throws IllegalArgumentException when a builder from {@link #builder()} is given an id it already has
         */
        public Builder add(String id, Memory memory) {
            long number = numberOf(id);
            if (inOrder >= 0 && number > inOrder) {
                inOrder = number;
            } else if (added != null) {
                if (byId == null) {
                    inOrder = -1;
                    byId = new HashMap<>(Math.max(16, added.size() * 2));
                    for (Map.Entry<String, Memory> e : added) {
                        byId.put(e.getKey(), e.getValue());
                    }
                }
                if (byId.putIfAbsent(id, memory) != null) {
                    throw new IllegalArgumentException("memory id \"" + id + "\" appears twice");
                }
            }
            for (String topic : memory.topics()) {
                if (seenTopics.add(topic)) {
                    topics = topics.append(topic);
                }
            }
            sourceTypes.computeIfAbsent(memory.sourceType() == null ? "unknown" : memory.sourceType(),
                    type -> new int[1])[0]++;
            importanceSum += memory.importance();
            LocalDateTime t = memory.timestamp();
            oldest = oldest == null || t.isBefore(oldest) ? t : oldest;
            newest = newest == null || t.isAfter(newest) ? t : newest;
            addRecent(memory);
            highestNumber = Math.max(highestNumber, number);
            if (added != null) {
                added.add(Map.entry(id, memory));
            } else {
                entries = entries.append(Map.entry(id, memory));
            }
            return this;
        }

        /** Keeps the ten newest as a stable sort by timestamp would: a later memory ranks above an equal timestamp. */
        private void addRecent(Memory memory) {
            int at = recent.size();
            while (at > 0 && recent.get(at - 1).timestamp().isAfter(memory.timestamp())) {
                at--;
            }
            recent.add(at, memory);
            if (recent.size() > Snapshots.RECENT_MEMORIES) {
                recent.remove(0);
            }
        }

        /** @return the state */
        public LongTermState build() {
            PersistentVector<Map.Entry<String, Memory>> all = added != null ? PersistentVector.of(added) : entries;
            Map<String, Integer> counts = new LinkedHashMap<>();
            sourceTypes.forEach((type, count) -> counts.put(type, count[0]));
            return new LongTermState(all, topics, importanceSum, Collections.unmodifiableMap(counts),
                    oldest, newest, List.copyOf(recent), highestNumber, byId);
        }
    }

    /** @return n for an id {@code memory_<n>}, else 0; cheaper than a regular expression on every append */
    private static long numberOf(String id) {
        int digits = id.length() - PREFIX.length();
        if (!id.startsWith(PREFIX) || digits < 1 || digits > 18) {
            return 0;
        }
        long n = 0;
        for (int i = PREFIX.length(); i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** @return the distinct topics in order of first appearance */
    public PersistentVector<String> topics() {
        return topics;
    }

    /** @return the highest {@code n} of the ids {@code memory_<n>} held, 0 when none */
    public long highestNumber() {
        return highestNumber;
    }

    /** @return the memories' source types ({@code unknown} for none) with their counts, in order of first appearance */
    Map<String, Integer> sourceTypes() {
        return sourceTypes;
    }

    double averageImportance() {
        int count = entries.size();
        if (count == 0) {
            return 0.0;
        }
        double average = importanceSum / count;
        if (Double.isInfinite(average)) {
            average = Snapshots.scaledAverage(values(), count);
        }
        return average;
    }

    LocalDateTime oldest() {
        return oldest;
    }

    LocalDateTime newest() {
        return newest;
    }

    List<Memory> recent() {
        return recent;
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public Memory get(Object key) {
        Map<String, Memory> byId = index;
        if (byId == null) {
            byId = new HashMap<>(Math.max(16, entries.size() * 4 / 3 + 1));
            for (Map.Entry<String, Memory> e : entries) {
                byId.put(e.getKey(), e.getValue());
            }
            index = byId;
        }
        return byId.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Map.Entry<String, Memory>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Memory>> iterator() {
                return entries.iterator();
            }

            @Override
            public int size() {
                return entries.size();
            }
        };
    }
}
