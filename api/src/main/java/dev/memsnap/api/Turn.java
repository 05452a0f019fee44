package dev.memsnap.api;

import java.util.Objects;

/**
 * One message of the conversation: the unit of short-term memory.
 *
 * @param role    who spoke, for example {@code system}, {@code user} or {@code assistant}
 * @param content what was said, kept exactly (any Unicode, newlines, any length)
 */
public record Turn(String role, String content) {
    public Turn {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
