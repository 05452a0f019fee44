package dev.memsnap.websocket;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether an upgrade request may become a connection: the path must be the configured one, a browser's
 * {@code Origin} must be allowed, and the token, when one is configured, must be presented. Pure and thread-safe, so
 * that the rules are tested without sockets.
 *
 * <p>Browsers cannot set headers on a WebSocket, so the token travels either in the query string
 * ({@code ?token=...}, which proxies may log) or as an offered subprotocol {@code memsnap.token.<token>} next to
 * {@code memsnap}, which the server then selects (a browser fails a connection whose server selects none of the
 * offered subprotocols, and the token itself must never be echoed).
 */
final class HandshakePolicy {
    private static final String TOKEN_PARAMETER = "token";

    private final String path;
    /** Tokens are compared as SHA-256 digests so that neither their content nor their length leaks through timing. */
    private final byte[] tokenDigest;
    private final Set<String> allowedOrigins;

    HandshakePolicy(WebSocketConfig config) {
        this.path = config.path();
        this.tokenDigest = config.token() == null ? null : sha256(config.token());
        this.allowedOrigins = java.util.concurrent.ConcurrentHashMap.newKeySet();
        config.allowedOrigins().stream().map(WebSocketConfig::normalizeOrigin).forEach(allowedOrigins::add);
    }

    /** @param origins further origins to let in (the dashboard's own) */
    void allow(java.util.Collection<String> origins) {
        origins.stream().map(WebSocketConfig::normalizeOrigin).forEach(allowedOrigins::add);
    }

    /** @return whether a page of this origin may connect */
    boolean allowsOrigin(String origin) {
        return allowedOrigins.contains(WebSocketConfig.normalizeOrigin(origin));
    }

    /**
     * @param resourceDescriptor the request target, path and query, e.g. {@code /memsnap?token=...}
     * @param origin             the {@code Origin} header, or {@code null} when there is none
     * @param protocols          the {@code Sec-WebSocket-Protocol} header, or {@code null} when there is none
     * @return why the request is refused (never containing what was presented), or empty when it is allowed
     */
    Optional<String> refusal(String resourceDescriptor, String origin, String protocols) {
        String target = resourceDescriptor == null ? "" : resourceDescriptor;
        int queryStart = target.indexOf('?');
        String requestPath = queryStart < 0 ? target : target.substring(0, queryStart);
        if (!requestPath.equals(path)) {
            return Optional.of("path not served");
        }
        if (origin != null && !allowedOrigins.contains(WebSocketConfig.normalizeOrigin(origin))) {
            return Optional.of("origin not allowed");
        }
        if (tokenDigest == null) {
            return Optional.empty();
        }
        List<String> presented;
        try {
            presented = presentedTokens(queryStart < 0 ? "" : target.substring(queryStart + 1), protocols);
        } catch (IllegalArgumentException e) {
            return Optional.of("malformed query string");
        }
        if (presented.isEmpty()) {
            return Optional.of("missing token");
        }
        boolean matched = false;
        for (String candidate : presented) {
            // No early exit: every presented value costs the same whether or not an earlier one matched.
            matched |= MessageDigest.isEqual(tokenDigest, sha256(candidate));
        }
        return matched ? Optional.empty() : Optional.of("wrong token");
    }

    private static List<String> presentedTokens(String query, String protocols) {
        List<String> tokens = new ArrayList<>();
        if (!query.isEmpty()) {
            for (String parameter : query.split("&")) {
                int equals = parameter.indexOf('=');
                String name = equals < 0 ? parameter : parameter.substring(0, equals);
                if (name.equals(TOKEN_PARAMETER)) {
                    tokens.add(equals < 0 ? "" : URLDecoder.decode(parameter.substring(equals + 1),
                            StandardCharsets.UTF_8));
                }
            }
        }
        if (protocols != null) {
            for (String offered : protocols.split(",")) {
                String value = offered.trim();
                if (value.startsWith(WebSocketEndpoint.TOKEN_SUBPROTOCOL_PREFIX)) {
                    tokens.add(value.substring(WebSocketEndpoint.TOKEN_SUBPROTOCOL_PREFIX.length()));
                }
            }
        }
        return tokens;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
