package dev.memsnap.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.core.compare.DiffFormat;
import dev.memsnap.core.compare.SnapshotComparator;
import dev.memsnap.core.format.SnapshotJson;
import com.google.inject.multibindings.Multibinder;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read-only JSON API the page uses, over real HTTP: what each endpoint answers, and what it refuses.
 */
class DashboardApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestHost host;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        host = TestHost.start(dir);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(host.uri(path)).timeout(Duration.ofSeconds(10));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request java.net.http refuses to send, such as one with a malformed query. */
    private String raw(String target, String bearer) throws IOException {
        return RawHttp.statusLine(host.dashboard.port(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n") + "Connection: close\r\n\r\n");
    }

    private JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path, host.token);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(response.body());
    }

    @Test
    void theListingMergesSnapshotsInMemoryWithTheStoreNewestFirst() throws Exception {
        Fixtures.converse(host.manager);
        String saved = host.manager.createSnapshot();
        host.manager.saveSnapshot(saved);
        host.memsnap.injector().getInstance(SnapshotStore.class)
                .setTags(saved, new SnapshotTags(Set.of("before-trip"), true));
        Fixtures.continueConversation(host.manager);
        String unsaved = host.manager.createSnapshot();

        JsonNode listing = getJson("/api/snapshots");
        assertEquals(2, listing.get("count").asInt());
        JsonNode newest = listing.get("snapshots").get(0);
        JsonNode oldest = listing.get("snapshots").get(1);
        assertEquals(unsaved, newest.get("snapshot_id").asText());
        assertFalse(newest.get("saved").asBoolean());
        assertTrue(newest.get("stored_bytes").isNull());
        assertEquals(4, newest.get("short_term_turns").asInt());
        assertEquals(5, newest.get("long_term_memories").asInt());
        assertEquals(5, newest.get("topics").asInt());

        assertEquals(saved, oldest.get("snapshot_id").asText());
        assertTrue(oldest.get("saved").asBoolean());
        assertTrue(oldest.get("stored_bytes").asLong() > 0);
        assertEquals("before-trip", oldest.get("labels").get(0).asText());
        assertTrue(oldest.get("pinned").asBoolean());
        assertFalse(oldest.get("automatic").asBoolean());
    }

    @Test
    void automaticSnapshotsAreMarkedInTheListing() throws Exception {
        host.manager.enableAutoSnapshot(2);
        Fixtures.converse(host.manager); // two turns: one automatic snapshot, saved in the background
        String id = host.manager.listSnapshots().get(0).snapshotId();
        JsonNode first = getJson("/api/snapshots").get("snapshots").get(0);
        assertEquals(id, first.get("snapshot_id").asText());
        assertTrue(first.get("automatic").asBoolean());
    }

    @Test
    void oneSnapshotIsServedInTheSnapshotFormat() throws Exception {
        Fixtures.converse(host.manager);
        String id = host.manager.createSnapshot();
        MemorySnapshot snapshot = host.manager.getSnapshot(id).orElseThrow();

        HttpResponse<String> response = get("/api/snapshots/" + id, host.token);
        assertEquals(200, response.statusCode());
        String expected = new String(new SnapshotJson().toBytes(snapshot), StandardCharsets.UTF_8);
        assertEquals(expected, response.body());
        assertEquals(2, JSON.readTree(response.body()).at("/memory_stats/long_term/source_types/fact").asInt());
    }

    @Test
    void invalidIdsAre400AndUnknownOnes404WithAJsonError() throws Exception {
        for (String bad : List.of("nope", "snapshot_2025", "..%2F..%2Fetc%2Fpasswd", "SNAPSHOT_20250101_000000_abcdef12",
                "snapshot_20250101_000000_abcdef12%0A")) {
            HttpResponse<String> response = get("/api/snapshots/" + bad, host.token);
            assertEquals(400, response.statusCode(), bad);
            assertTrue(JSON.readTree(response.body()).get("error").asText().contains("not a snapshot id"), bad);
        }
        HttpResponse<String> unknown = get("/api/snapshots/snapshot_20000101_000000_0badc0de", host.token);
        assertEquals(404, unknown.statusCode());
        assertEquals("no snapshot with id snapshot_20000101_000000_0badc0de",
                JSON.readTree(unknown.body()).get("error").asText());

        assertEquals(400, get("/api/compare?before=x&after=y", host.token).statusCode());
        assertEquals(400, get("/api/compare?after=live", host.token).statusCode());
        // The JDK's server refuses a request target that is not a valid URI before any handler sees it.
        assertTrue(raw("/api/compare?before=%zz", host.token).contains(" 400 "), "malformed query");
        assertEquals(404, get("/api/compare?before=snapshot_20000101_000000_0badc0de&after=live", host.token)
                .statusCode());
        assertEquals(404, get("/api/nothing-here", host.token).statusCode());
    }

    @Test
    void compareAnswersWithTheDiffFormatsJson() throws Exception {
        Fixtures.converse(host.manager);
        String before = host.manager.createSnapshot();
        Fixtures.continueConversation(host.manager);
        String after = host.manager.createSnapshot();
        MemorySnapshot a = host.manager.getSnapshot(before).orElseThrow();
        MemorySnapshot b = host.manager.getSnapshot(after).orElseThrow();

        JsonNode diff = getJson("/api/compare?before=" + before + "&after=" + after);
        assertEquals(DiffFormat.toJson(SnapshotComparator.compare(a, b)), diff);
        assertEquals(2, diff.at("/turns/added").size());
        assertEquals(2, diff.at("/memories/added").size());

        Fixtures.continueConversation(host.manager);
        JsonNode live = getJson("/api/compare?before=" + after + "&after=live");
        assertEquals("live", live.get("after").asText());
        assertEquals(2, live.at("/turns/added").size());
    }

    @Test
    void configSaysWhereTheStreamIsButNeverTheToken() throws Exception {
        HttpResponse<String> response = get("/api/config", host.token);
        assertEquals(200, response.statusCode());
        assertFalse(response.body().contains(host.token), "the token must never be served");
        JsonNode config = JSON.readTree(response.body());
        assertTrue(config.get("read_only").asBoolean());
        assertTrue(config.get("token_required").asBoolean());
        assertEquals(host.webSocket.uri().toString(), config.at("/stream/url").asText());
        assertEquals("memsnap", config.at("/stream/subprotocol").asText());
        assertEquals("memsnap.token.", config.at("/stream/token_subprotocol_prefix").asText());
    }

    @Test
    void withoutTheRightTokenNothingIsServedButTheCodeOfThePage() throws Exception {
        Fixtures.converse(host.manager);
        String id = host.manager.createSnapshot();
        for (String path : List.of("/api/snapshots", "/api/snapshots/" + id, "/api/config",
                "/api/compare?before=" + id + "&after=live", "/", "/index.html")) {
            for (String bearer : new String[] {null, "wrong-token-0123456789abcdef", host.token + "x", ""}) {
                HttpResponse<String> response = get(path, bearer);
                assertEquals(401, response.statusCode(), path + " with " + bearer);
                assertFalse(response.body().contains(id), path);
                assertEquals("Bearer realm=\"memsnap dashboard\"",
                        response.headers().firstValue("WWW-Authenticate").orElse(""));
            }
        }
        assertEquals(401, get("/?token=wrong-token-0123456789abcdef", null).statusCode());
        String malformed = raw("/api/snapshots?token=" + host.token + "%zz", null);
        assertTrue(malformed.contains(" 400 ") || malformed.contains(" 401 "), malformed);
        assertEquals(200, get("/?token=" + host.token, null).statusCode());
        assertEquals(200, get("/api/snapshots?token=" + host.token, null).statusCode());
        assertEquals(200, get("/api/snapshots", host.token).statusCode());
        for (String asset : List.of("/app.js", "/app.css", "/favicon.svg")) {
            assertEquals(200, get(asset, null).statusCode(), asset);
        }
        assertEquals(404, get("/secret.txt", null).statusCode());
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            HttpRequest request = HttpRequest.newBuilder(host.uri("/api/snapshots"))
                    .header("Authorization", "Bearer " + host.token)
                    .method(method, HttpRequest.BodyPublishers.ofString("{}")).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(405, response.statusCode(), method);
            assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(""), method);
        }
        HttpRequest head = HttpRequest.newBuilder(host.uri("/api/snapshots"))
                .header("Authorization", "Bearer " + host.token)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = http.send(head, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() throws Exception {
        for (String path : List.of("/", "/app.js", "/api/snapshots", "/api/nothing")) {
            HttpResponse<String> response = get(path, host.token);
            String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.startsWith("default-src 'self'; connect-src 'self' ws://127.0.0.1:" + host.webSocketPort
                    + ";"), csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), csp);
            assertFalse(csp.contains("unsafe-inline"), csp);
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(""), path);
            assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(""), path);
        }
        String page = get("/", host.token).body();
        assertFalse(page.contains("<script>"), "no inline script: the page's code is a file");
        assertFalse(page.contains("style="), "no inline style");
    }

    @Test
    void aRequestNamingAnotherHostIsRefusedAgainstDnsRebinding() throws Exception {
        assertTrue(RawHttp.statusLine(host.dashboard.port(), "GET /api/config HTTP/1.1\r\nHost: attacker.example:"
                + host.dashboard.port() + "\r\nAuthorization: Bearer " + host.token + "\r\nConnection: close\r\n\r\n")
                .contains(" 403 "));
        assertTrue(RawHttp.statusLine(host.dashboard.port(), "GET /api/config HTTP/1.1\r\nHost: localhost:"
                + host.dashboard.port() + "\r\nAuthorization: Bearer " + host.token + "\r\nConnection: close\r\n\r\n")
                .contains(" 200 "));
    }

    @Test
    void readingPublishesNothingButTheListingsOwnListEvent() throws Exception {
        host.close();
        List<SnapshotEvent> events = new CopyOnWriteArrayList<>();
        host = TestHost.start(dir, binder -> Multibinder.newSetBinder(binder, SnapshotEventListener.class)
                .addBinding().toInstance(events::add));
        Fixtures.converse(host.manager);
        String unsaved = host.manager.createSnapshot();
        String saved = host.manager.createSnapshot();
        host.manager.saveSnapshot(saved);
        int before = events.size();

        JsonNode listing = getJson("/api/snapshots");
        assertEquals(Set.of(saved, unsaved), Set.of(listing.at("/snapshots/0/snapshot_id").asText(),
                listing.at("/snapshots/1/snapshot_id").asText()));
        // The listing is the manager's, and a listing publishes its documented list event: that one, once.
        assertEquals(before + 1, events.size(), "one list event: " + events.subList(before, events.size()));
        SnapshotEvent listed = events.get(before);
        assertEquals(SnapshotEvent.Action.LIST, listed.action());
        assertEquals(Set.of(saved, unsaved), listed.snapshots().stream().map(m -> m.snapshotId())
                .collect(java.util.stream.Collectors.toSet()));
        before = events.size();
        getJson("/api/snapshots/" + unsaved);
        getJson("/api/compare?before=" + unsaved + "&after=" + saved);
        getJson("/api/compare?before=" + saved + "&after=live");
        getJson("/api/config");
        assertEquals(before, events.size(), "an audit log or a WebSocket client sees nothing of the page's reads: "
                + events.subList(before, events.size()));
    }

    @Test
    void aSnapshotNeitherHeldNorStoredLeavesTheListing() throws Exception {
        Fixtures.converse(host.manager);
        String id = host.manager.createSnapshot();
        host.manager.saveSnapshot(id);
        assertEquals(1, getJson("/api/snapshots").get("count").asInt());
        // Gone from the store; core still holds it (a snapshot created here is held until it is released).
        host.memsnap.injector().getInstance(SnapshotStore.class).delete(id);
        JsonNode listing = getJson("/api/snapshots");
        assertEquals(1, listing.get("count").asInt());
        assertFalse(listing.at("/snapshots/0/saved").asBoolean());
    }
}
