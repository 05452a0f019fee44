package dev.memsnap.api.format;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where the memories' wrapped data keys are kept, by name: what a store hands
 * {@link SnapshotEncoding#withDataKeys} so that each memory's snapshots are encrypted under a key of their own
 * (crypto-shredding). A wrapped key is a small opaque byte array (the data key, sealed under the master key); a name
 * is 32 lower-case hex digits that stand for one memory id. Core's file stores keep them as files in
 * {@code snapshot_dir/.memsnap/keys}; a database store may keep them in a table. Implementations are thread-safe.
 * Their methods fail with {@link IOException}, or with an unchecked {@link dev.memsnap.api.SnapshotException} (a
 * database store's own), which is passed on as it is.
 */
public interface DataKeyStorage {
    /**
     * @param name a key's name
     * @return the wrapped key, or empty when there is none
     * @throws IOException when it cannot be read
     */
    Optional<byte[]> read(String name) throws IOException;

    /**
     * Stores a new wrapped key durably, unless one of that name exists (another process made it first).
     *
     * @param name    a key's name
     * @param wrapped the wrapped key
     * @return what is stored under the name now: {@code wrapped}, or the key that was there
     * @throws IOException when it cannot be written
     */
    byte[] createIfAbsent(String name, byte[] wrapped) throws IOException;

    /**
     * Replaces a wrapped key atomically and durably (a re-wrap under a new master key).
     *
     * @param name    a key's name
     * @param wrapped the key, wrapped anew
     * @throws IOException when it cannot be written; the old one is then in place
     */
    void replace(String name, byte[] wrapped) throws IOException;

    /**
     * Destroys a wrapped key: deleted, the deletion made durable (and overwritten first where the medium allows).
     *
     * @param name a key's name
     * @return whether there was one
     * @throws IOException when it cannot be destroyed
     */
    boolean destroy(String name) throws IOException;

    /**
     * @return the names of the stored keys
     * @throws IOException when they cannot be listed
     */
    List<String> names() throws IOException;

    /** @return where the keys are, for messages */
    String describe();
}
