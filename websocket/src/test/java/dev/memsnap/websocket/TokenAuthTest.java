package dev.memsnap.websocket;

import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With a token configured, a client must present it, in the query string or as a subprotocol. */
class TokenAuthTest {
    static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;
    Harness harness;

    @BeforeEach
    void start() {
        harness = Harness.start(dir, "token: " + TOKEN);
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void aClientWithoutTheTokenIsRefused() throws InterruptedException {
        assertRefused(new TestClient(harness.uri("")));
        assertRefused(new TestClient(harness.uri("?other=" + TOKEN)));
    }

    @Test
    void aClientWithAWrongTokenIsRefused() throws InterruptedException {
        assertRefused(new TestClient(harness.uri("?token=" + TOKEN.substring(1) + "0")));
        assertRefused(new TestClient(harness.uri("?token=")));
        assertRefused(new TestClient(harness.uri(""), subprotocols("memsnap", "memsnap.token.wrong")));
    }

    @Test
    void theTokenInTheQueryStringIsAccepted() throws InterruptedException {
        TestClient client = harness.track(new TestClient(harness.uri("?token=" + TOKEN))).open();
        String id = harness.manager.createSnapshot();
        assertEquals(id, client.next().get("snapshot_id").asText());
    }

    @Test
    void theTokenAsASubprotocolIsAcceptedAndOnlyMemsnapIsEchoed() throws InterruptedException {
        TestClient client = harness.track(new TestClient(harness.uri(""),
                subprotocols("memsnap", "memsnap.token." + TOKEN))).open();
        IProtocol selected = client.getProtocol();
        assertEquals("memsnap", selected.getProvidedProtocol(), "a browser needs one offered subprotocol echoed");
        String id = harness.manager.createSnapshot();
        assertEquals(id, client.next().get("snapshot_id").asText());
    }

    @Test
    void aRefusalIsAnHttpErrorBeforeTheUpgrade() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", harness.endpoint.port())) {
            socket.setSoTimeout(10_000);
            String response = handshake(socket, harness.endpoint.uri().getPath() + "?token=nope");
            assertTrue(response.startsWith("HTTP/1.1 404"), response);
            assertFalse(response.contains("nope"), "what was presented is not echoed");
        }
    }

    @Test
    void onlyTheConfiguredPathIsServed() throws InterruptedException {
        assertRefused(new TestClient(java.net.URI.create("ws://127.0.0.1:" + harness.endpoint.port()
                + "/elsewhere?token=" + TOKEN)));
    }

    @Test
    void noTokenPresentedOrConfiguredIsLogged() throws Exception {
        String wrong = "wrong-token-0123456789-zz";
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8)); // where slf4j-simple writes
        try {
            assertFalse(new TestClient(harness.uri("?token=" + wrong)).tryOpen());
            assertFalse(new TestClient(harness.uri(""), subprotocols("memsnap", "memsnap.token." + wrong)).tryOpen());
            harness.track(new TestClient(harness.uri("?token=" + TOKEN))).open();
            harness.manager.createSnapshot();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Refused a WebSocket connection"), "the log was captured: " + log);
        assertFalse(log.contains(wrong), log);
        assertFalse(log.contains(TOKEN), log);
    }

    private void assertRefused(TestClient client) throws InterruptedException {
        assertFalse(client.tryOpen(), "connection should be refused");
        assertFalse(client.opened);
        assertEquals(0, harness.endpoint.clientCount(), "a refused client is never registered");
    }

    static Draft_6455 subprotocols(String... names) {
        return new Draft_6455(List.of(), List.of(names).stream().map(name -> (IProtocol) new Protocol(name)).toList());
    }

    /** Sends a WebSocket upgrade request by hand and returns the response head. */
    static String handshake(Socket socket, String target) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + socket.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
