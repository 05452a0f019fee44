package dev.memsnap.websocket;

import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.ConfigSection;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
 * @param enabled        {@code enabled}
 * @param host           {@code host}
 * @param port           {@code port}, from 0 to 65535
 * @param path           {@code path}, starting with {@code /}
 * @param token          {@code token}, or {@code null} for none
 * @param allowedOrigins {@code allowed_origins}, each {@code scheme://host[:port]} or {@code null}
 * @param historySize    {@code history_size}, from 0 to 10000
 * @param clientBuffer   {@code client_buffer}, from 1 to 100000
 */
public record WebSocketConfig(boolean enabled, String host, int port, String path, String token,
                              List<String> allowedOrigins, int historySize, int clientBuffer) {
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

    /** Checks every value as the file's reader does; the token never appears in a message. */
    public WebSocketConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        allowedOrigins = List.copyOf(allowedOrigins);
        check("host", host.isBlank() ? "expected a non-empty string" : null);
        check("port", port < 0 || port > 65_535 ? "expected a whole number from 0 to 65535, got " + port : null);
        check("path", pathProblem(path));
        check("token", token == null ? null : tokenProblem(token));
        allowedOrigins.forEach(origin -> check("allowed_origins", originProblem(origin)));
        check("history_size", historySize < 0 || historySize > MAX_HISTORY_SIZE
                ? "expected a whole number from 0 to " + MAX_HISTORY_SIZE + ", got " + historySize : null);
        check("client_buffer", clientBuffer < 1 || clientBuffer > MAX_CLIENT_BUFFER
                ? "expected a whole number from 1 to " + MAX_CLIENT_BUFFER + ", got " + clientBuffer : null);
    }

    /** @return every default: disabled, {@code 127.0.0.1:8765/memsnap}, no token, no browser origins */
    public static WebSocketConfig defaults() {
        return new WebSocketConfig(false, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_PATH, null, List.of(),
                DEFAULT_HISTORY_SIZE, DEFAULT_CLIENT_BUFFER);
    }

    /**
     * @param config a host's {@code config.yaml}
     * @return its {@code websocket:} section, with defaults for what it leaves out
     * @throws dev.memsnap.api.ConfigException when a value is wrong; the message names the file and the key
     */
    public static WebSocketConfig from(ConfigFile config) {
        return from(config.section(SECTION));
    }

    /**
     * @param section the {@code websocket:} section
     * @return its values, with defaults for what it leaves out
     * @throws dev.memsnap.api.ConfigException when a value is wrong; the message names the file and the key
     */
    public static WebSocketConfig from(ConfigSection section) {
        String path = section.string("path", DEFAULT_PATH);
        reject(section, "path", pathProblem(path));
        String token = section.string("token", null);
        // The token itself never goes into the message: config errors are logged.
        reject(section, "token", token == null ? null : tokenProblem(token));
        List<String> origins = section.strings("allowed_origins");
        for (String origin : origins) {
            reject(section, "allowed_origins", originProblem(origin));
        }
        return new WebSocketConfig(
                section.bool("enabled", false),
                section.string("host", DEFAULT_HOST),
                section.integer("port", DEFAULT_PORT, 0, 65_535),
                path,
                token,
                origins,
                section.integer("history_size", DEFAULT_HISTORY_SIZE, 0, MAX_HISTORY_SIZE),
                section.integer("client_buffer", DEFAULT_CLIENT_BUFFER, 1, MAX_CLIENT_BUFFER));
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
            throw new IllegalArgumentException(SECTION + "." + key + ": " + problem);
        }
    }

    private static void reject(ConfigSection section, String key, String problem) {
        if (problem != null) {
            throw section.error(key, problem);
        }
    }
}
