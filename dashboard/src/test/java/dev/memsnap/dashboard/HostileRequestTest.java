package dev.memsnap.dashboard;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests that try to hold the dashboard's workers or slip past its rules: half-sent heads, heads without end,
 * malformed targets, forged or repeated {@code Host} headers. Raw sockets on loopback against a running host.
 */
class HostileRequestTest {
    /** More than the dashboard's workers and their queue together. */
    static final int HALF_SENT = DashboardServer.THREADS + DashboardServer.QUEUE + 12;

    @TempDir
    Path dir;
    private TestHost host;
    private final List<Socket> sockets = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        host = TestHost.start(dir);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        host.close();
    }

    private Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        sockets.add(socket);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** @return the response's status line and headers, as sent */
    private static String responseHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.length() < 64 * 1024 && !head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private String exchange(String request) throws IOException {
        Socket socket = connect(host.dashboard.port());
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        return responseHead(socket);
    }

    private static void assertSecurityHeaders(String head) {
        String lower = head.toLowerCase();
        assertTrue(lower.contains("\r\ncontent-security-policy: default-src 'self'"), head);
        assertTrue(lower.contains("frame-ancestors 'none'"), head);
        assertTrue(lower.contains("\r\nx-content-type-options: nosniff\r\n"), head);
        assertTrue(lower.contains("\r\nx-frame-options: deny\r\n"), head);
        assertTrue(lower.contains("\r\nreferrer-policy: no-referrer\r\n"), head);
        assertTrue(lower.contains("\r\ncache-control: no-store\r\n"), head);
        assertTrue(lower.contains("\r\ncontent-type: application/json"), head);
    }

    @Test
    void halfSentRequestsHoldNoWorker() throws Exception {
        for (int i = 0; i < HALF_SENT; i++) {
            Socket socket = connect(host.dashboard.port());
            socket.getOutputStream().write(("GET /api/snapshots HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                    + "Bearer " + host.token + "\r\n").getBytes(StandardCharsets.ISO_8859_1)); // no empty line
        }
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(host.uri("/api/snapshots"))
                    .header("Authorization", "Bearer " + host.token).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("FIGURE dashboard: 10 requests answered in %d ms while %d half-sent requests were open%n",
                millis, HALF_SENT);
    }

    @Test
    void aHeadWithoutEndIsRefusedAtItsSizeBound() throws Exception {
        Socket socket = connect(host.dashboard.port());
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] line = ("X-Padding: " + "a".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long sent = 0;
        try {
            // Far more than the bound, but less than what the kernel buffers for the socket, so that no write blocks.
            while (sent < RequestGate.Limits.DEFAULT.maxHeadBytes() * 2L) {
                socket.getOutputStream().write(line);
                sent += line.length;
            }
        } catch (IOException e) {
            // closed by the gate once it has answered: the answer may still be read
        }
        String head = responseHead(socket);
        assertTrue(head.startsWith("HTTP/1.1 431 "), head);
        assertSecurityHeaders(head);
    }

    @Test
    void aMalformedTargetGetsTheSecurityHeaders() throws Exception {
        for (String target : List.of("/%zz", "/%", "/a%2", "/ space", "/a|b")) {
            String head = exchange("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertTrue(head.startsWith("HTTP/1.1 400 "), target + ": " + head);
            assertSecurityHeaders(head);
        }
    }

    @Test
    void theHostRuleIsExact() throws Exception {
        int port = host.dashboard.port();
        String auth = "Authorization: Bearer " + host.token + "\r\n";
        for (String hosts : List.of("Host: 127.0.0.1:" + port + "@evil.example\r\n",
                "Host: 127.0.0.1:" + port + ", evil.example\r\n",
                "Host: 127.0.0.1:" + port + "\r\nHost: evil.example\r\n",
                "Host: 127.0.0.1:" + port + "\r\nHost: 127.0.0.1:" + port + "\r\n",
                "Host: 127.0.0.1 evil.example\r\n",
                "Host: \r\n",
                "")) {
            String head = exchange("GET /api/config HTTP/1.1\r\n" + hosts + auth + "\r\n");
            assertTrue(head.startsWith("HTTP/1.1 400 "), hosts + ": " + head);
            assertSecurityHeaders(head);
        }
        for (String good : List.of("127.0.0.1:" + port, "localhost:" + port, "LocalHost", "[::1]:" + port)) {
            String head = exchange("GET /api/config HTTP/1.1\r\nHost: " + good + "\r\n" + auth + "\r\n");
            assertTrue(head.startsWith("HTTP/1.1 200 "), good + ": " + head);
        }
        String head = exchange("GET /api/config HTTP/1.1\r\nHost: evil.example:" + port + "\r\n" + auth + "\r\n");
        assertTrue(head.startsWith("HTTP/1.1 403 "), head);
    }

    @Test
    void aSecondRequestOnTheConnectionIsNeverPassedOn() throws Exception {
        Socket socket = connect(host.dashboard.port());
        String request = "GET /app.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        // The second one half-sent: were it passed on, it would hold a worker.
        socket.getOutputStream().write((request + "GET /app.css HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        String head = responseHead(socket);
        assertTrue(head.startsWith("HTTP/1.1 200 "), head);
        assertTrue(head.toLowerCase().contains("\r\nconnection: close\r\n"), "says the connection ends: " + head);
        int length = Integer.parseInt(head.replaceAll("(?si).*\r\ncontent-length: *([0-9]+)\r\n.*", "$1"));
        InputStream in = socket.getInputStream();
        assertEquals(length, in.readNBytes(length).length);
        assertEquals(-1, in.read(), "the connection ends after one answer");
    }

    /** With a short deadline, on a gate of its own in front of a server that answers everything. */
    @Test
    void aHalfSentRequestIsAnsweredAtItsDeadline() throws Exception {
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        upstream.start();
        Duration timeout = Duration.ofMillis(400);
        try (RequestGate gate = RequestGate.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50,
                upstream.getAddress(), new RequestGate.Limits(32 << 10, timeout, 256))) {
            Socket slow = connect(gate.port());
            long start = System.nanoTime();
            slow.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            String head = responseHead(slow);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(head.startsWith("HTTP/1.1 408 "), head);
            assertSecurityHeaders(head);
            assertTrue(millis >= timeout.toMillis() - 50 && millis < timeout.toMillis() + 5_000,
                    "answered after " + millis + " ms");
            long slowMillis = millis;

            // A trickle does not reset the clock: the deadline counts from the accept.
            Socket trickle = connect(gate.port());
            start = System.nanoTime();
            String trickled = null;
            for (int i = 0; i < 100 && trickled == null; i++) {
                try {
                    trickle.getOutputStream().write('x');
                } catch (IOException e) {
                    break; // closed after its answer
                }
                trickle.setSoTimeout(20);
                try {
                    trickled = responseHead(trickle);
                } catch (java.net.SocketTimeoutException e) {
                    // nothing yet
                }
            }
            trickle.setSoTimeout(10_000);
            if (trickled == null) {
                trickled = responseHead(trickle);
            }
            millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(trickled.startsWith("HTTP/1.1 408 ") || trickled.startsWith("HTTP/1.1 400 "), trickled);
            assertTrue(millis < timeout.toMillis() + 5_000, "answered after " + millis + " ms");

            HttpResponse<Void> ok = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + gate.port() + "/")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(204, ok.statusCode());
            System.out.printf("FIGURE dashboard gate: a half-sent request answered 408 %d ms after its first bytes "
                    + "(deadline %d ms); one trickling a byte every 20 ms answered after %d ms%n", slowMillis,
                    timeout.toMillis(), millis);
        } finally {
            upstream.stop(0);
        }
    }

    @Test
    void hostNamesAreExact() {
        assertEquals("127.0.0.1", RequestGuard.hostName("127.0.0.1:8770"));
        assertEquals("::1", RequestGuard.hostName("[::1]:8770"));
        assertNull(RequestGuard.hostName("127.0.0.1:8770@evil.example"));
        assertNull(RequestGuard.hostName("127.0.0.1, evil.example"));
        assertNull(RequestGuard.hostName("127.0.0.1:80:81"));
        assertNull(RequestGuard.hostName("[::1]evil"));
        assertNull(RequestGuard.hostName(""));
    }
}
