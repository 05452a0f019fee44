package dev.memsnap.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.EnhancedMemoryManager;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the page asks for besides the event stream: the listing, one snapshot, a comparison, and where the stream is.
 * Read-only. Everything comes from the running memsnap, through the plugin runtime: the listing is the manager's own
 * ({@code listSnapshots()}, which publishes its documented {@code list} event), completed with what the store knows of
 * each stored snapshot ({@code inventory()}); snapshots are read with {@code getSnapshot}, and the live memory with
 * {@code turns} and {@code memories}, which publish nothing. The JSON of snapshots, metadata and comparisons is
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
     * {@code GET /api/snapshots}: every snapshot, stored or held in memory, newest first, with what the store knows of
     * it. The manager lists them (and publishes its {@code list} event, as every listing does); the store's inventory
     * adds sizes, labels and pins.
     */
    ObjectNode listing() {
        Map<String, StoredSnapshot> stored = new HashMap<>();
        for (StoredSnapshot s : runtime.store().inventory()) {
            stored.put(s.snapshotId(), s);
        }
        List<SnapshotMetadata> newestFirst = new ArrayList<>(runtime.manager().listSnapshots());
        newestFirst.sort(SnapshotMetadata.NEWEST_FIRST);

        ObjectNode root = JSON.createObjectNode();
        root.put("count", newestFirst.size());
        ArrayNode snapshots = root.putArray("snapshots");
        for (SnapshotMetadata m : newestFirst) {
            StoredSnapshot s = stored.get(m.snapshotId());
            ObjectNode node = metadataJson(m);
            snapshots.add(node);
            node.put("saved", s != null);
            node.put("automatic", automatic.automatic(m.snapshotId()));
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

    /** The seed's metadata object, as memsnap writes it everywhere, to add the listing's own fields to. */
    private ObjectNode metadataJson(SnapshotMetadata metadata) {
        try {
            return (ObjectNode) JSON.readTree(context.format().metadataJson(metadata));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("memsnap's metadata JSON did not parse", e);
        }
    }

    /** {@code GET /api/snapshots/{id}}: the snapshot, from memory or the store. */
    MemorySnapshot snapshot(String snapshotId) {
        requireId("id", snapshotId);
        return runtime.manager().getSnapshot(snapshotId)
                .orElseThrow(() -> new ApiException(404, "no snapshot with id " + snapshotId));
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
     * {@code GET /api/compare?before=&after=}: what changed from one snapshot to another, or to the live memory when
     * {@code after} is {@value #LIVE}, as {@code memsnap diff --json} prints it.
     *
     * @return the comparison's JSON text
     */
    String compare(String before, String after) {
        requireId("before", before);
        if (after == null) {
            throw new ApiException(400, "missing query parameter after");
        }
        if (after.equals(LIVE)) {
            MemorySnapshot earlier = snapshot(before);
            EnhancedMemoryManager live = runtime.manager();
            return context.format().diffWithLiveJson(earlier, live);
        }
        requireId("after", after);
        return context.format().diffJson(snapshot(before), snapshot(after));
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
