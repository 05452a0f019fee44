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

    /**
     * @param storage where the memories' wrapped data keys are kept
     * @return an encoding that, when it encrypts, encrypts each memory's snapshots under that memory's own random
     *         data key, kept in {@code storage} wrapped under the master key, and reads those as well as what the
     *         master key encrypted; this encoding itself (no key per memory) when it does not encrypt or cannot
     */
    default SnapshotEncoding withDataKeys(DataKeyStorage storage) {
        return this;
    }

    /** @return whether {@link #encode} encrypts each memory under a data key of its own ({@link #withDataKeys}) */
    default boolean hasDataKeys() {
        return false;
    }

    /**
     * The data key a save of the memory is encrypted under: made and stored now when the memory has none (a write, as
     * a save's first step).
     *
     * @param memoryId a memory id
     * @return the key's fingerprint (16 hex digits); empty when this encoding has no key per memory
     * @throws dev.memsnap.api.SnapshotException when the key cannot be read or made
     */
    default java.util.Optional<String> writingDataKeyId(String memoryId) {
        return java.util.Optional.empty();
    }

    /**
     * Crypto-shredding: destroys a memory's data key, so that none of the snapshots encrypted under it, wherever a
     * copy of them is, can be decrypted again. The memory's next save makes it a new key.
     *
     * @param memoryId a memory id
     * @return whether it had a key
     * @throws dev.memsnap.api.SnapshotStoreException when this encoding has no key per memory (the default), or the
     *                                                 key cannot be destroyed
     */
    default boolean shredDataKey(String memoryId) {
        throw new dev.memsnap.api.SnapshotStoreException("cannot shred memory " + memoryId + ": snapshots are not "
                + "encrypted under a key per memory (set memory.encryption)", null);
    }
}
