package dev.memsnap.benchmarks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.format.Timestamps;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The naive baseline: what the seed's design does, in Java. State is kept as JSON-like maps (the seed's dicts);
 * {@link #createSnapshot} deep-copies every turn and memory into new maps and lists (the seed's
 * {@code copy.deepcopy}; strings, being immutable, are shared as Python shares them); {@link #saveSnapshot} writes the
 * whole snapshot with Jackson's {@code ObjectMapper.writeValue} of the maps every time; automatic snapshots are
 * created and saved synchronously on the turn's thread; {@link #listSnapshots} reads every file whole; and
 * {@link #applySnapshot} deep-copies the snapshot back. It writes the same snake_case layout as memsnap, indented by
 * Jackson's default pretty printer, and does not fsync (the seed did not).
 *
 * <p>Not part of memsnap: it exists only so that each benchmark can run the same workload both ways in one run.
 */
public final class NaiveMemoryManager {
    private static final DateTimeFormatter ID_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
    private static final int RECENT_MEMORIES = 10;

    private final ObjectMapper mapper = new ObjectMapper()
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    private final ObjectWriter writer = mapper.writerWithDefaultPrettyPrinter();
    private final Path dir;

    private final List<Map<String, Object>> turns = new ArrayList<>();
    private String sessionStart = now();
    private final Map<String, Map<String, Object>> memories = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> snapshots = new LinkedHashMap<>();
    private long memoryCounter;
    private final int idSalt = ThreadLocalRandom.current().nextInt();
    private int snapshotCounter;
    private boolean autoSnapshot;
    private int interval = 10;
    private int turnsSinceSnapshot;

    /** @param dir where snapshots are saved */
    public NaiveMemoryManager(Path dir) {
        this.dir = dir;
    }

    /** @return the snapshot directory */
    public Path dir() {
        return dir;
    }

    // ------------------------------------------------------------------------------------------ live memory

    /** Records a turn; every {@code interval}-th turn with automatic snapshots on creates and saves one, here. */
    public synchronized void addTurn(String role, String content) {
        Map<String, Object> turn = new LinkedHashMap<>();
        turn.put("role", Objects.requireNonNull(role));
        turn.put("content", Objects.requireNonNull(content));
        turns.add(turn);
        if (autoSnapshot && ++turnsSinceSnapshot >= interval) {
            turnsSinceSnapshot = 0;
            saveSnapshot(createSnapshot());
        }
    }

    /** @return the new memory's id */
    public synchronized String addMemory(String content, String sourceType, double importance, List<String> topics) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(Memory.SOURCE_TYPE, sourceType);
        metadata.put(Memory.TOPICS, new ArrayList<>(topics));
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("content", content);
        memory.put("timestamp", now());
        memory.put("importance", importance);
        memory.put("metadata", metadata);
        String id;
        do {
            id = "memory_" + ++memoryCounter;
        } while (memories.containsKey(id));
        memories.put(id, memory);
        return id;
    }

    public synchronized void enableAutoSnapshot(int turns) {
        autoSnapshot = true;
        interval = turns;
        turnsSinceSnapshot = 0;
    }

    public synchronized void disableAutoSnapshot() {
        autoSnapshot = false;
    }

    // ------------------------------------------------------------------------------------------ snapshots

    /** Deep-copies both memories into a new snapshot map, with its statistics; holds it; returns its id. */
    public synchronized String createSnapshot() {
        String timestamp = now();
        String id;
        do {
            id = "snapshot_" + ID_STAMP.format(LocalDateTime.now(ZoneOffset.UTC)) + "_"
                    + String.format("%08x", idSalt + snapshotCounter++);
        } while (snapshots.containsKey(id));

        List<Object> turnsCopy = deepCopyList(turns);
        Map<String, Object> memoriesCopy = deepCopyMap(memories);

        Map<String, Object> shortTerm = new LinkedHashMap<>();
        shortTerm.put("turns", turnsCopy);
        shortTerm.put("turn_count", turnsCopy.size());
        shortTerm.put("session_start", sessionStart);

        Set<String> allTopics = new LinkedHashSet<>();
        Map<String, Integer> sourceTypes = new LinkedHashMap<>();
        double importanceSum = 0;
        String oldest = null;
        String newest = null;
        List<Map<String, Object>> byTime = new ArrayList<>(memoriesCopy.size());
        for (Object value : memoriesCopy.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> memory = (Map<String, Object>) value;
            Map<?, ?> metadata = (Map<?, ?>) memory.get("metadata");
            allTopics.addAll(topicsOf(metadata));
            Object sourceType = metadata.get(Memory.SOURCE_TYPE);
            sourceTypes.merge(sourceType == null ? "unknown" : sourceType.toString(), 1, Integer::sum);
            importanceSum += ((Number) memory.get("importance")).doubleValue();
            String ts = (String) memory.get("timestamp");
            oldest = oldest == null || ts.compareTo(oldest) < 0 ? ts : oldest;
            newest = newest == null || ts.compareTo(newest) > 0 ? ts : newest;
            byTime.add(memory);
        }
        byTime.sort(Comparator.comparing(m -> (String) m.get("timestamp")));
        Set<String> recentTopics = new LinkedHashSet<>();
        for (Map<String, Object> m : byTime.subList(Math.max(0, byTime.size() - RECENT_MEMORIES), byTime.size())) {
            recentTopics.addAll(topicsOf((Map<?, ?>) m.get("metadata")));
        }

        Map<String, Object> longTerm = new LinkedHashMap<>();
        longTerm.put("memories", memoriesCopy);
        longTerm.put("topics", new ArrayList<>(allTopics));
        longTerm.put("memory_count", memoriesCopy.size());

        Map<String, Object> shortStats = new LinkedHashMap<>();
        shortStats.put("turn_count", turnsCopy.size());
        shortStats.put("session_duration", Duration.between(Timestamps.parse(sessionStart),
                Timestamps.parse(timestamp)).toNanos() / 1e9);
        Map<String, Object> longStats = new LinkedHashMap<>();
        longStats.put("total_memories", memoriesCopy.size());
        longStats.put("source_types", sourceTypes);
        longStats.put("average_importance", memoriesCopy.isEmpty() ? 0.0 : importanceSum / memoriesCopy.size());
        longStats.put("oldest_memory", oldest);
        longStats.put("newest_memory", newest);
        longStats.put("topics", allTopics.size());
        longStats.put("user_summary_keys", new ArrayList<>());
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("short_term", shortStats);
        stats.put("long_term", longStats);
        stats.put("recent_topics", new ArrayList<>(recentTopics));
        stats.put("last_tool_used", null);

        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("snapshot_id", id);
        snapshot.put("timestamp", timestamp);
        snapshot.put("short_term", shortTerm);
        snapshot.put("long_term", longTerm);
        snapshot.put("memory_stats", stats);
        snapshots.put(id, snapshot);
        return id;
    }

    /** Writes the whole snapshot as JSON to {@code <dir>/<id>.json}. */
    public Path saveSnapshot(String snapshotId) {
        Map<String, Object> snapshot;
        synchronized (this) {
            snapshot = snapshots.get(snapshotId);
        }
        if (snapshot == null) {
            throw new IllegalArgumentException("no snapshot " + snapshotId);
        }
        Path file = dir.resolve(snapshotId + ".json");
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(file)) {
                writer.writeValue(out, snapshot);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Reads a whole snapshot file into maps and holds it; returns its id. */
    public String loadSnapshot(Path file) {
        Map<String, Object> snapshot = read(file);
        String id = (String) snapshot.get("snapshot_id");
        synchronized (this) {
            snapshots.put(id, snapshot);
        }
        return id;
    }

    /** Replaces both memories with deep copies of the snapshot's. */
    @SuppressWarnings("unchecked")
    public synchronized boolean applySnapshot(String snapshotId) {
        Map<String, Object> snapshot = snapshots.get(snapshotId);
        if (snapshot == null) {
            return false;
        }
        Map<String, Object> shortTerm = (Map<String, Object>) snapshot.get("short_term");
        Map<String, Object> longTerm = (Map<String, Object>) snapshot.get("long_term");
        List<Object> turnsCopy = deepCopyList((List<?>) shortTerm.get("turns"));
        Map<String, Object> memoriesCopy = deepCopyMap((Map<?, ?>) longTerm.get("memories"));
        turns.clear();
        turnsCopy.forEach(t -> turns.add((Map<String, Object>) t));
        memories.clear();
        memoriesCopy.forEach((id, m) -> memories.put(id, (Map<String, Object>) m));
        sessionStart = (String) shortTerm.get("session_start");
        return true;
    }

    /** Drops a held snapshot (benchmark housekeeping; the seed kept every snapshot). */
    public synchronized void forget(String snapshotId) {
        snapshots.remove(snapshotId);
    }

    /** Drops every held snapshot. */
    public synchronized void forgetAll() {
        snapshots.clear();
    }

    /** @return the held snapshot with this id, or null */
    public synchronized Map<String, Object> snapshot(String snapshotId) {
        return snapshots.get(snapshotId);
    }

    /**
     * Lists held and stored snapshots, newest first, reading every stored file whole (the seed's
     * {@code json.load} per file).
     *
     * @return id, timestamp, turn and memory counts of each
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> listSnapshots() {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot_*.json")) {
                for (Path file : files) {
                    Map<String, Object> snapshot = read(file);
                    all.put((String) snapshot.get("snapshot_id"), summary(snapshot));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        synchronized (this) {
            snapshots.forEach((id, s) -> all.put(id, summary(s)));
        }
        List<Map<String, Object>> listing = new ArrayList<>(all.values());
        listing.sort(Comparator.comparing((Map<String, Object> m) -> (String) m.get("timestamp")).reversed());
        return listing;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(Map<String, Object> snapshot) {
        Map<String, Object> shortTerm = (Map<String, Object>) snapshot.get("short_term");
        Map<String, Object> longTerm = (Map<String, Object>) snapshot.get("long_term");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("snapshot_id", snapshot.get("snapshot_id"));
        summary.put("timestamp", snapshot.get("timestamp"));
        summary.put("turns", ((List<?>) shortTerm.get("turns")).size());
        summary.put("memories", ((Map<?, ?>) longTerm.get("memories")).size());
        summary.put("topics", ((List<?>) longTerm.get("topics")).size());
        return summary;
    }

    /**
     * The naive comparison: memories by id, each compared as a whole map (and field by field when they differ);
     * turns position by position.
     *
     * @return removed, added and changed memories and turns
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> compare(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> a = (Map<String, Object>) ((Map<String, Object>) before.get("long_term")).get("memories");
        Map<String, Object> b = (Map<String, Object>) ((Map<String, Object>) after.get("long_term")).get("memories");
        List<String> removed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<Map<String, Object>> changed = new ArrayList<>();
        a.forEach((id, memory) -> {
            Object other = b.get(id);
            if (other == null) {
                removed.add(id);
            } else if (!memory.equals(other)) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("id", id);
                Map<String, Object> m1 = (Map<String, Object>) memory;
                Map<String, Object> m2 = (Map<String, Object>) other;
                Set<String> keys = new LinkedHashSet<>(m1.keySet());
                keys.addAll(m2.keySet());
                for (String key : keys) {
                    if (!Objects.equals(m1.get(key), m2.get(key))) {
                        change.put(key, List.of(String.valueOf(m1.get(key)), String.valueOf(m2.get(key))));
                    }
                }
                changed.add(change);
            }
        });
        b.keySet().forEach(id -> {
            if (!a.containsKey(id)) {
                added.add(id);
            }
        });
        // turns: position by position, then what one has beyond the other's end
        List<?> turnsBefore = (List<?>) ((Map<String, Object>) before.get("short_term")).get("turns");
        List<?> turnsAfter = (List<?>) ((Map<String, Object>) after.get("short_term")).get("turns");
        List<Integer> turnsChanged = new ArrayList<>();
        int common = Math.min(turnsBefore.size(), turnsAfter.size());
        for (int i = 0; i < common; i++) {
            if (!turnsBefore.get(i).equals(turnsAfter.get(i))) {
                turnsChanged.add(i);
            }
        }
        Map<String, Object> diff = new LinkedHashMap<>();
        diff.put("memories_removed", removed);
        diff.put("memories_added", added);
        diff.put("memories_changed", changed);
        diff.put("turns_changed", turnsChanged);
        diff.put("turns_removed", turnsBefore.subList(common, turnsBefore.size()));
        diff.put("turns_added", turnsAfter.subList(common, turnsAfter.size()));
        return diff;
    }

    // ------------------------------------------------------------------------------------------ JSON

    /** @return the snapshot as the baseline writes it */
    public byte[] toBytes(Map<String, Object> snapshot) {
        try {
            return writer.writeValueAsBytes(snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a snapshot map as the baseline does. */
    public void write(Map<String, Object> snapshot, OutputStream out) throws IOException {
        writer.writeValue(out, snapshot);
    }

    /** Reads a snapshot as the baseline does: JSON into maps. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> read(byte[] json) {
        try {
            return mapper.readValue(json, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(Path file) {
        try {
            return mapper.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param snapshot a memsnap snapshot
     * @return the same state as the baseline's maps (new maps and lists; strings shared)
     */
    public static Map<String, Object> toMaps(MemorySnapshot snapshot) {
        List<Object> turns = new ArrayList<>();
        for (Turn t : snapshot.shortTerm().turns()) {
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", t.role());
            turn.put("content", t.content());
            turns.add(turn);
        }
        Map<String, Object> memories = new LinkedHashMap<>();
        snapshot.longTerm().memories().forEach((id, m) -> {
            Map<String, Object> memory = new LinkedHashMap<>();
            memory.put("content", m.content());
            memory.put("timestamp", Timestamps.format(m.timestamp()));
            memory.put("importance", m.importance());
            memory.put("metadata", deepCopy(m.metadata()));
            memories.put(id, memory);
        });
        Map<String, Object> shortTerm = new LinkedHashMap<>();
        shortTerm.put("turns", turns);
        shortTerm.put("turn_count", turns.size());
        shortTerm.put("session_start", Timestamps.format(snapshot.shortTerm().sessionStart()));
        Map<String, Object> longTerm = new LinkedHashMap<>();
        longTerm.put("memories", memories);
        longTerm.put("topics", new ArrayList<>(snapshot.longTerm().topics()));
        longTerm.put("memory_count", memories.size());
        Map<String, Object> stats = new LinkedHashMap<>();
        var st = snapshot.memoryStats();
        Map<String, Object> shortStats = new LinkedHashMap<>();
        shortStats.put("turn_count", st.shortTerm().turnCount());
        shortStats.put("session_duration", st.shortTerm().sessionDuration());
        stats.put("short_term", shortStats);
        Map<String, Object> lt = new LinkedHashMap<>();
        lt.put("total_memories", st.longTerm().totalMemories());
        lt.put("source_types", new LinkedHashMap<>(st.longTerm().sourceTypes()));
        lt.put("average_importance", st.longTerm().averageImportance());
        lt.put("oldest_memory", st.longTerm().oldestMemory() == null ? null
                : Timestamps.format(st.longTerm().oldestMemory()));
        lt.put("newest_memory", st.longTerm().newestMemory() == null ? null
                : Timestamps.format(st.longTerm().newestMemory()));
        lt.put("topics", st.longTerm().topics());
        lt.put("user_summary_keys", new ArrayList<>());
        stats.put("long_term", lt);
        stats.put("recent_topics", new ArrayList<>(st.recentTopics()));
        stats.put("last_tool_used", st.lastToolUsed());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("snapshot_id", snapshot.snapshotId());
        root.put("timestamp", Timestamps.format(snapshot.timestamp()));
        root.put("short_term", shortTerm);
        root.put("long_term", longTerm);
        root.put("memory_stats", stats);
        return root;
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static List<String> topicsOf(Map<?, ?> metadata) {
        Object topics = metadata.get(Memory.TOPICS);
        List<String> result = new ArrayList<>();
        if (topics instanceof List<?> list) {
            list.forEach(t -> result.add(String.valueOf(t)));
        }
        return result;
    }

    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            return deepCopyMap(map);
        }
        if (value instanceof List<?> list) {
            return deepCopyList(list);
        }
        return value; // strings, numbers, booleans and null are immutable
    }

    private static Map<String, Object> deepCopyMap(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 4 / 3 + 1));
        map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
        return copy;
    }

    private static List<Object> deepCopyList(List<?> list) {
        List<Object> copy = new ArrayList<>(list.size());
        for (Object element : list) {
            copy.add(deepCopy(element));
        }
        return copy;
    }

    private static String now() {
        return Timestamps.format(LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
    }
}
