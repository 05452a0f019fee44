package dev.memsnap.example.store;

import java.nio.file.Path;

/**
 * The {@code memory.example_directory:} section, bound with
 * {@code config.bind("memory.example_directory", DirectoryStoreSettings.class)}:
 * <pre>
 * memory:
 *   store: example-directory
 *   example_directory:
 *     path: data/memory/example-directory   # the default; relative to the working directory
 * </pre>
 *
 * @param path the directory the store keeps its snapshots in
 */
public record DirectoryStoreSettings(Path path) {
    /** Where snapshots go when {@code memory.example_directory.path} is not set. */
    public static final Path DEFAULT_PATH = Path.of("data", "memory", "example-directory");

    public DirectoryStoreSettings {
        path = path == null ? DEFAULT_PATH : path;
        if (path.toString().isBlank()) {
            throw new IllegalArgumentException("path: expected a directory, not an empty path");
        }
    }
}
