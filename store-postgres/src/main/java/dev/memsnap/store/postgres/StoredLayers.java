package dev.memsnap.store.postgres;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What the outermost bytes of a stored snapshot say about its layers, read from the magic numbers of memsnap's
 * storage format (the same bytes a snapshot file holds): the {@code key_id} column, and the description
 * {@code verify} gives. Decoding itself is the {@link dev.memsnap.api.format.SnapshotEncoding}'s; this only names
 * what is there.
 *
 * <p>The plugin SPI's {@code SnapshotEncoding} does not offer this yet; once it does, this class goes.
 */
final class StoredLayers {
    /** An encrypted snapshot starts with this, a format version byte, then the 8-byte fingerprint of its key. */
    private static final byte[] ENCRYPTED_MAGIC = "MSNPENC".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_ID_OFFSET = ENCRYPTED_MAGIC.length + 1;
    private static final int KEY_ID_BYTES = 8;

    private StoredLayers() {
    }

    /**
     * @param stored a stored snapshot
     * @return the fingerprint of the key it is encrypted with, as hex, or {@code null} when it is not encrypted
     */
    static String keyIdOf(byte[] stored) {
        return isEncrypted(stored) && stored.length >= KEY_ID_OFFSET + KEY_ID_BYTES
                ? HexFormat.of().formatHex(stored, KEY_ID_OFFSET, KEY_ID_OFFSET + KEY_ID_BYTES) : null;
    }

    /**
     * @param stored a stored snapshot
     * @return its outer layer: {@code json}, {@code gzip}, {@code zstd} or {@code encrypted with key <fingerprint>}
     */
    static String describe(byte[] stored) {
        if (isEncrypted(stored)) {
            String keyId = keyIdOf(stored);
            return "encrypted with key " + (keyId == null ? "?" : keyId);
        }
        if (stored.length >= 2 && (stored[0] & 0xff) == 0x1f && (stored[1] & 0xff) == 0x8b) {
            return "gzip";
        }
        if (stored.length >= 4 && (stored[0] & 0xff) == 0x28 && (stored[1] & 0xff) == 0xb5
                && (stored[2] & 0xff) == 0x2f && (stored[3] & 0xff) == 0xfd) {
            return "zstd";
        }
        return "json";
    }

    /**
     * @param head the first bytes (at least 17) of a stored body: a chunk manifest or a whole snapshot
     * @return whether it is encrypted under its memory's data key: a manifest of hash kind 2 (its chunks are), or an
     *         encrypted snapshot of format 2 whose key kind is 1
     */
    static boolean underMemoryKey(byte[] head) {
        if (ChunkLayout.isManifest(head)) {
            return head.length > ChunkLayout.MAGIC.length && head[ChunkLayout.MAGIC.length] == ChunkLayout.PER_MEMORY;
        }
        return isEncrypted(head) && head.length > KEY_ID_OFFSET + KEY_ID_BYTES && head[ENCRYPTED_MAGIC.length] == 2
                && head[KEY_ID_OFFSET + KEY_ID_BYTES] == 1;
    }

    private static boolean isEncrypted(byte[] stored) {
        return stored.length >= ENCRYPTED_MAGIC.length
                && Arrays.equals(stored, 0, ENCRYPTED_MAGIC.length, ENCRYPTED_MAGIC, 0, ENCRYPTED_MAGIC.length);
    }
}
