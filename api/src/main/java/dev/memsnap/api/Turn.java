package dev.memsnap.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message of the conversation: the unit of short-term memory.
 *
 * @param role     who spoke, for example {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content  what was said, kept exactly (any Unicode, newlines, any length)
 * @param metadata what a framework needs to restore the message losslessly (LangChain4j's or Spring AI's own JSON of
 *                 it, tool calls, media), as JSON values: maps, lists, strings, numbers, booleans and nulls; empty for
 *                 the seed's plain turns, and then left out of the file
 */
public record Turn(String role, String content, Map<String, Object> metadata) {
    public Turn {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        metadata = metadata == null || metadata.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * A plain turn, as the seed's files hold.
     *
     * @param role    who spoke
     * @param content what was said
     */
    public Turn(String role, String content) {
        this(role, content, Map.of());
    }
}
