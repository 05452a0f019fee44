package dev.memsnap.core.codec;

import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.format.DataKeyStorage;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Each memory's own data key: a random 256-bit key that the memory's snapshots are encrypted under, kept wrapped
 * (AES-256-GCM) under the master key, so that destroying it ({@link #shred}) makes every copy of those snapshots
 * unreadable at once, backups of the snapshot files included: crypto-shredding, for the right to erasure.
 *
 * <p>A wrapped key is 104 bytes:
 * <pre>
 * magic "MSNPDEK" | version 1 | master key id (8) | PBKDF2 iterations (4) | PBKDF2 salt (16) | data key id (8)
 * | nonce (12) | the data key sealed with AES-256-GCM (32 + tag 16)
 * </pre>
 * with everything before the nonce, and the memory's key name (a SHA-256 of its id), as associated data: a wrapped
 * key moved to another memory's name does not open. A rotation of the master key re-wraps these keys, each with its
 * memory's next save or all at once with {@link #rewrap}; the snapshots themselves need not change. Where the wrapped keys are kept is a
 * {@link DataKeyStorage}'s business (files for the file stores, a table for a database store). Thread-safe.
 */
public final class DataKeys {
    static final byte[] MAGIC = "MSNPDEK".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int WRAPPED_BYTES = 104;
    private static final int AAD_BYTES = 44;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] WRAPPING_SALT = "memsnap data key wrapping".getBytes(StandardCharsets.US_ASCII);

    /** A key as unwrapped, and the wrapped bytes it came from, so that a replaced or destroyed key is noticed. */
    private record Unwrapped(byte[] wrapped, byte[] key, byte[] keyId) {
    }

    private final DataKeyStorage storage;
    private final Supplier<KeyRing> ring;
    private final Map<String, Unwrapped> cache = new ConcurrentHashMap<>();

    /**
     * @param storage where the wrapped keys are
     * @param ring    the master keys that wrap them
     */
    DataKeys(DataKeyStorage storage, Supplier<KeyRing> ring) {
        this.storage = storage;
        this.ring = ring;
    }

    /**
     * @param memoryId a memory id
     * @return the name its data key is kept under: 32 hex digits of the SHA-256 of the id
     */
    public static String nameOf(String memoryId) {
        return HexFormat.of().formatHex(memoryKey(memoryId));
    }

    static byte[] memoryKey(String memoryId) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(
                    ("memsnap data key of " + memoryId).getBytes(StandardCharsets.UTF_8)),
                    EncryptedFormat.MEMORY_KEY_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is on every Java platform", e);
        }
    }

    /** @return where the keys are, for messages */
    public String describe() {
        return storage.describe();
    }

    /** @return what a snapshot of this memory is written with: its data key, made now when it has none */
    EncryptedFormat.Sealing forWriting(String memoryId) {
        byte[] memoryKey = memoryKey(memoryId);
        String name = HexFormat.of().formatHex(memoryKey);
        try {
            Optional<byte[]> stored = storage.read(name);
            Unwrapped key;
            KeyRing.WriteKey master = ring.get().writeKey();
            if (stored.isPresent()) {
                key = unwrap(name, memoryKey, stored.get(), storage.describe());
                if (!wrappedUnder(stored.get(), master)) {
                    // the master key was rotated: the data key moves under the new one with the memory's next save
                    storage.replace(name, wrap(key.key(), memoryKey, master));
                }
            } else {
                byte[] fresh = KeyRing.generateKey();
                byte[] now = storage.createIfAbsent(name, wrap(fresh, memoryKey, ring.get().writeKey()));
                key = unwrap(name, memoryKey, now, storage.describe());
            }
            return new EncryptedFormat.Sealing(key.key(), master.keyId(), EncryptedFormat.KIND_DATA_KEY,
                    master.iterations(), master.kdfSalt(), key.keyId(), memoryKey);
        } catch (SnapshotFormatException e) {
            throw new SnapshotStoreException("cannot save a snapshot of memory " + memoryId + " under its data key: "
                    + e.getMessage() + " (a rotated key stays under memory.encryption.previous until memsnap rekey "
                    + "has run)", e);
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read or make the data key of memory " + memoryId + " in "
                    + storage.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the data key with fingerprint {@code keyId} of the memory {@code memoryKey} names
     * @throws SnapshotFormatException when it is not there: shredded
     */
    byte[] find(byte[] memoryKey, byte[] keyId, String source) {
        String name = HexFormat.of().formatHex(memoryKey);
        Optional<byte[]> stored;
        try {
            stored = storage.read(name);
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read data key " + name + " in " + storage.describe() + ": "
                    + e.getMessage(), e);
        }
        String id = HexFormat.of().formatHex(keyId);
        if (stored.isEmpty()) {
            throw new SnapshotFormatException(source, "cannot be read: its data key was shredded (the key " + id
                    + " of its memory is not in " + storage.describe() + "; memsnap forget --shred destroys it, "
                    + "and then no copy of the snapshot can be read)");
        }
        Unwrapped key = unwrap(name, memoryKey, stored.get(), source);
        if (!MessageDigest.isEqual(key.keyId(), keyId)) {
            throw new SnapshotFormatException(source, "cannot be read: its data key was shredded (it was encrypted "
                    + "under its memory's key " + id + ", since destroyed; the memory has a new key, "
                    + HexFormat.of().formatHex(key.keyId()) + ")");
        }
        return key.key();
    }

    /**
     * Destroys a memory's data key, so that none of its snapshots, wherever a copy of them is, can be read again.
     *
     * @param memoryId a memory id
     * @return whether it had one
     * @throws SnapshotStoreException when the key cannot be destroyed
     */
    public boolean shred(String memoryId) {
        String name = nameOf(memoryId);
        cache.remove(name);
        try {
            return storage.destroy(name);
        } catch (IOException e) {
            throw new SnapshotStoreException("could not destroy the data key of memory " + memoryId + " in "
                    + storage.describe() + ": " + e.getMessage(), e);
        } finally {
            cache.remove(name);
        }
    }

    /**
     * Re-wraps every data key under {@code target}'s current key, one atomic replacement at a time: what a rotation
     * of the master key does instead of re-encrypting snapshots. Keys already wrapped so are left alone, so running
     * it again after an interruption finishes the job.
     *
     * @param target the key ring to wrap with; this store's ring (which must open the keys) is read with it
     * @return how many keys were re-wrapped
     * @throws dev.memsnap.api.SnapshotException when a key cannot be opened or written; those before it are re-wrapped
     */
    public int rewrap(KeyRing target) {
        KeyRing.WriteKey writeKey = target.writeKey();
        KeyRing reading = target.readingAlso(ring.get());
        int rewrapped = 0;
        try {
            for (String name : storage.names()) {
                Optional<byte[]> stored = storage.read(name);
                if (stored.isEmpty()) {
                    continue; // shredded meanwhile
                }
                byte[] wrapped = stored.get();
                if (wrappedUnder(wrapped, writeKey)) {
                    continue;
                }
                byte[] memoryKey = HexFormat.of().parseHex(name);
                Unwrapped key = unwrapWith(reading, memoryKey, wrapped, storage.describe() + "/" + name);
                storage.replace(name, wrap(key.key(), memoryKey, writeKey));
                cache.remove(name);
                rewrapped++;
            }
        } catch (IOException e) {
            throw new SnapshotStoreException("could not re-wrap the data keys in " + storage.describe() + ": "
                    + e.getMessage(), e);
        }
        return rewrapped;
    }

    private static boolean wrappedUnder(byte[] wrapped, KeyRing.WriteKey master) {
        return wrapped.length == WRAPPED_BYTES && MessageDigest.isEqual(master.keyId(),
                Arrays.copyOfRange(wrapped, MAGIC.length + 1, MAGIC.length + 1 + KeyRing.KEY_ID_BYTES));
    }

    private Unwrapped unwrap(String name, byte[] memoryKey, byte[] wrapped, String source) {
        Unwrapped known = cache.get(name);
        if (known != null && Arrays.equals(known.wrapped(), wrapped)) {
            return known;
        }
        Unwrapped key = unwrapWith(ring.get(), memoryKey, wrapped, source);
        cache.put(name, key);
        return key;
    }

    static byte[] wrap(byte[] dataKey, byte[] memoryKey, KeyRing.WriteKey master) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        ByteBuffer out = ByteBuffer.allocate(WRAPPED_BYTES);
        out.put(MAGIC).put((byte) VERSION).put(master.keyId()).putInt(master.iterations()).put(master.kdfSalt())
                .put(KeyRing.fingerprint(dataKey));
        byte[] aad = aad(out.array(), memoryKey);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, wrappingKey(master.master()), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            out.put(nonce).put(cipher.doFinal(dataKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is on every Java platform", e);
        }
        return out.array();
    }

    /** The master key is not used as is: HKDF with a salt of its own keeps wrapping apart from any other use. */
    private static SecretKeySpec wrappingKey(byte[] master) {
        return new SecretKeySpec(KeyRing.fileKey(master, WRAPPING_SALT), "AES");
    }

    private static byte[] aad(byte[] header, byte[] memoryKey) {
        byte[] aad = Arrays.copyOf(header, AAD_BYTES + memoryKey.length);
        System.arraycopy(memoryKey, 0, aad, AAD_BYTES, memoryKey.length);
        return aad;
    }

    private static Unwrapped unwrapWith(KeyRing ring, byte[] memoryKey, byte[] wrapped, String source) {
        if (wrapped.length != WRAPPED_BYTES || !Arrays.equals(wrapped, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || wrapped[MAGIC.length] != VERSION) {
            throw new SnapshotFormatException(source, "the memory's data key is damaged (not a wrapped key of "
                    + "version " + VERSION + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(wrapped);
        in.position(MAGIC.length + 1);
        byte[] masterId = new byte[KeyRing.KEY_ID_BYTES];
        in.get(masterId);
        int iterations = in.getInt();
        byte[] kdfSalt = new byte[KeyRing.SALT_BYTES];
        in.get(kdfSalt);
        byte[] keyId = new byte[KeyRing.KEY_ID_BYTES];
        in.get(keyId);
        byte[] nonce = new byte[12];
        in.get(nonce);
        if (iterations < 0 || iterations > KeyRing.MAX_PBKDF2_ITERATIONS) {
            throw new SnapshotFormatException(source, "the memory's data key is damaged");
        }
        byte[] master = ring.masterFor(masterId, iterations, kdfSalt);
        if (master == null) {
            throw new SnapshotFormatException(source, "wrong key: snapshot is encrypted with key "
                    + HexFormat.of().formatHex(masterId) + " (its memory's data key is wrapped with it), which none "
                    + "of the configured keys matches");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, wrappingKey(master), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(wrapped, memoryKey));
            byte[] key = cipher.doFinal(wrapped, in.position(), wrapped.length - in.position());
            if (!MessageDigest.isEqual(KeyRing.fingerprint(key), keyId)) {
                throw new SnapshotFormatException(source, "the memory's data key is damaged");
            }
            return new Unwrapped(wrapped, key, keyId);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SnapshotFormatException(source, "the memory's data key is damaged, or belongs to another "
                    + "memory (authentication failed)");
        } catch (GeneralSecurityException e) {
            throw new SnapshotFormatException(source, "cannot open the memory's data key: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "DataKeys[" + storage.describe() + "]";
    }
}
