package dev.memsnap.example.audit;

import java.nio.file.Path;

/**
 * The {@code audit:} section of {@code config.yaml}, bound by memsnap with
 * {@code config.bind("audit", AuditSettings.class)}: each YAML key is a component ({@code snake_case} in YAML,
 * {@code camelCase} here), an unknown key is refused naming the nearest known one, and the compact constructor puts
 * the defaults in for what the section leaves out.
 * <pre>
 * audit:
 *   enabled: true                   # the default; false turns the audit log off
 *   file: data/memory/audit.jsonl   # the default; relative to the working directory
 * </pre>
 *
 * @param enabled whether events are audited
 * @param file    the file events are appended to
 */
public record AuditSettings(Boolean enabled, Path file) {
    /** Where the audit goes when {@code audit.file} is not set. */
    public static final Path DEFAULT_FILE = Path.of("data", "memory", "audit.jsonl");

    public AuditSettings {
        // Boxed, so that an absent key (null) is told apart from an explicit false.
        enabled = enabled == null || enabled;
        file = file == null ? DEFAULT_FILE : file;
        if (file.toString().isBlank()) {
            // the message starts with the key: memsnap reports "config.yaml: audit.file: expected a file, ..."
            throw new IllegalArgumentException("file: expected a file, not an empty path");
        }
    }
}
