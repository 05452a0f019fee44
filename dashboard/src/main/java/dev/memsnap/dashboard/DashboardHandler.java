package dev.memsnap.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Every request the dashboard serves: the page (with the token), its script, style and icon (to anyone: they hold
 * no data), and the read-only JSON API (with the token). Only {@code GET} and {@code HEAD}.
 *
 * <pre>
 * GET /                                     the page; ?token=... when a token is configured
 * GET /app.js, /app.css, /favicon.svg       the page's code, style and icon
 * GET /api/memories                         the memory ids, with their stored snapshots' count and size
 * GET /api/snapshots                        the listing
 * GET /api/snapshots/{id}                   one snapshot, in the snapshot format
 * GET /api/history                          the listing as a tree of parent links
 * GET /api/compare?before={id}&amp;after={id}   what changed, as memsnap diff --json prints it (after may be "live")
 *
 * each of the four above: ?memory=ID for a memory other than the default one
 * GET /api/config                           where the event stream is, and how to pass it the token
 * </pre>
 */
final class DashboardHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(DashboardHandler.class);
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final String API = "/api/";
    private static final String SNAPSHOTS = "/api/snapshots";
    /** The query parameter that names the memory of a per-memory call. */
    private static final String MEMORY = "memory";

    private final DashboardApi api;
    private final StaticAssets assets;
    private final RequestGuard guard;

    DashboardHandler(DashboardApi api, StaticAssets assets, RequestGuard guard) {
        this.api = api;
        this.assets = assets;
        this.guard = guard;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            serve(exchange);
        } catch (IOException e) {
            log.debug("Dashboard client {} went away: {}", exchange.getRemoteAddress(), e.toString());
        } catch (RuntimeException e) {
            log.warn("Dashboard request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    e);
            if (exchange.getResponseCode() < 0) {
                sendJson(exchange, 500, error("internal error"));
            }
        } finally {
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        Headers request = exchange.getRequestHeaders();
        // Exactly one Host header: with two, which one a proxy or the browser meant is anybody's guess.
        List<String> hosts = request.get("Host");
        String hostHeader = hosts != null && hosts.size() == 1 ? hosts.get(0) : null;
        securityHeaders(exchange, RequestGuard.hostName(hostHeader));
        // RequestGate passes one request per connection on: say so, or a client would reuse the connection and find
        // it closed under its next request.
        exchange.getResponseHeaders().set("Connection", "close");
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        String path = rawPath == null ? "" : rawPath;
        if (!guard.hostAllowed(hostHeader)) {
            refuse(exchange, path, "Host is not a loopback name");
            sendJson(exchange, 403, error("this dashboard answers only to localhost, 127.0.0.1 and [::1]"));
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            sendJson(exchange, 405, error("the dashboard is read-only: only GET and HEAD"));
            return;
        }
        String name = path.startsWith("/") ? path.substring(1) : path;
        Optional<StaticAssets.Asset> asset = assets.publicAsset(name);
        if (asset.isPresent()) {
            sendAsset(exchange, asset.get());
            return;
        }
        boolean page = path.equals("/") || path.equals("/index.html");
        boolean apiCall = path.startsWith(API);
        if (!page && !apiCall) {
            send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!guard.authorized(request.get("Authorization"), exchange.getRequestURI().getRawQuery())) {
            refuse(exchange, path, "missing or wrong token");
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"memsnap dashboard\"");
            if (page) {
                send(exchange, 401, assets.unauthorized().contentType(), assets.unauthorized().bytes());
            } else {
                sendJson(exchange, 401, error("missing or wrong token"));
            }
            return;
        }
        if (page) {
            StaticAssets.Asset index = assets.index();
            send(exchange, 200, index.contentType(), index.bytes());
            return;
        }
        try {
            api(exchange, path);
        } catch (ApiException e) {
            sendJson(exchange, e.status(), error(e.getMessage()));
        } catch (SnapshotFormatException e) {
            sendJson(exchange, 500, error("the snapshot could not be read: " + e.getMessage()));
        } catch (SnapshotException e) {
            log.warn("Dashboard request {} failed", path, e);
            sendJson(exchange, 500, error(e.getMessage()));
        }
    }

    private void api(HttpExchange exchange, String path) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        if (path.equals(SNAPSHOTS)) {
            sendJson(exchange, 200, api.listing(parameter(query, MEMORY)));
        } else if (path.startsWith(SNAPSHOTS + "/")) {
            sendSnapshot(exchange, api.snapshot(parameter(query, MEMORY), path.substring(SNAPSHOTS.length() + 1)));
        } else if (path.equals("/api/compare")) {
            send(exchange, 200, JSON_TYPE, api.compare(parameter(query, MEMORY), parameter(query, "before"),
                    parameter(query, "after")).getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/api/history")) {
            sendJson(exchange, 200, api.history(parameter(query, MEMORY)));
        } else if (path.equals("/api/memories")) {
            sendJson(exchange, 200, api.memories());
        } else if (path.equals("/api/config")) {
            List<String> hosts = exchange.getRequestHeaders().get("Host");
            String host = hosts != null && hosts.size() == 1 ? hosts.get(0) : null;
            sendJson(exchange, 200, api.configuration(RequestGuard.hostName(host), host));
        } else {
            sendJson(exchange, 404, error("no such API: " + path));
        }
    }

    private static String parameter(String rawQuery, String name) {
        List<String> values;
        try {
            values = RequestGuard.queryValues(rawQuery, name);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "malformed query string");
        }
        if (values.size() > 1) {
            throw new ApiException(400, "query parameter " + name + " given more than once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /**
     * The strictest policy the page works under: its own script and style only (nothing inline), requests to
     * itself and to the event stream only, never framed.
     */
    private void securityHeaders(HttpExchange exchange, String requestHost) {
        String stream = api.streamUri(requestHost)
                .map(uri -> " " + uri.getScheme() + "://" + uri.getRawAuthority())
                .orElse("");
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Security-Policy", contentSecurityPolicy(stream));
        for (String[] header : fixedSecurityHeaders()) {
            headers.set(header[0], header[1]);
        }
    }

    /** @param stream {@code " ws://host:port"} for the event stream, or empty */
    static String contentSecurityPolicy(String stream) {
        return "default-src 'self'; connect-src 'self'" + stream
                + "; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /** @return every security header but the policy, as name and value; {@link RequestGate}'s answers carry them too */
    static String[][] fixedSecurityHeaders() {
        return new String[][] {
                {"X-Content-Type-Options", "nosniff"},
                {"X-Frame-Options", "DENY"},
                {"Referrer-Policy", "no-referrer"},
                {"Cross-Origin-Opener-Policy", "same-origin"},
                {"Cross-Origin-Resource-Policy", "same-origin"},
                {"Cache-Control", "no-store"},
        };
    }

    private void sendSnapshot(HttpExchange exchange, MemorySnapshot snapshot) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        // Streamed: a large snapshot is never held as text as well as in memory.
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), 1 << 16)) {
            api.write(snapshot, out);
        }
    }

    private static void sendAsset(HttpExchange exchange, StaticAssets.Asset asset) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Cache-Control", "no-cache");
        headers.set("ETag", asset.etag());
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.contains(asset.etag())) {
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        send(exchange, 200, asset.contentType(), asset.bytes());
    }

    private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes;
        try {
            bytes = DashboardApi.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: writing a JSON tree", e);
        }
        send(exchange, status, JSON_TYPE, bytes);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equals("HEAD") || body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static ObjectNode error(String message) {
        return DashboardApi.JSON.createObjectNode().put("error", message);
    }

    private static void refuse(HttpExchange exchange, String path, String why) {
        // Never the query string: it may carry a token.
        log.info("Refused dashboard request from {} for {}: {}", exchange.getRemoteAddress(), path, why);
    }

    /** @return the page's address for a server bound to {@code host:port} */
    static URI pageUri(String host, int port) {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + shown + ":" + port + "/");
    }
}
