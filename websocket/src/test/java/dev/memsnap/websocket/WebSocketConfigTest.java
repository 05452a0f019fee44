package dev.memsnap.websocket;

import dev.memsnap.api.ConfigException;
import dev.memsnap.core.ConfigFile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The websocket: section: defaults, values, and errors that name the file and key. */
class WebSocketConfigTest {
    private static WebSocketConfig parse(String section) {
        return WebSocketConfig.from(ConfigFile.parse("config.yaml", "websocket:\n" + section));
    }

    @Test
    void anAbsentSectionIsEveryDefault() {
        WebSocketConfig config = WebSocketConfig.from(ConfigFile.parse("config.yaml", "memory: {}\n"));
        assertEquals(WebSocketConfig.defaults(), config);
        assertFalse(config.enabled());
        assertEquals("127.0.0.1", config.host());
        assertEquals(8765, config.port());
        assertEquals("/memsnap", config.path());
        assertFalse(config.requiresToken());
        assertEquals(List.of(), config.allowedOrigins());
        assertEquals(50, config.historySize());
        assertEquals(256, config.clientBuffer());
    }

    @Test
    void everyKeyIsRead() {
        WebSocketConfig config = parse("""
                  enabled: true
                  host: 0.0.0.0
                  port: 0
                  path: /events/memory
                  token: 0123456789abcdef0123
                  allowed_origins: [http://localhost:3000, https://dash.example.com]
                  history_size: 0
                  client_buffer: 8
                """);
        assertEquals(new WebSocketConfig(true, "0.0.0.0", 0, "/events/memory", "0123456789abcdef0123",
                List.of("http://localhost:3000", "https://dash.example.com"), 0, 8), config);
    }

    @Test
    void errorsNameTheFileAndTheKey() {
        assertError("  port: 70000\n", "config.yaml: websocket.port: expected a whole number from 0 to 65535");
        assertError("  port: eighty\n", "config.yaml: websocket.port:");
        assertError("  enabled: yes please\n", "config.yaml: websocket.enabled: expected true or false");
        assertError("  path: memsnap\n", "config.yaml: websocket.path: expected a path starting with /");
        assertError("  allowed_origins: [localhost:3000]\n", "config.yaml: websocket.allowed_origins:");
        assertError("  allowed_origins: [http://localhost:3000/app]\n", "config.yaml: websocket.allowed_origins:");
        assertError("  history_size: -1\n", "config.yaml: websocket.history_size:");
        assertError("  client_buffer: 0\n", "config.yaml: websocket.client_buffer:");
        assertError("  token: short\n", "config.yaml: websocket.token: expected at least 16 characters");
        assertError("  token: has spaces in it, sadly\n", "config.yaml: websocket.token: expected only");
    }

    @Test
    void aMisspeltKeyIsRefusedNamingTheKnownOne() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> WebSocketConfig.from(ConfigFile.parse("config.yaml", "websocket: {enabeld: true}\n")));
        assertTrue(e.getMessage().startsWith("config.yaml: websocket.enabeld: unknown key; did you mean enabled?"),
                e.getMessage());
    }

    @Test
    void theSectionIsParsedOnceForEveryPluginThatReadsIt() {
        ConfigFile config = ConfigFile.parse("config.yaml", "websocket: {enabled: true, port: 0}\n");
        assertTrue(WebSocketConfig.from(config) == config.bind("websocket", WebSocketConfig.class));
    }

    @Test
    void theTokenIsNeverShown() {
        String token = "do-not-print-me-0123456789";
        WebSocketConfig config = parse("  token: " + token + "\n");
        assertTrue(config.requiresToken());
        assertFalse(config.toString().contains(token), config.toString());
        ConfigException bad = assertThrows(ConfigException.class, () -> parse("  token: " + token + " x\n"));
        assertFalse(bad.getMessage().contains("do-not-print"), bad.getMessage());
    }

    @Test
    void theRecordRefusesWhatTheFileWould() {
        assertThrows(IllegalArgumentException.class, () -> new WebSocketConfig(true, "127.0.0.1", -1, "/memsnap",
                null, List.of(), 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new WebSocketConfig(true, "127.0.0.1", 1, "memsnap",
                null, List.of(), 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new WebSocketConfig(true, "127.0.0.1", 1, "/memsnap",
                null, List.of(), 1, 0));
    }

    private static void assertError(String section, String expectedStart) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(section));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }
}
