package dev.memsnap.core.codec;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.core.format.Limits;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * memsnap's encrypted file. Version 2, written today, is Google Tink's streaming AEAD (AES256_GCM_HKDF, 64 KiB
 * segments) behind a header of memsnap's own, which Tink binds as associated data:
 * <pre>
 * header  magic "MSNPENC" | version 2 | master key id (8) | key kind (1) | PBKDF2 iterations (4, 0 for a raw key)
 *         | PBKDF2 salt (16) | data key id (8) | memory key (16) | segment size (4)                  = 65 bytes
 * body    Tink AesGcmHkdfStreaming: its header (length 1, salt 32, nonce prefix 7), then segments of segment-size
 *         ciphertext bytes, each sealed with a key derived by HKDF-SHA256 from the input key, Tink's salt and the
 *         header above; nonce = prefix | segment number | last-segment flag
 * </pre>
 * The master key id is the fingerprint of the master key the file was written under, at the same place as in
 * version 1. Key kind 0: the input key is that master key. Kind 1: the input key is a memory's own data key
 * ({@link DataKeys}, wrapped by that master key), {@code data key id} its fingerprint and {@code memory key} which
 * memory's (a hash of its id); both are zeros for kind 0. Both directions stream: a writer holds one segment, a reader one or two,
 * whatever the snapshot's size. Truncation anywhere (at a segment boundary too), reordering, splicing and any flipped
 * bit fail authentication and are refused as {@link SnapshotFormatException}.
 *
 * <p>Version 1 (memsnap's own segmenting, 80-byte header) is still read, whole; {@code memsnap rekey} rewrites it as
 * version 2.
 */
final class EncryptedFormat {
    static final byte[] MAGIC = "MSNPENC".getBytes(StandardCharsets.US_ASCII);
    /** What is written. */
    static final int VERSION = 2;
    static final int VERSION_1 = 1;
    /** Version 2's ciphertext segment, Tink's header and tags included. */
    static final int SEGMENT_SIZE = 64 * 1024;
    static final int HEADER_BYTES = 65;
    static final int V1_HEADER_BYTES = 80;
    static final int KIND_MASTER = 0;
    static final int KIND_DATA_KEY = 1;
    static final int MEMORY_KEY_BYTES = 16;
    /** The bytes every version has before its key id: magic and version. */
    private static final int PREFIX_BYTES = MAGIC.length + 1;
    private static final String HKDF = "HmacSha256";
    private static final int AES_KEY_BYTES = 32;

    private static final int V1_TAG_BYTES = 16;
    private static final int V1_NONCE_PREFIX_BYTES = 7;
    private static final int V1_FILE_SALT_BYTES = 32;

    private EncryptedFormat() {
    }

    /**
     * What a writer seals with.
     *
     * @param key        the input key of Tink's HKDF: a master key or a data key
     * @param keyId      the master key's fingerprint
     * @param kind       {@link #KIND_MASTER} or {@link #KIND_DATA_KEY}
     * @param iterations PBKDF2 iterations of a passphrase's master key, else 0
     * @param kdfSalt    the PBKDF2 salt (zeros for a raw key)
     * @param dataKeyId  the data key's fingerprint (zeros for kind 0)
     * @param memoryKey  which memory's data key (zeros for kind 0)
     */
    record Sealing(byte[] key, byte[] keyId, int kind, int iterations, byte[] kdfSalt, byte[] dataKeyId,
                   byte[] memoryKey) {
        static Sealing master(KeyRing.WriteKey key) {
            return new Sealing(key.master(), key.keyId(), KIND_MASTER, key.iterations(), key.kdfSalt(),
                    new byte[KeyRing.KEY_ID_BYTES], new byte[MEMORY_KEY_BYTES]);
        }

        @Override
        public String toString() {
            return "Sealing[key " + HexFormat.of().formatHex(keyId) + "]"; // never the key
        }
    }

    /** How a reader finds the key a header names. */
    interface KeyFinder {
        /** @return the master key with this fingerprint, or {@code null} */
        byte[] master(byte[] keyId, int iterations, byte[] kdfSalt);

        /**
         * @return the data key with fingerprint {@code dataKeyId} of the memory {@code memoryKey} names
         * @throws SnapshotFormatException when there is none (shredded, or no key store)
         */
        byte[] dataKey(byte[] memoryKey, byte[] dataKeyId, String source);
    }

    static boolean matches(byte[] data) {
        return data.length >= MAGIC.length && Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * @return a stream that encrypts what is written to it into {@code out}; closing it writes the last segment but
     *         does not close {@code out}
     */
    static OutputStream encrypt(OutputStream out, Sealing sealing) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.put(MAGIC).put((byte) VERSION).put(sealing.keyId()).put((byte) sealing.kind())
                .putInt(sealing.iterations()).put(sealing.kdfSalt()).put(sealing.dataKeyId()).put(sealing.memoryKey())
                .putInt(SEGMENT_SIZE);
        byte[] headerBytes = header.array();
        out.write(headerBytes);
        try {
            return streaming(sealing.key(), SEGMENT_SIZE).newEncryptingStream(new KeepOpen(out), headerBytes);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt: " + e.getMessage(), e);
        }
    }

    private static AesGcmHkdfStreaming streaming(byte[] key, int segmentSize) throws GeneralSecurityException {
        return new AesGcmHkdfStreaming(key, HKDF, AES_KEY_BYTES, segmentSize, 0);
    }

    /** @return the key fingerprint in an encrypted file's header, as hex; every version has it at the same place */
    static String keyIdOf(byte[] data) {
        return HexFormat.of().formatHex(data, PREFIX_BYTES, PREFIX_BYTES + KeyRing.KEY_ID_BYTES);
    }

    /** @return whether {@code data} holds at least a whole header of its version */
    static boolean hasHeader(byte[] data) {
        if (!matches(data) || data.length < PREFIX_BYTES) {
            return false;
        }
        int version = data[MAGIC.length] & 0xff;
        return data.length >= (version == VERSION_1 ? V1_HEADER_BYTES : HEADER_BYTES);
    }

    /** @return the format version of an encrypted file, or -1 when the bytes are too short to say */
    static int versionOf(byte[] data) {
        return matches(data) && data.length > MAGIC.length ? data[MAGIC.length] & 0xff : -1;
    }

    /** @return whether a version 2 header names a memory's data key */
    static boolean usesDataKey(byte[] data) {
        return versionOf(data) == VERSION && data.length >= HEADER_BYTES
                && data[PREFIX_BYTES + KeyRing.KEY_ID_BYTES] == KIND_DATA_KEY;
    }

    /**
     * @param in     an encrypted file from its first byte; not closed by the returned stream
     * @param keys   how to find the key its header names; {@code null} when no key is configured
     * @param source what to call it in messages
     * @return the plaintext, decrypted as it is read; a read fails with {@link SnapshotFormatException} on any damage,
     *         the end of the stream included, and only after the last segment authenticates does it return -1
     */
    static InputStream decrypt(InputStream in, KeyFinder keys, String source) throws IOException {
        byte[] prefix = in.readNBytes(PREFIX_BYTES);
        if (prefix.length < PREFIX_BYTES || !matches(prefix)) {
            throw new SnapshotFormatException(source, "encrypted snapshot truncated inside its header");
        }
        int version = prefix[MAGIC.length] & 0xff;
        if (version == VERSION_1) {
            byte[] whole = Limits.readAll(in, dev.memsnap.core.format.SnapshotJson.MAX_DOCUMENT_BYTES, source);
            byte[] data = new byte[prefix.length + whole.length];
            System.arraycopy(prefix, 0, data, 0, prefix.length);
            System.arraycopy(whole, 0, data, prefix.length, whole.length);
            return new ByteArrayInputStream(decryptVersion1(data, keys, source));
        }
        if (version != VERSION) {
            throw new SnapshotFormatException(source, "encrypted snapshot format version " + version
                    + " is not supported (this memsnap reads versions " + VERSION_1 + " and " + VERSION + ")");
        }
        byte[] rest = in.readNBytes(HEADER_BYTES - PREFIX_BYTES);
        if (rest.length < HEADER_BYTES - PREFIX_BYTES) {
            throw new SnapshotFormatException(source, "encrypted snapshot truncated inside its header");
        }
        byte[] headerBytes = new byte[HEADER_BYTES];
        System.arraycopy(prefix, 0, headerBytes, 0, PREFIX_BYTES);
        System.arraycopy(rest, 0, headerBytes, PREFIX_BYTES, rest.length);
        ByteBuffer header = ByteBuffer.wrap(headerBytes);
        header.position(PREFIX_BYTES);
        byte[] keyId = new byte[KeyRing.KEY_ID_BYTES];
        header.get(keyId);
        int kind = header.get() & 0xff;
        int iterations = header.getInt();
        byte[] kdfSalt = new byte[KeyRing.SALT_BYTES];
        header.get(kdfSalt);
        byte[] dataKeyId = new byte[KeyRing.KEY_ID_BYTES];
        header.get(dataKeyId);
        byte[] memoryKey = new byte[MEMORY_KEY_BYTES];
        header.get(memoryKey);
        int segmentSize = header.getInt();
        if (kind > KIND_DATA_KEY || segmentSize < 1024 || segmentSize > (16 << 20) || iterations < 0
                || iterations > KeyRing.MAX_PBKDF2_ITERATIONS) {
            throw new SnapshotFormatException(source, "encrypted snapshot header is damaged");
        }
        if (keys == null) {
            throw new SnapshotFormatException(source, "snapshot is encrypted (key " + HexFormat.of().formatHex(keyId)
                    + ") but no key is configured (memory.encryption)");
        }
        byte[] key;
        if (kind == KIND_DATA_KEY) {
            key = keys.dataKey(memoryKey, dataKeyId, source);
        } else {
            key = keys.master(keyId, iterations, kdfSalt);
            if (key == null) {
                throw wrongKey(source, keyId, iterations);
            }
        }
        try {
            LayerStreams.Below raw = new LayerStreams.Below(new LayerStreams.NotClosing(in));
            return new LayerStreams.Damage(streaming(key, segmentSize).newDecryptingStream(raw, headerBytes), raw,
                    source, e -> "encrypted snapshot is damaged, tampered with or truncated (authentication failed: "
                            + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new SnapshotFormatException(source, "cannot decrypt: " + e.getMessage(), e);
        }
    }

    private static SnapshotFormatException wrongKey(String source, byte[] keyId, int iterations) {
        return new SnapshotFormatException(source, "wrong key: snapshot is encrypted with "
                + (iterations == 0 ? "key " : "a passphrase, key ") + HexFormat.of().formatHex(keyId)
                + ", which none of the configured keys matches");
    }

    /** Version 1: memsnap's own AES-256-GCM segments, read whole. */
    private static byte[] decryptVersion1(byte[] data, KeyFinder keys, String source) {
        if (data.length < V1_HEADER_BYTES) {
            throw new SnapshotFormatException(source, "encrypted snapshot truncated inside its header");
        }
        ByteBuffer header = ByteBuffer.wrap(data, 0, V1_HEADER_BYTES);
        header.position(PREFIX_BYTES);
        byte[] keyId = new byte[KeyRing.KEY_ID_BYTES];
        header.get(keyId);
        int iterations = header.getInt();
        byte[] kdfSalt = new byte[KeyRing.SALT_BYTES];
        header.get(kdfSalt);
        byte[] fileSalt = new byte[V1_FILE_SALT_BYTES];
        header.get(fileSalt);
        byte[] noncePrefix = new byte[V1_NONCE_PREFIX_BYTES];
        header.get(noncePrefix);
        int segmentSize = header.getInt();
        if (segmentSize < 1024 || segmentSize > (16 << 20) || iterations < 0
                || iterations > KeyRing.MAX_PBKDF2_ITERATIONS) {
            throw new SnapshotFormatException(source, "encrypted snapshot header is damaged");
        }
        if (keys == null) {
            throw new SnapshotFormatException(source, "snapshot is encrypted (key " + HexFormat.of().formatHex(keyId)
                    + ") but no key is configured (memory.encryption)");
        }
        byte[] master = keys.master(keyId, iterations, kdfSalt);
        if (master == null) {
            throw wrongKey(source, keyId, iterations);
        }
        SecretKeySpec fileKey = new SecretKeySpec(KeyRing.fileKey(master, fileSalt), "AES");
        byte[] headerBytes = Arrays.copyOf(data, V1_HEADER_BYTES);
        ByteArrayOutputStream plain = new ByteArrayOutputStream(Math.max(0, data.length - V1_HEADER_BYTES));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            int position = V1_HEADER_BYTES;
            int segment = 0;
            while (true) {
                int chunk = Math.min(data.length - position, segmentSize + V1_TAG_BYTES);
                boolean last = position + chunk == data.length;
                if (chunk < V1_TAG_BYTES) {
                    throw new SnapshotFormatException(source, "encrypted snapshot is truncated");
                }
                cipher.init(Cipher.DECRYPT_MODE, fileKey, new GCMParameterSpec(128,
                        ByteBuffer.allocate(12).put(noncePrefix).putInt(segment).put((byte) (last ? 1 : 0)).array()));
                cipher.updateAAD(headerBytes);
                try {
                    plain.writeBytes(cipher.doFinal(data, position, chunk));
                } catch (AEADBadTagException e) {
                    throw new SnapshotFormatException(source, "encrypted snapshot is damaged, tampered with or "
                            + "truncated (authentication failed in segment " + segment + ")");
                }
                position += chunk;
                segment++;
                if (last) {
                    return plain.toByteArray();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new SnapshotFormatException(source, "cannot decrypt: " + e.getMessage(), e);
        }
    }

    /** Lets Tink close what it writes to without closing the caller's stream. */
    static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
