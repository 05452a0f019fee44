package dev.memsnap.example.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code OPENAI_API_KEY} and {@code OPENAI_BASE_URL} set, the same host talks to an OpenAI-compatible server: here
 * a real HTTP server on loopback that speaks the chat-completions protocol minimally (a fixed completion) and keeps
 * every request, so the test sees on the wire what the model was sent. Facts are still extracted into memories, and
 * after an apply the request carries the snapshot's conversation and retrieved facts only.
 */
class OpenAiCompatibleModelTest {
    private static final String ANSWER = "A fixed answer from the loopback model.";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request the server received: its Authorization header and its JSON body. */
    private record Received(String authorization, JsonNode body) {
    }

    @TempDir
    Path dir;
    private HttpServer server;
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::complete);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void complete(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            requests.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"), body));
            String reply = status != 200 ? JSON.writeValueAsString(Map.of("error", Map.of(
                    "message", "Incorrect API key provided", "type", "invalid_request_error")))
                    : JSON.writeValueAsString(Map.of("id", "chatcmpl-1", "object", "chat.completion", "created", 1,
                    "model", body.path("model").asText(), "choices", List.of(Map.of("index", 0,
                            "message", Map.of("role", "assistant", "content", ANSWER), "finish_reason", "stop")),
                    "usage", Map.of("prompt_tokens", 1, "completion_tokens", 1, "total_tokens", 2)));
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private HostRun run(String script) throws IOException {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", baseUrl(),
                "OPENAI_MODEL", "loopback-model");
        java.nio.file.Files.writeString(dir.resolve("config.yaml"), HostRun.config(dir, ""));
        java.nio.file.Files.writeString(dir.resolve("script.txt"), script);
        return HostRun.run(env, "", "--config", dir.resolve("config.yaml").toString(), "--script",
                dir.resolve("script.txt").toString());
    }

    /** Every message of a request, as "role: content". */
    private static List<String> messages(Received request) {
        List<String> messages = new java.util.ArrayList<>();
        request.body().path("messages").forEach(m -> messages.add(m.path("role").asText() + ": "
                + m.path("content").asText()));
        return messages;
    }

    @Test
    void theHostTalksToTheServerAndAnApplySendsItTheSnapshotsConversationAndFacts() throws IOException {
        HostRun run = run("""
                /memory zed
                My name is Zed.
                I live in Oslo.
                /snapshot
                Actually my name is Zorro.
                /apply last
                What is my name?
                """);

        assertEquals(0, run.status(), run.toString());
        String out = run.out();
        assertTrue(out.contains("  model:     OpenAI-compatible loopback-model at " + baseUrl()
                + " (OPENAI_API_KEY is set)\n"), run.toString());
        assertTrue(out.contains("zed> My name is Zed.\n  assistant: " + ANSWER + "\n  remembered memory_1   fact  "),
                "the rule extractor still turns statements into memories: " + run);
        assertTrue(out.contains("The user's name is Zorro."), run.toString());
        assertTrue(out.contains("zed> What is my name?\n  assistant: " + ANSWER + "\n"), run.toString());

        assertEquals(4, requests.size(), requests.toString());
        for (Received r : requests) {
            assertEquals("Bearer test-key", r.authorization());
            assertEquals("loopback-model", r.body().path("model").asText());
        }
        // Before the apply the model was told Zorro; after it, the conversation and the facts are the snapshot's.
        assertTrue(messages(requests.get(2)).toString().contains("The user's name is Zorro."), requests.toString());
        List<String> last = messages(requests.get(3));
        assertEquals("system: " + LangChainAssistant.SYSTEM_PROMPT, last.get(0));
        assertEquals("user: My name is Zed.", last.get(1));
        assertEquals("assistant: " + ANSWER, last.get(2));
        assertEquals("user: I live in Oslo.", last.get(3));
        assertEquals("assistant: " + ANSWER, last.get(4));
        assertEquals(6, last.size(), last.toString());
        String asked = last.get(5);
        assertTrue(asked.startsWith("user: What is my name?" + LangChainAssistant.INFORMATION), asked);
        assertTrue(asked.contains("content: The user's name is Zed.\nsource_type: fact\ntopics: user,name\n"
                + "learned_at: "), asked);
        assertTrue(asked.contains("content: The user lives in Oslo."), asked);
        assertFalse(last.toString().contains("Zorro"), "the model forgot Zorro: " + last);
    }

    @Test
    void aModelThatFailsIsAnErrorLineAndTheFactIsStillKept() throws IOException {
        status = 401; // a wrong key: not retried (a 5xx is, after a back-off)
        HostRun run = run("My name is Zed.\n/longterm\n");

        assertEquals(1, run.status(), "a script line failed: " + run);
        assertTrue(run.out().contains("  error: the model did not answer: "), run.toString());
        assertTrue(run.out().contains("Incorrect API key provided"), run.toString());
        assertTrue(run.out().contains("long-term memory: 1 memory\n"), run.toString());
    }
}
