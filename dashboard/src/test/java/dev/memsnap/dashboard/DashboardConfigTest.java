package dev.memsnap.dashboard;

import dev.memsnap.api.ConfigException;
import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.core.ConfigFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code dashboard:} section. */
class DashboardConfigTest {
    private static final String TOKEN = "0123456789abcdef0123";

    private static DashboardConfig parse(String yaml) {
        return DashboardConfig.from(ConfigFile.parse("config.yaml", yaml));
    }

    @Test
    void defaultsAreOffOnLoopbackWithoutAToken() {
        DashboardConfig config = parse("");
        assertEquals(DashboardConfig.defaults(), config);
        assertFalse(config.enabled());
        assertEquals("127.0.0.1", config.host());
        assertEquals(8770, config.port());
        assertNull(config.token());
    }

    @Test
    void theTokenDefaultsToTheWebSockets() {
        DashboardConfig config = parse("websocket: {token: " + TOKEN + "}\ndashboard: {enabled: true, port: 0}\n");
        assertEquals(TOKEN, config.token());
        assertTrue(config.requiresToken());
        assertEquals(0, config.port());
        assertEquals(TOKEN, parse("websocket: {token: " + TOKEN + "}\ndashboard: {token: " + TOKEN + "}\n").token());
        assertEquals(TOKEN, parse("dashboard: {token: " + TOKEN + "}\n").token());
    }

    @Test
    void twoDifferentTokensAreRefusedWithoutShowingEither() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(
                "websocket: {token: " + TOKEN + "}\ndashboard: {token: another-token-0123456789}\n"));
        assertTrue(e.getMessage().startsWith("config.yaml: dashboard.token: differs from websocket.token"),
                e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN));
        assertFalse(e.getMessage().contains("another-token"));
    }

    @Test
    void wrongValuesNameTheFileAndTheKey() {
        assertEquals("config.yaml: dashboard.port: expected a whole number from 0 to 65535, got 70000",
                assertThrows(ConfigException.class, () -> parse("dashboard: {port: 70000}")).getMessage());
        // The binder names the key and never echoes a value (it may be a secret).
        assertEquals("config.yaml: dashboard.enabled: expected true or false",
                assertThrows(ConfigException.class, () -> parse("dashboard: {enabled: 'yes please'}")).getMessage());
        String shortToken = assertThrows(ConfigException.class, () -> parse("dashboard: {token: short}"))
                .getMessage();
        assertEquals("config.yaml: dashboard.token: expected at least 16 characters, got 5", shortToken);
        String badChars = assertThrows(ConfigException.class,
                () -> parse("dashboard: {token: 'has spaces in it, sadly'}")).getMessage();
        assertTrue(badChars.startsWith("config.yaml: dashboard.token: expected only letters"), badChars);
        assertFalse(badChars.contains("sadly"));
    }

    @Test
    void aMisspeltKeyIsRefusedNamingTheKnownOne() {
        String message = assertThrows(ConfigException.class, () -> parse("dashboard: {prot: 8770}\n")).getMessage();
        assertTrue(message.startsWith("config.yaml: dashboard.prot: unknown key; did you mean port?"), message);
    }

    @Test
    void toStringNeverShowsTheToken() {
        String shown = new DashboardConfig(true, "127.0.0.1", 8770, TOKEN).toString();
        assertFalse(shown.contains(TOKEN));
        assertTrue(shown.contains("token=(set)"), shown);
    }

    @Test
    void theServiceFileNamesThePlugin() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/services/" + MemsnapPlugin.class.getName())) {
            assertNotNull(in);
            assertEquals(DashboardPlugin.class.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        }
    }
}
