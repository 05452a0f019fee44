package dev.memsnap.core.store;

import dev.memsnap.api.MemoryManagers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The one function by which a memory id reaches the file system: the default memory is {@code snapshot_dir} itself
 * (the seed's layout, untouched), every other memory a directory {@code snapshot_dir/memories/<name>}, where the name
 * is a readable, lowercase prefix of the id made of {@code [a-z0-9_-]} only, a dash, and 20 hex digits of the id's
 * SHA-256. No id, however hostile ({@code ../../etc}, {@code C:\x}, {@code %2e%2e}, NUL, 200 dots, names that differ
 * only in case), can name anything but one fresh directory under {@code memories/}, and two ids never share one.
 */
public final class MemoryDirectories {
    /** The directory under {@code snapshot_dir} that holds the memories other than the default. */
    public static final String MEMORIES = "memories";
    /** The file in a memory's directory that holds its memory id exactly, in UTF-8. */
    public static final String MEMORY_ID_FILE = "memory_id";
    private static final int READABLE_PREFIX = 40;

    private MemoryDirectories() {
    }

    /**
     * @param memoryId a memory id
     * @return its directory's name: safe on every file system, unique to the id
     * @throws dev.memsnap.api.InvalidMemoryIdException when it is not a memory id
     */
    public static String nameOf(String memoryId) {
        MemoryManagers.requireValidMemoryId(memoryId);
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < memoryId.length() && name.length() < READABLE_PREFIX; i++) {
            char c = Character.toLowerCase(memoryId.charAt(i));
            name.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ? c : '_');
        }
        byte[] hash = Checksums.sha256().digest(memoryId.getBytes(StandardCharsets.UTF_8));
        return name.append('-').append(HexFormat.of().formatHex(hash, 0, 10)).toString().toLowerCase(Locale.ROOT);
    }

    /**
     * @param snapshotDir the store's root
     * @param memoryId    a memory id
     * @return where that memory's snapshots are kept
     */
    public static Path of(Path snapshotDir, String memoryId) {
        if (memoryId.equals(MemoryManagers.DEFAULT)) {
            return snapshotDir;
        }
        return snapshotDir.resolve(MEMORIES).resolve(nameOf(memoryId));
    }
}
