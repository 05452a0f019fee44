package dev.memsnap.websocket;

import dev.memsnap.api.MemoryManagers;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Which memory's events a client asked for: one memory id with {@code ?memory=ID} in its connection URL
 * (percent-decoded, then checked with {@link MemoryManagers#isValidMemoryId}), or every memory's without it. Pure,
 * so that the rules are tested without sockets.
 *
 * @param memoryId the memory id asked for, or {@code null} for every memory
 */
record MemorySubscription(String memoryId) {
    /** The query parameter that names the memory. */
    static final String PARAMETER = "memory";
    /** Every memory's events: a client that names none. */
    static final MemorySubscription ALL = new MemorySubscription(null);

    /**
     * @param resourceDescriptor the request target, path and query, e.g. {@code /memsnap?memory=alice}
     * @return what the client subscribes to
     * @throws IllegalArgumentException when the query names no valid memory id, with why (never the value: it may be
     *                                  anything, and the request line may carry a token beside it)
     */
    static MemorySubscription of(String resourceDescriptor) {
        String target = resourceDescriptor == null ? "" : resourceDescriptor;
        int queryStart = target.indexOf('?');
        if (queryStart < 0) {
            return ALL;
        }
        String found = null;
        for (String parameter : target.substring(queryStart + 1).split("&")) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            if (!name.equals(PARAMETER)) {
                continue;
            }
            if (found != null) {
                throw new IllegalArgumentException("memory given more than once");
            }
            try {
                found = equals < 0 ? "" : URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed query string");
            }
        }
        if (found == null) {
            return ALL;
        }
        if (!MemoryManagers.isValidMemoryId(found)) {
            throw new IllegalArgumentException("invalid memory id (expected 1 to " + MemoryManagers.MAX_MEMORY_ID_LENGTH
                    + " characters, no control characters)");
        }
        return new MemorySubscription(found);
    }

    /** @return whether an event of that memory goes to this client */
    boolean wants(String eventMemoryId) {
        return memoryId == null || memoryId.equals(eventMemoryId);
    }

    /** @return the events of the history this client wants, oldest first */
    Deque<String> replay(Deque<Recent> history) {
        Deque<String> wanted = new ArrayDeque<>();
        for (Recent recent : history) {
            if (wants(recent.memoryId())) {
                wanted.addLast(recent.json());
            }
        }
        return wanted;
    }

    /**
     * One event of the server's history, with its memory, so that a client of one memory is replayed only that
     * memory's.
     *
     * @param memoryId the memory it happened in
     * @param json     its text, as sent
     */
    record Recent(String memoryId, String json) {
    }
}
