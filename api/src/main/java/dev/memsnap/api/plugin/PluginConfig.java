package dev.memsnap.api.plugin;

/**
 * The host's {@code config.yaml}, as a plugin reads it: one section at a time, bound into a record of the plugin's own.
 * Each section is parsed once; two plugins that bind the same section to the same type get the same value.
 *
 * <p>Binding maps the YAML's {@code snake_case} keys to the record's components ({@code allowed_origins} to
 * {@code allowedOrigins}). A key the record does not have is refused, naming the key and the nearest known one
 * ({@code websocket.enabeld: unknown key; did you mean enabled?}); a value of the wrong type is refused naming the key
 * but never echoing the value (it may be a secret). Absent keys arrive as {@code null} (or 0 / false for primitives):
 * the record's compact constructor puts its defaults in, and what it throws ({@link IllegalArgumentException}) is
 * reported as a configuration error naming the section.
 * <pre>
 * record AuditSettings(Path file) {
 *     AuditSettings { file = file == null ? Path.of("data/memory/audit.jsonl") : file; }
 * }
 * AuditSettings audit = config.bind("audit", AuditSettings.class);
 * </pre>
 */
public interface PluginConfig {

    /** @return where the configuration came from, for messages, such as {@code config.yaml} */
    String source();

    /**
     * @param path a section, such as {@code websocket}, or a subsection, such as {@code memory.postgres}
     * @return whether the configuration has that section (a mapping, possibly empty)
     */
    boolean has(String path);

    /**
     * @param path a section, such as {@code websocket}, or a subsection, such as {@code memory.postgres}
     * @param type a record whose components are the section's keys
     * @param <T>  the record type
     * @return the section bound into that type; an absent section binds as an empty one
     * @throws dev.memsnap.api.ConfigException when a key is unknown or a value is wrong; the message names the file
     *                                         and the key
     */
    <T> T bind(String path, Class<T> type);
}
