package dev.memsnap.websocket;

import dev.memsnap.api.ConfigException;
import dev.memsnap.api.plugin.PluginConfig;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
/**
 * The {@code websocket:} section of {@code config.yaml}:
 * <pre>
 * websocket:
 *   enabled: false            # stream snapshot events to dashboards
 *   host: 127.0.0.1           # interface to listen on; loopback unless dashboards run elsewhere
 *   port: 8765                # 0 picks a free port (see WebSocketEndpoint.port())
 *   path: /memsnap            # the one path served; other paths are refused
 *   token: null               # when set, clients must present it (?token= or Sec-WebSocket-Protocol)
 *   allowed_origins: []       # browser origins allowed, e.g. http://localhost:3000
 *   history_size: 50          # recent events replayed to a client when it connects
 *   client_buffer: 256        # events queued per client before further ones are dropped for it
 * </pre>
 * A request that carries an {@code Origin} header (every browser's does) is refused unless the origin is listed; a
 * request without one (a non-browser client) is allowed. The token, when set, must be at least 16 characters of the
 * HTTP token alphabet (letters, digits and {@code !#$%&'*+-.^_`|~}), so that it can travel in a subprotocol;
 * {@code openssl rand -hex 32} makes a good one. {@link #toString()} never shows it.
 *
 * <p>Bound with {@code config.bind("websocket", WebSocketConfig.class)} (or {@link #from(PluginConfig)}, which names
 * the key in a range error): a key the record does not have is refused naming the nearest known one
 * ({@code websocket.enabeld: unknown key; did you mean enabled?}), an absent key arrives as {@code null} and the
 * compact constructor puts its default in. Each plugin that reads the section gets the same instance.
 *
 * @param enabled        {@code enabled}
 * @param host           {@code host}
 * @param port           {@code port}, from 0 to 65535
 * @param path           {@code path}, starting with {@code /}
 * @param token          {@code token}, or {@code null} for none
 * @param allowedOrigins {@code allowed_origins}, each {@code scheme://host[:port]} or {@code null}
 * @param historySize    {@code history_size}, from 0 to 10000
 * @param clientBuffer   {@code client_buffer}, from 1 to 100000
 */
