package dev.memsnap.websocket;

import dev.memsnap.api.event.SnapshotEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that try to make the server hold what they never take: pongs they never read, handshakes that never end
 * (too long, or too slow). Each is closed, within a bound measured here, and a well-behaved client meanwhile
 * connects and receives events. Real sockets on loopback; the hostile clients are raw sockets.
 */
class HostileClientTest {
    static final int CLIENT_BUFFER = 16;
    /** A ping flood gives up after this much, whatever happens: the server must close it long before. */
    static final long MAX_FLOOD_BYTES = 32L << 20;
    /** A never-ending handshake gives up after this much. */
    static final long MAX_HANDSHAKE_FLOOD_BYTES = 16L << 20;
    /** How long a flood may go on before the test gives up on the server closing it. */
    static final long FLOOD_SECONDS = 20;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private WebSocketEventServer server;

    private WebSocketEventServer start(WebSocketEventServer.Limits limits) {
        server = new WebSocketEventServer(new WebSocketConfig(true, "127.0.0.1", 0, "/memsnap", null, List.of(), 0,
                CLIENT_BUFFER), new dev.memsnap.core.format.SnapshotJson(), limits);
        server.start();
        return server;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private Socket rawSocket() throws IOException {
        Socket socket = new Socket();
        opened.add(socket);
        // A small receive window, set before connecting, so that the kernel holds little of what the server sends.
        socket.setReceiveBufferSize(4096);
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        return socket;
    }

    private TestClient healthyClient() throws InterruptedException {
        TestClient client = new TestClient(server.uri()).open();
        opened.add(client::closeBlocking);
        return client;
    }

    /** Publishes an event and checks that the client receives it. */
    private void assertReceivesEvents(TestClient client) throws InterruptedException {
        server.onEvent(SnapshotEvent.created(EventJsonTest.SEED_METADATA, false));
        assertEquals("create", client.next().get("action").asText());
    }

    /** Waits, boundedly, for the server's bookkeeping of a close it has already done on the socket. */
    private void awaitClientCount(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.clientCount() != expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        assertEquals(expected, server.clientCount());
    }

    /** A masked client ping frame (RFC 6455 5.5.2) with the largest payload allowed, 125 bytes. */
    private static byte[] pingFrames(int count) {
        byte[] frame = new byte[2 + 4 + 125];
        frame[0] = (byte) 0x89; // FIN, opcode ping
        frame[1] = (byte) (0x80 | 125); // masked, 125 bytes
        // Mask key 0: the payload goes as it is.
        Arrays.fill(frame, 6, frame.length, (byte) 'p');
        byte[] frames = new byte[frame.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(frame, 0, frames, i * frame.length, frame.length);
        }
        return frames;
    }

    @Test
    void aClientThatPingsAndNeverReadsThePongsIsClosed() throws Exception {
        start(WebSocketEventServer.Limits.DEFAULT);
        TestClient healthy = healthyClient();
        Socket flooder = rawSocket();
        String response = TokenAuthTest.handshake(flooder, "/memsnap");
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
        awaitClientCount(2);

        byte[] batch = pingFrames(500); // 65 500 bytes
        OutputStream out = flooder.getOutputStream();
        long start = System.nanoTime();
        // Bounded in bytes and in time: without a bound on what is queued the server reads on (slowly, as its
        // queue grows) until its lost-connection check gives up on the client, a minute or two later.
        CompletableFuture<Long> flood = CompletableFuture.supplyAsync(() -> {
            long written = 0;
            try {
                while (written < MAX_FLOOD_BYTES) {
                    out.write(batch);
                    written += batch.length;
                }
                return -written;
            } catch (IOException e) {
                return written; // reset: the server closed the connection
            }
        });
        long sent;
        try {
            sent = flood.get(FLOOD_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            flooder.close();
            throw new AssertionError("the server still reads pings whose pongs are not read after "
                    + FLOOD_SECONDS + " s");
        }
        boolean closed = sent >= 0;
        sent = Math.abs(sent);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(closed, "the server still reads pings after " + (sent >> 20) + " MiB whose pongs are not read");
        awaitClientCount(1);
        assertReceivesEvents(healthy);
        System.out.printf("FIGURE ping flood: closed after %d KiB of pings (%d pings) sent in %d ms; at most %d "
                        + "frames or %d MiB queued for it%n", sent >> 10, sent / 131, millis,
                CLIENT_BUFFER + WebSocketEventServer.Limits.DEFAULT.maxQueuedControlFrames(),
                WebSocketEventServer.Limits.DEFAULT.maxQueuedBytes() >> 20);
    }

    @Test
    void aClientThatPingsAndReadsIsAnswered() throws Exception {
        start(WebSocketEventServer.Limits.DEFAULT);
        Socket pinger = rawSocket();
        String response = TokenAuthTest.handshake(pinger, "/memsnap");
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
        int pings = 2_000; // far more than client_buffer plus the control frames allowed, but each pong read
        OutputStream out = pinger.getOutputStream();
        InputStream in = pinger.getInputStream();
        byte[] one = pingFrames(1);
        byte[] pong = new byte[127];
        for (int i = 0; i < pings; i++) {
            out.write(one);
            int read = 0;
            while (read < pong.length) {
                int n = in.read(pong, read, pong.length - read);
                assertTrue(n > 0, "pong " + i + " missing");
                read += n;
            }
            assertEquals((byte) 0x8A, pong[0], "a pong");
        }
        assertEquals(1, server.clientCount());
        System.out.printf("FIGURE ping-pong: %d pongs, %d lost write demands re-armed%n", pings,
                server.rearmedWrites());
    }

    @Test
    void aHandshakeThatNeverEndsIsClosedAndDelaysNobody() throws Exception {
        start(WebSocketEventServer.Limits.DEFAULT);
        List<CompletableFuture<Long>> floods = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket hostile = rawSocket();
            floods.add(CompletableFuture.supplyAsync(() -> floodHandshake(hostile)));
        }
        long[] connectMillis = new long[5];
        for (int i = 0; i < connectMillis.length; i++) {
            long start = System.nanoTime();
            TestClient client = healthyClient();
            connectMillis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertReceivesEvents(client);
        }
        System.out.printf("FIGURE handshake flood: real clients connected in %s ms while 4 connections sent "
                + "endless headers%n", Arrays.toString(connectMillis));
        long most = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FLOOD_SECONDS);
        for (CompletableFuture<Long> flood : floods) {
            long sent;
            try {
                sent = flood.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                sent = -1;
            }
            assertTrue(sent >= 0, "a never-ending handshake was still read after " + FLOOD_SECONDS + " s or "
                    + (MAX_HANDSHAKE_FLOOD_BYTES >> 20) + " MiB");
            most = Math.max(most, sent);
        }
        System.out.printf("FIGURE handshake flood: each closed after at most %d KiB sent (limit %d KiB read)%n",
                most >> 10, WebSocketEventServer.Limits.DEFAULT.maxHandshakeBytes() >> 10);
    }

