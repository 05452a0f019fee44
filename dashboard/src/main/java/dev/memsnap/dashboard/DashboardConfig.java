package dev.memsnap.dashboard;

import dev.memsnap.api.ConfigException;
import dev.memsnap.api.plugin.PluginConfig;
import dev.memsnap.websocket.WebSocketConfig;

import java.util.regex.Pattern;

/**
 * The {@code dashboard:} section of {@code config.yaml}:
 * <pre>
 * dashboard:
 *   enabled: false      # serve the snapshot dashboard
 *   host: 127.0.0.1     # interface to listen on; loopback unless you really mean otherwise
 *   port: 8770          # 0 picks a free port (see DashboardEndpoint.port())
 *   token: null         # defaults to websocket.token: the page and its API are behind the same token
 * </pre>
 * The token, when set, must be at least 16 characters of the HTTP token alphabet (letters, digits and
 * {@code !#$%&'*+-.^_`|~}), as the WebSocket's is, because the page hands the same token to the event stream in a
 * {@code Sec-WebSocket-Protocol} value. When both sections set a token they must be equal: the page has one token.
 * {@link #toString()} never shows it.
 *
 * <p>Bound from the {@code dashboard:} section with {@code config.bind("dashboard", DashboardConfig.class)}; an absent
 * key arrives as {@code null} and the compact constructor puts its default in. {@link #from(PluginConfig)} also reads
 * the {@code websocket:} section (the same {@link WebSocketConfig} the websocket plugin binds) for the default token.
 *
 * @param enabled {@code enabled}
 * @param host    {@code host}
 * @param port    {@code port}, from 0 to 65535
 * @param token   {@code token}, else {@code websocket.token}, or {@code null} for none
 */
public record DashboardConfig(Boolean enabled, String host, Integer port, String token) {
    /** The section's key in {@code config.yaml}. */
    public static final String SECTION = "dashboard";
    /** The default {@code host}: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default {@code port}. */
    public static final int DEFAULT_PORT = 8770;

    private static final Pattern TOKEN_CHARS = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+");

    /**
     * Puts the defaults in for what is {@code null} (an absent key) and checks every value. A problem is an
     * {@link IllegalArgumentException} whose message starts with the key; the token never appears in a message.
     */
    public DashboardConfig {
        enabled = enabled != null && enabled;
        host = host == null ? DEFAULT_HOST : host;
        port = port == null ? DEFAULT_PORT : port;
        check("host", host.isBlank() ? "expected a non-empty string" : null);
        check("port", port < 0 || port > 65_535 ? "expected a whole number from 0 to 65535, got " + port : null);
        // The token itself never goes into the message: config errors are logged.
        check("token", token == null ? null : tokenProblem(token));
    }

    /** @return every default: disabled, {@code 127.0.0.1:8770}, no token */
    public static DashboardConfig defaults() {
        return new DashboardConfig(false, null, null, null);
    }

    /**
     * @param config a host's {@code config.yaml}
     * @return its {@code dashboard:} section, with defaults for what it leaves out and the token of the
     *         {@code websocket:} section when it sets none
     * @throws ConfigException when a key is unknown, a value is wrong, or the two sections set different tokens; the
     *                         message names the file and the key, never the token
     */
    public static DashboardConfig from(PluginConfig config) {
        WebSocketConfig webSocket = WebSocketConfig.from(config);
        DashboardConfig own;
        try {
            own = config.bind(SECTION, DashboardConfig.class);
        } catch (ConfigException e) {
            throw WebSocketConfig.namingTheKey(config, SECTION, e);
        }
        if (own.token() == null) {
            return webSocket.token() == null ? own
                    : new DashboardConfig(own.enabled(), own.host(), own.port(), webSocket.token());
        }
        if (webSocket.token() != null && !webSocket.token().equals(own.token())) {
            throw new ConfigException(config.source() + ": " + SECTION + ".token: differs from websocket.token; the "
                    + "page hands one token to both its API and the event stream, so leave dashboard.token out to use "
                    + "websocket.token");
        }
        return own;
    }

    /** @return whether the page and its API require a token */
    public boolean requiresToken() {
        return token != null;
    }

    /** Shows everything but the token, which is only said to be set. */
    @Override
    public String toString() {
        return "DashboardConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", token="
                + (token == null ? "none" : "(set)") + "]";
    }

    private static String tokenProblem(String token) {
        if (token.length() < WebSocketConfig.MIN_TOKEN_LENGTH) {
            return "expected at least " + WebSocketConfig.MIN_TOKEN_LENGTH + " characters, got " + token.length();
        }
        if (!TOKEN_CHARS.matcher(token).matches()) {
            return "expected only letters, digits and !#$%&'*+-.^_`|~ (it travels in Sec-WebSocket-Protocol)";
        }
        return null;
    }

    private static void check(String key, String problem) {
        if (problem != null) {
            throw new IllegalArgumentException(key + ": " + problem);
        }
    }
}
