package dev.memsnap.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who may read: the token, when one is configured, and the {@code Host} header, when the server listens on loopback
 * only. Pure and thread-safe, so that the rules are tested without sockets.
 *
 * <p>The token is presented as {@code Authorization: Bearer <token>} (what the page's script sends) or as the query
 * parameter {@code token} (what a person types to open the page). Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, so neither their content nor their length leaks through timing.
 *
 * <p>The {@code Host} check defeats DNS rebinding: a page on another site whose name is made to resolve to
 * 127.0.0.1 sends its own name as {@code Host}, and is refused, even when no token is configured.
 */
final class RequestGuard {
    private static final String BEARER = "bearer ";
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");
    /** A whole {@code Host} value: name or IPv4 address, or bracketed IPv6 address; optional port. */
    private static final Pattern HOST = Pattern.compile("(?:\\[[0-9a-f:.]+]|[a-z0-9._-]+)(?::[0-9]{1,5})?");

    private final byte[] tokenDigest;
    private final boolean loopbackOnly;

    /**
     * @param token        the configured token, or {@code null} when none is required
     * @param loopbackOnly whether the server listens on a loopback address, so that only loopback names are
     *                     acceptable in {@code Host}
     */
    RequestGuard(String token, boolean loopbackOnly) {
        this.tokenDigest = token == null ? null : sha256(token);
        this.loopbackOnly = loopbackOnly;
    }

    boolean tokenRequired() {
        return tokenDigest != null;
    }

    /**
     * @param authorization every {@code Authorization} header, possibly none
     * @param rawQuery      the request's raw query string, or {@code null}
     * @return whether the request carries the token, or none is required
     */
    boolean authorized(List<String> authorization, String rawQuery) {
        if (tokenDigest == null) {
            return true;
        }
        List<String> presented = new ArrayList<>();
        if (authorization != null) {
            for (String header : authorization) {
                if (header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                    presented.add(header.substring(BEARER.length()).trim());
                }
            }
        }
        try {
            presented.addAll(queryValues(rawQuery, "token"));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
        boolean matched = false;
        for (String candidate : presented) {
            // No early exit: every presented value costs the same whether or not an earlier one matched.
            matched |= MessageDigest.isEqual(tokenDigest, sha256(candidate));
        }
        return matched;
    }

    /**
     * @param host the {@code Host} header, or {@code null} (also when the request has several)
     * @return whether it names this machine's loopback interface, or any name is acceptable
     */
    boolean hostAllowed(String host) {
        if (!loopbackOnly) {
            return true;
        }
        String name = hostName(host);
        return name != null && (name.equals("localhost") || name.endsWith(".localhost") || name.equals("::1")
                || IPV4_LOOPBACK.matcher(name).matches());
    }

    /**
     * @param host a {@code Host} header, {@code name[:port]} or {@code [v6]:port}
     * @return the name, lowercase and without brackets, or {@code null} when the header is absent or malformed:
     *         anything but one registered name, IPv4 address or bracketed IPv6 address and an optional port (RFC 7230
     *         5.4), so that {@code 127.0.0.1:80@evil.example} or {@code 127.0.0.1, evil.example} names nothing
     */
    static String hostName(String host) {
        if (host == null) {
            return null;
        }
        String value = host.strip().toLowerCase(Locale.ROOT);
        if (!HOST.matcher(value).matches()) {
            return null;
        }
        if (value.startsWith("[")) {
            return value.substring(1, value.indexOf(']'));
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    /**
     * @param rawQuery a raw query string, or {@code null}
     * @param name     a parameter name
     * @return every value of that parameter, decoded
     * @throws IllegalArgumentException when a value is not valid percent-encoding
     */
    static List<String> queryValues(String rawQuery, String name) {
        List<String> values = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String parameter : rawQuery.split("&")) {
            int equals = parameter.indexOf('=');
            String key = equals < 0 ? parameter : parameter.substring(0, equals);
            if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                values.add(equals < 0 ? "" : URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
