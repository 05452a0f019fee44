package dev.memsnap.api.format;

import dev.memsnap.api.MemorySnapshot;

/**
 * How snapshots are stored as bytes: the snapshot format, compressed and encrypted as {@code memory:} says. Reading
 * detects the encoding from the bytes, so a store reads what any configuration wrote.
 */
public interface SnapshotEncoding {

    /** @return the file suffix of what {@link #encode} writes: {@code .json}, {@code .json.gz}, {@code .json.zst}, {@code .json.enc} */
    String suffix();

    /**
     * @param snapshot a snapshot
     * @return its stored form
     * @throws dev.memsnap.api.SnapshotException when it cannot be encoded (a missing key, say)
     */
    byte[] encode(MemorySnapshot snapshot);

    /**
     * @param stored bytes {@link #encode} wrote, under any configuration
     * @param source what to call them in messages
     * @return the snapshot
     * @throws dev.memsnap.api.SnapshotFormatException when they are not a valid snapshot, or cannot be decrypted
     */
    MemorySnapshot decode(byte[] stored, String source);

    /**
     * Fails now, rather than at the first save, when encryption is configured and its keys cannot be read.
     *
     * @throws dev.memsnap.api.SnapshotException naming the key source
     */
    void checkKeys();

    /**
     * @param stored bytes {@link #encode} wrote
     * @return the fingerprint of the key they are encrypted under, or {@code null} when they are not encrypted
     */
    default String storedKeyId(byte[] stored) {
        return null;
    }

    /**
     * @param stored bytes {@link #encode} wrote
     * @return their layers in words, for reports: for example {@code "gzip, encrypted (key 1a2b3c4d)"}
     */
    default String describeStored(byte[] stored) {
        return stored.length + " bytes";
    }
}
