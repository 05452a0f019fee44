package dev.memsnap.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.api.plugin.PluginRuntime;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.websocket.WebSocketEndpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the page asks for besides the event stream: the memories, and per memory the listing, the history tree, one
 * snapshot and a comparison; and where the stream is. Read-only. Every per-memory call names its memory
 * ({@code ?memory=ID}, {@value MemoryManagers#DEFAULT} when absent) and goes through that memory's manager.
 * Everything comes from the running memsnap, through the plugin runtime: the listing is the manager's own
 * ({@code listSnapshots()}, which publishes its documented {@code list} event), completed with what the store knows of
 * each stored snapshot ({@code inventory(memoryId)}); snapshots are read with {@code getSnapshot}, and the live memory
 * with {@code turns} and {@code memories}, which publish nothing. The JSON of snapshots, metadata and comparisons is
 * memsnap's one format ({@link PluginContext#format()}).
 */
final class DashboardApi {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The {@code after} of a comparison with the live memory. */
    static final String LIVE = "live";

    private final PluginContext context;
    private final PluginRuntime runtime;
    private final AutomaticSnapshots automatic;
    private final StreamSettings streamSettings;
    private final DashboardConfig config;

    /**
     * @param context        the plugins' context; its runtime is usable, since this is made in the server's start
     * @param automatic      which snapshots were automatic
     * @param streamSettings the {@code websocket:} section, as the page needs it
     * @param config         the {@code dashboard:} section
     */
    DashboardApi(PluginContext context, AutomaticSnapshots automatic, StreamSettings streamSettings,
                 DashboardConfig config) {
        this.context = context;
        this.runtime = context.runtime();
        this.automatic = automatic;
        this.streamSettings = streamSettings;
        this.config = config;
    }

    /**
     * The manager of the memory a request names.
     *
     * @param memoryId the {@code memory} parameter, or {@code null} for the default memory
     * @throws ApiException 400 when it is not a memory id, 404 when no such memory is live or stored (so that a read
     *                      never makes a memory)
     */
    EnhancedMemoryManager manager(String memoryId) {
        String memory = memoryId == null ? MemoryManagers.DEFAULT : memoryId;
        if (!MemoryManagers.isValidMemoryId(memory)) {
            throw new ApiException(400, "memory is not a memory id (expected 1 to "
                    + MemoryManagers.MAX_MEMORY_ID_LENGTH + " characters, no control characters)");
        }
        if (!memory.equals(MemoryManagers.DEFAULT) && !runtime.memories().memoryIds().contains(memory)) {
            throw new ApiException(404, "no memory with id " + memory);
        }
        return runtime.memories().get(memory);
    }

    /**
     * {@code GET /api/memories}: every memory id, live or stored, sorted, with its stored snapshots' count and size.
     */
    ObjectNode memories() {
        Map<String, long[]> stored = new HashMap<>(); // memory id -> {snapshots, bytes, 1 when some size is unknown}
        for (StoredSnapshot s : runtime.store().inventory()) {
            long[] totals = stored.computeIfAbsent(s.metadata().memoryId(), id -> new long[3]);
            totals[0]++;
            if (s.storedBytes() >= 0) {
                totals[1] += s.storedBytes();
            } else {
                totals[2] = 1;
            }
        }
        List<String> ids = runtime.memories().memoryIds();
        ObjectNode root = JSON.createObjectNode();
        root.put("count", ids.size());
        ArrayNode memories = root.putArray("memories");
        for (String id : ids) {
            long[] totals = stored.getOrDefault(id, new long[3]);
            ObjectNode node = memories.addObject();
            node.put("memory_id", id);
            node.put("stored_snapshots", totals[0]);
            if (totals[2] == 0) {
                node.put("stored_bytes", totals[1]);
            } else {
                node.putNull("stored_bytes");
            }
        }
        return root;
    }

    /**
     * {@code GET /api/snapshots?memory=}: every snapshot of the memory, stored or held in memory, newest first, with
     * what the store knows of it. The manager lists them (and publishes its {@code list} event, as every listing
     * does); the store's inventory adds sizes, labels and pins.
     */
    ObjectNode listing(String memoryId) {
        EnhancedMemoryManager manager = manager(memoryId);
        List<SnapshotMetadata> newestFirst = listed(manager);
        Map<String, StoredSnapshot> stored = inventory(manager);

        ObjectNode root = JSON.createObjectNode();
        root.put("memory_id", manager.memoryId());
        root.put("count", newestFirst.size());
        ArrayNode snapshots = root.putArray("snapshots");
        for (SnapshotMetadata m : newestFirst) {
            snapshots.add(listedJson(m, stored.get(m.snapshotId())));
        }
        return root;
    }

    /**
     * {@code GET /api/history?memory=}: the memory's snapshots as a tree of parent links. Each node is a listing entry
     * with {@code parent_snapshot_id} (null for none) and {@code children} (oldest first); {@code roots} are the nodes
     * whose parent is none or no longer listed (pruned), oldest first. A branch is a node with more than one child:
     * the oldest continues the line, the others were taken after applying it again.
     */
    ObjectNode history(String memoryId) {
        EnhancedMemoryManager manager = manager(memoryId);
        List<SnapshotMetadata> newestFirst = listed(manager);
        Map<String, StoredSnapshot> stored = inventory(manager);
        Map<String, SnapshotMetadata> byId = new LinkedHashMap<>();
        newestFirst.forEach(m -> byId.put(m.snapshotId(), m));
        Map<String, List<String>> children = new HashMap<>();
        List<String> roots = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) { // oldest first
            SnapshotMetadata m = newestFirst.get(i);
            String parent = m.parentSnapshotId();
            if (parent != null && byId.containsKey(parent) && !parent.equals(m.snapshotId())) {
                children.computeIfAbsent(parent, p -> new ArrayList<>()).add(m.snapshotId());
            } else {
                roots.add(m.snapshotId());
            }
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("memory_id", manager.memoryId());
        root.put("count", newestFirst.size());
        ArrayNode rootIds = root.putArray("roots");
        roots.forEach(rootIds::add);
        ArrayNode nodes = root.putArray("nodes");
        for (SnapshotMetadata m : newestFirst) {
            ObjectNode node = listedJson(m, stored.get(m.snapshotId()));
            if (m.parentSnapshotId() == null) {
                node.putNull("parent_snapshot_id");
            } else {
                node.put("parent_snapshot_id", m.parentSnapshotId());
            }
            node.put("parent_listed", m.parentSnapshotId() != null && byId.containsKey(m.parentSnapshotId()));
            ArrayNode kids = node.putArray("children");
            children.getOrDefault(m.snapshotId(), List.of()).forEach(kids::add);
            nodes.add(node);
        }
        return root;
    }

    /** The manager's listing, newest first (it publishes its {@code list} event). */
    private static List<SnapshotMetadata> listed(EnhancedMemoryManager manager) {
        List<SnapshotMetadata> newestFirst = new ArrayList<>(manager.listSnapshots());
        newestFirst.sort(SnapshotMetadata.NEWEST_FIRST);
        return newestFirst;
    }

    /** What the store knows of the memory's stored snapshots, by id. */
    private Map<String, StoredSnapshot> inventory(EnhancedMemoryManager manager) {
        Map<String, StoredSnapshot> stored = new TreeMap<>();
        for (StoredSnapshot s : runtime.store().inventory(manager.memoryId())) {
            stored.put(s.snapshotId(), s);
        }
        return stored;
    }

    /** A listing entry: the metadata, and what the store and the events say of it. */
    private ObjectNode listedJson(SnapshotMetadata m, StoredSnapshot s) {
        ObjectNode node = metadataJson(m);
        node.put("saved", s != null);
        node.put("automatic", automatic.automatic(m.memoryId(), m.snapshotId()));
        if (s != null && s.storedBytes() >= 0) {
            node.put("stored_bytes", s.storedBytes());
        } else {
            node.putNull("stored_bytes");
        }
        ArrayNode labels = node.putArray("labels");
        if (s != null) {
            s.tags().labels().forEach(labels::add);
        }
        node.put("pinned", s != null && s.tags().pinned());
        return node;
    }

    /** The seed's metadata object, as memsnap writes it everywhere, to add the listing's own fields to. */
    private ObjectNode metadataJson(SnapshotMetadata metadata) {
        try {
            return (ObjectNode) JSON.readTree(context.format().metadataJson(metadata));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("memsnap's metadata JSON did not parse", e);
        }
    }

    /** {@code GET /api/snapshots/{id}?memory=}: the memory's snapshot, from memory or the store. */
    MemorySnapshot snapshot(String memoryId, String snapshotId) {
        return snapshot(manager(memoryId), snapshotId);
    }

    private MemorySnapshot snapshot(EnhancedMemoryManager manager, String snapshotId) {
        requireId("id", snapshotId);
        return manager.getSnapshot(snapshotId)
                .orElseThrow(() -> new ApiException(404, "no snapshot with id " + snapshotId
                        + (manager.memoryId().equals(MemoryManagers.DEFAULT) ? "" : " in this memory")));
    }

    /**
     * Writes a snapshot in the snapshot format, as the file store does.
     *
     * @param snapshot the snapshot
     * @param out      where to; not closed
     * @throws IOException when {@code out} fails
     */
    void write(MemorySnapshot snapshot, OutputStream out) throws IOException {
        context.format().write(snapshot, out);
    }

    /**
     * {@code GET /api/compare?before=&after=&memory=}: what changed from one snapshot to another, or to the live memory
     * when {@code after} is {@value #LIVE}, as {@code memsnap diff --json} prints it.
     *
     * @return the comparison's JSON text
     */
    String compare(String memoryId, String before, String after) {
        EnhancedMemoryManager manager = manager(memoryId);
        requireId("before", before);
        if (after == null) {
            throw new ApiException(400, "missing query parameter after");
        }
        if (after.equals(LIVE)) {
            MemorySnapshot earlier = snapshot(manager, before);
            return context.format().diffWithLiveJson(earlier, manager);
        }
        requireId("after", after);
        return context.format().diffJson(snapshot(manager, before), snapshot(manager, after));
    }

    /**
     * {@code GET /api/config}: how the page reaches the event stream. Never the token.
     *
     * @param requestHost      the host name the page was loaded from, used when the stream listens on every interface
     * @param requestAuthority the {@code Host} header as sent, {@code name:port}: the page's origin
     */
    ObjectNode configuration(String requestHost, String requestAuthority) {
        ObjectNode root = JSON.createObjectNode();
        root.put("read_only", true);
        root.put("token_required", config.requiresToken());
        ObjectNode events = root.putObject("stream");
        events.put("enabled", streamSettings.enabled());
        Optional<URI> url = streamUri(requestHost);
        events.put("running", url.isPresent());
        if (url.isPresent()) {
            events.put("url", url.get().toString());
        } else {
            events.putNull("url");
        }
        events.put("token_required", streamSettings.requiresToken());
        events.put("subprotocol", WebSocketEndpoint.SUBPROTOCOL);
        events.put("token_subprotocol_prefix", WebSocketEndpoint.TOKEN_SUBPROTOCOL_PREFIX);
        events.put("token_query_parameter", "token");
        // whether the stream lets in a page of the origin this one was loaded from; the page says what to set if not
        String pageOrigin = "http://" + requestAuthority;
        events.put("page_origin", pageOrigin);
        events.put("page_origin_allowed", runtime.service(WebSocketEndpoint.class)
                .map(e -> e.allowsOrigin(pageOrigin)).orElse(false));
        return root;
    }

    /**
     * @param requestHost the host name the page was loaded from
     * @return where the page connects for events, when the stream is running
     */
    Optional<URI> streamUri(String requestHost) {
        // Looked up per request: the two plugins' services start in no promised order.
        Optional<WebSocketEndpoint> stream = runtime.service(WebSocketEndpoint.class);
        if (stream.isEmpty() || !stream.get().isRunning()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = stream.get().uri();
        } catch (IllegalStateException stoppedMeanwhile) {
            return Optional.empty();
        }
        if (streamSettings.wildcardHost() && requestHost != null) {
            String host = requestHost.contains(":") && !requestHost.startsWith("[") ? "[" + requestHost + "]"
                    : requestHost;
            uri = URI.create(uri.getScheme() + "://" + host + ":" + uri.getPort() + uri.getRawPath());
        }
        return Optional.of(uri);
    }

    private void requireId(String parameter, String value) {
        if (value == null) {
            throw new ApiException(400, "missing query parameter " + parameter);
        }
        if (!context.isValidSnapshotId(value)) {
            throw new ApiException(400, parameter + " is not a snapshot id (expected "
                    + "snapshot_<yyyyMMdd>_<HHmmss>_<8 lowercase hex>)");
        }
    }
}