    /** @return the bytes written before the server closed the connection, or -1 when it never did */
    private static long floodHandshake(Socket socket) {
        byte[] header = ("X-Padding: " + "a".repeat(8_000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long sent = 0;
        try {
            OutputStream out = socket.getOutputStream();
            out.write("GET /memsnap HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            while (sent < MAX_HANDSHAKE_FLOOD_BYTES) {
                out.write(header);
                sent += header.length;
            }
            return -1;
        } catch (IOException e) {
            return sent;
        }
    }

    @Test
    void aHandshakeThatNeverFinishesIsClosedAtItsDeadline() throws Exception {
        Duration timeout = Duration.ofMillis(500);
        start(new WebSocketEventServer.Limits(16L << 20, 64, 32 << 10, timeout));
        TestClient early = healthyClient(); // its own deadline passes while it is open: it must stay open

        Socket slow = rawSocket();
        long start = System.nanoTime();
        slow.getOutputStream().write("GET /memsnap HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        int read;
        try {
            read = slow.getInputStream().read(); // the server never answers: only its close ends this
        } catch (SocketException e) {
            read = -1;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(-1, read, "closed, not answered");
        assertTrue(millis >= timeout.toMillis() - 50 && millis < timeout.toMillis() + 5_000,
                "closed after " + millis + " ms");
        assertReceivesEvents(early);
        assertReceivesEvents(healthyClient());
        assertEquals(2, server.clientCount());
        System.out.printf("FIGURE slow handshake: closed %d ms after its first bytes (timeout %d ms)%n", millis,
                timeout.toMillis());
    }
}
