package dev.memsnap.spring.actuate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.InvalidMemoryIdException;
import dev.memsnap.api.InvalidSnapshotIdException;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.format.SnapshotFormat;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.core.format.SnapshotIds;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.tools.SnapshotTools;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The actuator endpoint {@code memsnap} ({@code /actuator/memsnap}): memsnap's memories, their snapshots, history and
 * diffs to read, and, when {@code memsnap.actuator.write=true}, snapshot, apply, undo, label and pin to change them.
 * Bodies are memsnap's own JSON (snake_case, as its snapshot files, CLI and dashboard write it).
 *
 * <ul>
 *   <li>{@code GET /actuator/memsnap}: every memory id, live or stored, with its stored snapshots' count and size;</li>
 *   <li>{@code GET /actuator/memsnap/{memoryId}}: the live memory in brief, its snapshots newest first (with parent,
 *       size, labels, pin) and the history (lineage) of the newest;</li>
 *   <li>{@code GET /actuator/memsnap/{memoryId}/{snapshotId}}: one snapshot whole, its tags and history;</li>
 *   <li>{@code GET /actuator/memsnap/{memoryId}/{from}/{to}}: what changed from one snapshot to another, or to the
 *       live memory when {@code to} is {@value SnapshotTools#LIVE};</li>
 *   <li>{@code POST /actuator/memsnap/{memoryId}} with {@code {"action": "snapshot" | "undo"}};</li>
 *   <li>{@code POST /actuator/memsnap/{memoryId}/{snapshotId}} with {@code {"action": "apply" | "pin" | "unpin"}} or
 *       {@code {"action": "label" | "unlabel", "label": "..."}}.</li>
 * </ul>
 *
 * A read never makes a memory: an unknown memory id is 404, as is an unknown snapshot. A string that is not a memory
 * id or a snapshot id is 400, an unknown action 400. Write operations are refused with 403 while
 * {@code memsnap.actuator.write} is false; when it is true and Spring Security is on the class path they also need an
 * authenticated caller (401) in the role {@code memsnap.actuator.write-role} (403). A store that fails answers 503.
 */
@WebEndpoint(id = MemsnapEndpoint.ID)
public class MemsnapEndpoint {
    /** The endpoint's id. */
    public static final String ID = "memsnap";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private final MemoryManagers memories;
    private final SnapshotStore store;
    private final boolean write;
    private final String writeRole;
    private final SnapshotFormat format = new SnapshotJson();

    /**
     * @param memories  memsnap's memories
     * @param store     the store they keep snapshots in
     * @param write     whether write operations run
     * @param writeRole the role write operations need, or {@code null} when no roles are checked (no Spring Security)
     */
    public MemsnapEndpoint(MemoryManagers memories, SnapshotStore store, boolean write, @Nullable String writeRole) {
        this.memories = Objects.requireNonNull(memories, "memories");
        this.store = Objects.requireNonNull(store, "store");
        this.write = write;
        this.writeRole = writeRole;
    }

    /** @return every memory id with its stored snapshots' count and size ({@code null} where the store cannot tell) */
    @ReadOperation
    public Map<String, Object> memories() {
        Map<String, long[]> stored = new HashMap<>(); // memory id -> {snapshots, bytes, 1 when a size is unknown}
        for (StoredSnapshot s : store.inventory()) {
            long[] totals = stored.computeIfAbsent(s.metadata().memoryId(), id -> new long[3]);
            totals[0]++;
            totals[1] += Math.max(0, s.storedBytes());
            totals[2] |= s.storedBytes() < 0 ? 1 : 0;
        }
        List<Map<String, Object>> listed = new ArrayList<>();
        for (String id : memories.memoryIds()) {
            long[] totals = stored.getOrDefault(id, new long[3]);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("memory_id", id);
            entry.put("stored_snapshots", totals[0]);
            entry.put("stored_bytes", totals[2] == 0 ? totals[1] : null);
            listed.add(entry);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("store", store.toString());
        root.put("count", listed.size());
        root.put("memories", listed);
        return root;
    }

    /**
     * @param memoryId a memory id
     * @return the live memory in brief, its snapshots newest first, and the history of the newest
     */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> memory(@Selector String memoryId) {
        return answer(() -> {
            EnhancedMemoryManager memory = known(memoryId);
            List<SnapshotMetadata> newestFirst = new ArrayList<>(memory.listSnapshots());
            newestFirst.sort(SnapshotMetadata.NEWEST_FIRST);
            Map<String, StoredSnapshot> stored = new HashMap<>();
            store.inventory(memoryId).forEach(s -> stored.put(s.snapshotId(), s));
            List<Map<String, Object>> snapshots = new ArrayList<>();
            for (SnapshotMetadata m : newestFirst) {
                Map<String, Object> entry = metadata(m);
                StoredSnapshot s = stored.get(m.snapshotId());
                entry.put("saved", s != null);
                entry.put("stored_bytes", s == null || s.storedBytes() < 0 ? null : s.storedBytes());
                entry.putAll(tags(s == null ? SnapshotTags.NONE : s.tags()));
                snapshots.add(entry);
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("memory_id", memoryId);
            root.put("live", live(memory));
            root.put("count", snapshots.size());
            root.put("snapshots", snapshots);
            root.put("history", newestFirst.isEmpty() ? List.of() : history(memory, newestFirst.get(0).snapshotId()));
            return root;
        });
    }

    /**
     * @param memoryId   a memory id
     * @param snapshotId one of its snapshots
     * @return the snapshot whole (memsnap's snapshot format), whether it is saved, its tags and its history
     */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> snapshot(@Selector String memoryId, @Selector String snapshotId) {
        return answer(() -> {
            EnhancedMemoryManager memory = known(memoryId);
            MemorySnapshot snapshot = snapshotOf(memory, snapshotId);
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("memory_id", memoryId);
            root.put("snapshot", snapshotJson(snapshot));
            root.putAll(tags(store.tags(snapshotId)));
            root.put("history", history(memory, snapshotId));
            return root;
        });
    }

    /**
     * @param memoryId a memory id
     * @param from     one of its snapshots
     * @param to       another, or {@value SnapshotTools#LIVE} for the live memory
     * @return what changed from {@code from} to {@code to}, as {@code memsnap diff --format json} writes it
     */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> diff(@Selector String memoryId, @Selector String from,
                                                         @Selector String to) {
        return answer(() -> {
            EnhancedMemoryManager memory = known(memoryId);
            MemorySnapshot before = snapshotOf(memory, from);
            return parse(SnapshotTools.LIVE.equals(to) ? format.diffWithLiveJson(before, memory)
                    : format.diffJson(before, snapshotOf(memory, to)));
        });
    }

    /**
     * @param security the caller, as actuator sees it
     * @param memoryId a memory id
     * @param action   {@code snapshot} (create and save one of the live memory) or {@code undo} (the last apply)
     * @return what was done
     */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> changeMemory(SecurityContext security, @Selector String memoryId,
                                                                 String action) {
        return answerWrite(security, () -> {
            EnhancedMemoryManager memory = known(memoryId);
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("memory_id", memoryId);
            root.put("action", action);
            switch (action) {
                case "snapshot" -> {
                    String id = memory.createSnapshot();
                    URI location = memory.saveSnapshot(id);
                    root.put("snapshot_id", id);
                    root.put("location", location.toString());
                }
                case "undo" -> {
                    if (!memory.undoApply()) {
                        throw new Refusal(409, "memory " + memoryId + " has no apply to undo");
                    }
                }
                default -> throw new Refusal(400, "unknown action \"" + action + "\" for a memory; expected snapshot"
                        + " or undo");
            }
            root.put("live", live(memory));
            return root;
        });
    }

    /**
     * @param security   the caller, as actuator sees it
     * @param memoryId   a memory id
     * @param snapshotId one of its snapshots
     * @param action     {@code apply}, {@code label}, {@code unlabel}, {@code pin} or {@code unpin}
     * @param label      the label to add or remove, for {@code label} and {@code unlabel}
     * @return what was done
     */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> changeSnapshot(SecurityContext security,
                                                                   @Selector String memoryId,
                                                                   @Selector String snapshotId, String action,
                                                                   @Nullable String label) {
        return answerWrite(security, () -> {
            EnhancedMemoryManager memory = known(memoryId);
            validSnapshotId(snapshotId);
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("memory_id", memoryId);
            root.put("snapshot_id", snapshotId);
            root.put("action", action);
            SnapshotTools tools = new SnapshotTools(store);
            switch (action) {
                case "apply" -> {
                    if (!memory.applySnapshot(snapshotId)) {
                        throw new SnapshotNotFoundException("memory " + memoryId + " has no snapshot " + snapshotId);
                    }
                    root.put("live", live(memory));
                }
                case "label", "unlabel" -> {
                    if (label == null || label.isBlank()) {
                        throw new Refusal(400, action + " needs a non-blank \"label\"");
                    }
                    storedIn(memoryId, snapshotId);
                    Set<String> one = Set.of(label);
                    root.putAll(tags(action.equals("label") ? tools.label(snapshotId, one, Set.of())
                            : tools.label(snapshotId, Set.of(), one)));
                }
                case "pin", "unpin" -> {
                    storedIn(memoryId, snapshotId);
                    root.putAll(tags(tools.pin(snapshotId, action.equals("pin"))));
                }
                default -> throw new Refusal(400, "unknown action \"" + action + "\" for a snapshot; expected apply, "
                        + "label, unlabel, pin or unpin");
            }
            return root;
        });
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** A request refused with a status of its own choosing. */
    private static final class Refusal extends RuntimeException {
        private final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private WebEndpointResponse<Map<String, Object>> answerWrite(SecurityContext security,
                                                                 Supplier<Map<String, Object>> work) {
        if (!write) {
            return error(403, "write operations of the memsnap endpoint are off; set "
                    + MemsnapActuatorProperties.PREFIX + ".write=true to allow them");
        }
        if (writeRole != null) {
            if (security == null || security.getPrincipal() == null) {
                return error(401, "write operations of the memsnap endpoint need an authenticated caller");
            }
            if (!security.isUserInRole(writeRole)) {
                return error(403, "write operations of the memsnap endpoint need the role " + writeRole);
            }
        }
        return answer(work);
    }

    private static WebEndpointResponse<Map<String, Object>> answer(Supplier<Map<String, Object>> work) {
        try {
            return new WebEndpointResponse<>(work.get());
        } catch (Refusal e) {
            return error(e.status, e.getMessage());
        } catch (InvalidMemoryIdException | InvalidSnapshotIdException | IllegalArgumentException e) {
            return error(400, e.getMessage());
        } catch (SnapshotNotFoundException e) {
            return error(404, e.getMessage());
        } catch (UnsupportedOperationException e) {
            return error(409, e.getMessage());
        } catch (SnapshotException e) { // the store failed, or holds something it cannot read
            return error(503, "memsnap's snapshot store failed: " + e.getMessage());
        }
    }

    private static WebEndpointResponse<Map<String, Object>> error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        return new WebEndpointResponse<>(body, status);
    }

    /** The manager of a memory id that is live or stored: a read or a write never makes a memory. */
    private EnhancedMemoryManager known(String memoryId) {
        if (!MemoryManagers.isValidMemoryId(memoryId)) {
            throw new Refusal(400, "not a memory id (expected 1 to " + MemoryManagers.MAX_MEMORY_ID_LENGTH
                    + " characters, no control characters)");
        }
        if (!memoryId.equals(MemoryManagers.DEFAULT) && !memories.memoryIds().contains(memoryId)) {
            throw new Refusal(404, "no memory with id " + memoryId);
        }
        return memories.get(memoryId);
    }

    private static void validSnapshotId(String snapshotId) {
        if (!SnapshotIds.isValid(snapshotId)) {
            throw new Refusal(400, "not a snapshot id (expected snapshot_<yyyyMMdd>_<HHmmss>_<8 hex digits>)");
        }
    }

    private static MemorySnapshot snapshotOf(EnhancedMemoryManager memory, String snapshotId) {
        validSnapshotId(snapshotId);
        return memory.getSnapshot(snapshotId).orElseThrow(() -> new SnapshotNotFoundException(
                "memory " + memory.memoryId() + " has no snapshot " + snapshotId));
    }

    /** Labels and pins are the store's: the snapshot must be stored, and be this memory's. */
    private void storedIn(String memoryId, String snapshotId) {
        if (store.read(memoryId, snapshotId).isEmpty()) {
            throw new SnapshotNotFoundException("memory " + memoryId + " has no stored snapshot " + snapshotId
                    + " (save it first)");
        }
    }

    private static List<Map<String, Object>> history(EnhancedMemoryManager memory, String snapshotId) {
        return memory.history(snapshotId).stream().map(MemsnapEndpoint::metadata).toList();
    }

    private static Map<String, Object> live(EnhancedMemoryManager memory) {
        ManagerStats stats = memory.stats();
        Map<String, Object> live = new LinkedHashMap<>();
        live.put("turns", memory.turns().size());
        live.put("memories", memory.memories().size());
        live.put("auto_snapshot", stats.autoSnapshotEnabled());
        live.put("snapshot_interval", stats.autoSnapshotInterval());
        live.put("snapshots_created", stats.snapshotsCreated());
        live.put("automatic_saves_failed", stats.automaticSavesFailed());
        live.put("automatic_saves_skipped", stats.automaticSavesSkipped());
        live.put("last_automatic_save_error", stats.lastAutomaticSaveError());
        return live;
    }

    private static Map<String, Object> tags(SnapshotTags tags) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("labels", List.copyOf(tags.labels()));
        map.put("pinned", tags.pinned());
        return map;
    }

    private static Map<String, Object> metadata(SnapshotMetadata metadata) {
        return parse(dev.memsnap.core.format.EventJson.metadata(metadata));
    }

    private Map<String, Object> snapshotJson(MemorySnapshot snapshot) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            format.write(snapshot, out);
        } catch (IOException e) {
            throw new SnapshotStoreException("could not write snapshot " + snapshot.snapshotId() + " as JSON", e);
        }
        return parse(out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** memsnap's JSON as plain maps and lists, which any JSON library the actuator uses writes the same. */
    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("memsnap wrote JSON it cannot read back", e);
        }
    }
}
