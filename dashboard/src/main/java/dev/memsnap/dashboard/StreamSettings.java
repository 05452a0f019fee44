package dev.memsnap.dashboard;

import dev.memsnap.websocket.WebSocketConfig;

import java.util.List;
import java.util.Locale;

/**
 * What the dashboard needs to know of the {@code websocket:} section: whether the event stream is on, whether it
 * wants a token, and which browser origins it lets in (so that a missing dashboard origin is reported at start).
 *
 * @param enabled        {@code websocket.enabled}
 * @param requiresToken  whether {@code websocket.token} is set
 * @param host           {@code websocket.host}
 * @param allowedOrigins {@code websocket.allowed_origins}, normalized: lowercase, no trailing slash
 */
record StreamSettings(boolean enabled, boolean requiresToken, String host, List<String> allowedOrigins) {

    StreamSettings {
        allowedOrigins = allowedOrigins.stream().map(StreamSettings::normalizeOrigin).toList();
    }

    static StreamSettings of(WebSocketConfig config) {
        return new StreamSettings(config.enabled(), config.requiresToken(), config.host(), config.allowedOrigins());
    }

    /** @return whether the stream listens on every interface, so that clients must use some other host name */
    boolean wildcardHost() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("::0");
    }

    boolean allowsOrigin(String origin) {
        return allowedOrigins.contains(normalizeOrigin(origin));
    }

    static String normalizeOrigin(String origin) {
        String lower = origin.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