public record WebSocketConfig(Boolean enabled, String host, Integer port, String path, String token,
                              List<String> allowedOrigins, Integer historySize, Integer clientBuffer) {
    /** The section's key in {@code config.yaml}. */
    public static final String SECTION = "websocket";
    /** The default {@code host}: loopback, so that nothing off the machine can connect unless asked for. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default {@code port}. */
    public static final int DEFAULT_PORT = 8765;
    /** The default {@code path}. */
    public static final String DEFAULT_PATH = "/memsnap";
    /** The default {@code history_size}. */
    public static final int DEFAULT_HISTORY_SIZE = 50;
    /** The default {@code client_buffer}. */
    public static final int DEFAULT_CLIENT_BUFFER = 256;
    /** The shortest token accepted. */
    public static final int MIN_TOKEN_LENGTH = 16;

    static final int MAX_HISTORY_SIZE = 10_000;
    static final int MAX_CLIENT_BUFFER = 100_000;
    /** RFC 7230 {@code tchar}: what a Sec-WebSocket-Protocol value may contain. */
    private static final Pattern TOKEN_CHARS = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+");
    private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://[^/?#\\s]+");
    private static final Pattern PATH = Pattern.compile("/[^?#\\s]*");
    /** A constructor's message: {@code key: problem}. */
    private static final Pattern KEYED_PROBLEM = Pattern.compile("([a-z][a-z0-9_]*): (.*)", Pattern.DOTALL);

    /**
     * Puts the defaults in for what is {@code null} (an absent key) and checks every value. A problem is an
     * {@link IllegalArgumentException} whose message starts with the key, {@code "port: expected ..."}; the token
     * never appears in a message.
     */
    public WebSocketConfig {
        enabled = enabled != null && enabled;
        host = host == null ? DEFAULT_HOST : host;
        port = port == null ? DEFAULT_PORT : port;
        path = path == null ? DEFAULT_PATH : path;
        if (allowedOrigins != null && allowedOrigins.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("allowed_origins: expected origins like http://localhost:3000, got null");
        }
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        historySize = historySize == null ? DEFAULT_HISTORY_SIZE : historySize;
        clientBuffer = clientBuffer == null ? DEFAULT_CLIENT_BUFFER : clientBuffer;
        check("host", host.isBlank() ? "expected a non-empty string" : null);
        check("port", port < 0 || port > 65_535 ? "expected a whole number from 0 to 65535, got " + port : null);
        check("path", pathProblem(path));
        // The token itself never goes into the message: config errors are logged.
        check("token", token == null ? null : tokenProblem(token));
        allowedOrigins.forEach(origin -> check("allowed_origins", originProblem(origin)));
        check("history_size", historySize < 0 || historySize > MAX_HISTORY_SIZE
                ? "expected a whole number from 0 to " + MAX_HISTORY_SIZE + ", got " + historySize : null);
        check("client_buffer", clientBuffer < 1 || clientBuffer > MAX_CLIENT_BUFFER
                ? "expected a whole number from 1 to " + MAX_CLIENT_BUFFER + ", got " + clientBuffer : null);
    }

    /** @return every default: disabled, {@code 127.0.0.1:8765/memsnap}, no token, no browser origins */
    public static WebSocketConfig defaults() {
        return new WebSocketConfig(false, null, null, null, null, null, null, null);
    }

    /**
     * @param config a host's {@code config.yaml}
     * @return its {@code websocket:} section, bound once ({@code config.bind("websocket", WebSocketConfig.class)}),
     *         with defaults for what it leaves out
     * @throws ConfigException when a key is unknown or a value is wrong; the message names the file and the key,
     *                         such as {@code config.yaml: websocket.port: expected a whole number from 0 to 65535,
     *                         got 70000}, and never the token
     */
    public static WebSocketConfig from(PluginConfig config) {
        try {
            return config.bind(SECTION, WebSocketConfig.class);
        } catch (ConfigException e) {
            throw namingTheKey(config, SECTION, e);
        }
    }

    /**
     * The binder reports what a record's constructor throws against the section ({@code config.yaml: websocket:
     * port: expected ...}); the constructor's messages start with their key, so this joins the two into the
     * documented {@code config.yaml: websocket.port: expected ...}. Anything else is returned as it is.
     *
     * @param config  the configuration that was bound
     * @param section the section's path
     * @param e       what binding it threw
     * @return the exception to throw
     */
    public static ConfigException namingTheKey(PluginConfig config, String section, ConfigException e) {
        String prefix = config.source() + ": " + section + ": ";
        String message = e.getMessage();
        if (message != null && message.startsWith(prefix)) {
            Matcher key = KEYED_PROBLEM.matcher(message.substring(prefix.length()));
            if (key.matches()) {
                return new ConfigException(config.source() + ": " + section + "." + key.group(1) + ": "
                        + key.group(2), e.getCause() == null ? e : e.getCause());
            }
        }
        return e;
    }

    /** @return whether clients must present a token */
    public boolean requiresToken() {
        return token != null;
    }

    /** Shows everything but the token, which is only said to be set. */
    @Override
    public String toString() {
        return "WebSocketConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", path=" + path
                + ", token=" + (token == null ? "none" : "(set)") + ", allowedOrigins=" + allowedOrigins
                + ", historySize=" + historySize + ", clientBuffer=" + clientBuffer + "]";
    }

    /** Origins compare case-insensitively and without a trailing slash, as browsers may send either. */
    static String normalizeOrigin(String origin) {
        String lower = origin.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static String pathProblem(String path) {
        return PATH.matcher(path).matches() ? null
                : "expected a path starting with / and without ?, # or spaces, got \"" + path + "\"";
    }

    private static String tokenProblem(String token) {
        if (token.length() < MIN_TOKEN_LENGTH) {
            return "expected at least " + MIN_TOKEN_LENGTH + " characters, got " + token.length();
        }
        if (!TOKEN_CHARS.matcher(token).matches()) {
            return "expected only letters, digits and !#$%&'*+-.^_`|~ (it may travel in Sec-WebSocket-Protocol)";
        }
        return null;
    }

    private static String originProblem(String origin) {
        String normalized = normalizeOrigin(origin);
        return normalized.equals("null") || ORIGIN.matcher(normalized).matches() ? null
                : "expected origins like http://localhost:3000 (scheme://host[:port]), got \"" + origin + "\"";
    }

    private static void check(String key, String problem) {
        if (problem != null) {
            throw new IllegalArgumentException(key + ": " + problem);
        }
    }
}
