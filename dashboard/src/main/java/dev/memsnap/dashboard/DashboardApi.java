package dev.memsnap.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.name.Named;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.core.compare.DiffFormat;
import dev.memsnap.core.compare.SnapshotComparator;
import dev.memsnap.core.format.SnapshotIds;
import dev.memsnap.core.format.Timestamps;
import dev.memsnap.core.manager.ManagerModule;
import dev.memsnap.core.tools.SnapshotTools;
import dev.memsnap.websocket.WebSocketEndpoint;
import jakarta.inject.Inject;
import jakarta.inject.Provider;

import java.net.URI;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the page asks for besides the event stream: the listing, one snapshot, a comparison, and where the stream is.
 * Read-only, and without side effects: nothing here publishes a snapshot event. Reads go to the store and to core's
 * own manager ({@code ManagerModule.CORE_MANAGER}, which holds the snapshots of the manager a host uses) through
 * calls that publish nothing ({@code getSnapshot}, {@code turns}, {@code memories}); a decorating manager could
 * report them.
 */
final class DashboardApi {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A provider: the manager's event publisher holds the listener set this API's server is in. */
    private final Provider<EnhancedMemoryManager> manager;
    private final SnapshotStore store;
    private final SessionSnapshots session;
    private final Optional<WebSocketEndpoint> stream;
    private final StreamSettings streamSettings;
    private final DashboardConfig config;

    @Inject
    DashboardApi(@Named(ManagerModule.CORE_MANAGER_NAME) Provider<EnhancedMemoryManager> manager, SnapshotStore store,
                 SessionSnapshots session, Optional<WebSocketEndpoint> stream, StreamSettings streamSettings,
                 DashboardConfig config) {
        this.manager = manager;
        this.store = store;
        this.session = session;
        this.stream = stream;
        this.streamSettings = streamSettings;
        this.config = config;
    }

    /**
     * {@code GET /api/snapshots}: every snapshot, stored or held in memory, newest first, with what the store knows of
     * it. Publishes no event: stored snapshots come from the store's inventory, those only in memory from what this
     * dashboard saw being created or loaded.
     */
    ObjectNode listing() {
        Map<String, StoredSnapshot> stored = new LinkedHashMap<>();
        for (StoredSnapshot s : store.inventory()) {
            stored.put(s.snapshotId(), s);
        }
        Map<String, SnapshotMetadata> all = new LinkedHashMap<>();
        stored.values().forEach(s -> all.put(s.snapshotId(), s.metadata()));
        for (SessionSnapshots.Seen seen : session.all()) {
            String id = seen.metadata().snapshotId();
            if (!all.containsKey(id)) {
                // Held by the manager (a lookup in memory, no event), or gone: released unsaved, or pruned.
                if (manager.get().getSnapshot(id).isPresent()) {
                    all.put(id, seen.metadata());
                } else {
                    session.forget(id);
                }
            }
        }
        List<SnapshotMetadata> newestFirst = all.values().stream()
                .sorted(Comparator.comparing(SnapshotMetadata::timestamp).thenComparing(SnapshotMetadata::snapshotId)
                        .reversed())
                .toList();

        ObjectNode root = JSON.createObjectNode();
        root.put("count", newestFirst.size());
        ArrayNode snapshots = root.putArray("snapshots");
        for (SnapshotMetadata m : newestFirst) {
            StoredSnapshot s = stored.get(m.snapshotId());
            ObjectNode node = snapshots.addObject();
            node.put("snapshot_id", m.snapshotId());
            node.put("timestamp", Timestamps.format(m.timestamp()));
            node.put("short_term_turns", m.shortTermTurns());
            node.put("long_term_memories", m.longTermMemories());
            node.put("topics", m.topics());
            node.put("saved", s != null);
            node.put("automatic", session.automatic(m.snapshotId()));
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
        }
        return root;
    }

    /** {@code GET /api/snapshots/{id}}: the snapshot, from memory or the store. */
    MemorySnapshot snapshot(String snapshotId) {
        requireId("id", snapshotId);
        return manager.get().getSnapshot(snapshotId)
                .orElseThrow(() -> new ApiException(404, "no snapshot with id " + snapshotId));
    }

    /**
     * {@code GET /api/compare?before=&after=}: what changed from one snapshot to another, or to the live memory when
     * {@code after} is {@value SnapshotTools#LIVE}.
     */
    ObjectNode compare(String before, String after) {
        requireId("before", before);
        if (after == null) {
            throw new ApiException(400, "missing query parameter after");
        }
        if (after.equals(SnapshotTools.LIVE)) {
            MemorySnapshot earlier = snapshot(before);
            try {
                return DiffFormat.toJson(SnapshotTools.compareWithLive(earlier.snapshotId(), manager.get()));
            } catch (SnapshotNotFoundException e) {
                throw new ApiException(404, "no snapshot with id " + before);
            }
        }
        requireId("after", after);
        return DiffFormat.toJson(SnapshotComparator.compare(snapshot(before), snapshot(after)));
    }

    /**
     * {@code GET /api/config}: how the page reaches the event stream. Never the token.
     *
     * @param requestHost the host name the page was loaded from, used when the stream listens on every interface
     */
    ObjectNode configuration(String requestHost) {
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
        return root;
    }

    /**
     * @param requestHost the host name the page was loaded from
     * @return where the page connects for events, when the stream is running
     */
    Optional<URI> streamUri(String requestHost) {
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

    private static void requireId(String parameter, String value) {
        if (value == null) {
            throw new ApiException(400, "missing query parameter " + parameter);
        }
        if (!SnapshotIds.isValid(value)) {
            throw new ApiException(400, parameter + " is not a snapshot id (expected "
                    + "snapshot_<yyyyMMdd>_<HHmmss>_<8 lowercase hex>)");
        }
    }
}
