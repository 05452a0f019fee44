package dev.memsnap.core.codec;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.core.format.Limits;
import dev.memsnap.core.format.SnapshotJson;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.airlift.compress.zstd.ZstdInputStream;
import io.airlift.compress.zstd.ZstdOutputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * How snapshots are stored as bytes: the seed's JSON, optionally compressed (gzip or zstd), optionally encrypted.
 * Writing uses the configured choices; reading detects each layer from the content, so a directory may mix plain,
 * compressed and encrypted files. Every layer is checked: gzip's CRC, zstd's frame, GCM's tags, the JSON's validity.
 * Both directions stream ({@link #encode(MemorySnapshot, OutputStream)}, {@link #read(InputStream, String)}): JSON,
 * compressor and cipher are chained, so no layer's whole output is held in memory. Encryption is Tink's streaming
 * AEAD (see {@code EncryptedFormat}), under the master key, or with {@link #withDataKeys} under each memory's own data
 * key. Thread-safe.
 */
public final class SnapshotCodec implements dev.memsnap.api.format.SnapshotEncoding {
    /** The suffix every stored snapshot file name has after its id, whatever its layers. */
    public static final String BASE_SUFFIX = ".json";
    /** The least of {@link #expansionFloorBytes()}, whatever the heap. */
    public static final long MIN_EXPANSION_FLOOR_BYTES = 16L << 20;
    /** The most decompressed bytes per compressed byte beyond {@link #expansionFloorBytes()}. */
    public static final int MAX_EXPANSION_RATIO = 200;
    private static final int GZIP_INPUT_BUFFER = 8 * 1024;
    private static final String ENCRYPTED_SUFFIX = ".enc";
    /** Every suffix a stored snapshot file may have, the plainest first. */
    public static final List<String> SUFFIXES = List.of(".json", ".json.gz", ".json.zst", ".json.enc",
            ".json.gz.enc", ".json.zst.enc");

    private final SnapshotJson json;
    private final Compression compression;
    private final int level;
    private final Supplier<KeyRing> keys;
    private final boolean encrypt;
    /** Where each memory's data key is kept; {@code null} when snapshots are encrypted under the master key. */
    private final dev.memsnap.api.format.DataKeyStorage keyStorage;
    private final DataKeys dataKeys;
    /** The memory whose data key {@link #seal} writes with; {@code null} for the master key. */
    private final String memoryId;

    /**
     * @param json        the JSON layer
     * @param compression how to compress what is written
     * @param level       the gzip level, 1 (fastest) to 9 (smallest); zstd uses its own default (3)
     * @param keys        the keys, read on first use; {@code null} for a store without encryption
     */
    public SnapshotCodec(SnapshotJson json, Compression compression, int level, Supplier<KeyRing> keys) {
        this(json, compression, level, keys == null ? null : memoize(keys), keys != null, null, null);
    }

    private SnapshotCodec(SnapshotJson json, Compression compression, int level, Supplier<KeyRing> keys,
                          boolean encrypt, dev.memsnap.api.format.DataKeyStorage keyStorage, String memoryId) {
        if (level < Deflater.BEST_SPEED || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("compression level must be 1 to 9, got " + level);
        }
        this.json = json;
        this.compression = compression;
        this.level = level;
        this.keys = keys == null ? () -> null : keys;
        this.encrypt = encrypt;
        this.keyStorage = keyStorage;
        this.dataKeys = keyStorage == null || !encrypt ? null : new DataKeys(keyStorage, this.keys);
        this.memoryId = memoryId;
    }

    private SnapshotCodec(SnapshotCodec base, String memoryId) {
        this.json = base.json;
        this.compression = base.compression;
        this.level = base.level;
        this.keys = base.keys;
        this.encrypt = base.encrypt;
        this.keyStorage = base.keyStorage;
        this.dataKeys = base.dataKeys; // shared, with its cache of opened keys
        this.memoryId = memoryId;
    }

    /** @return a codec that writes plain JSON and reads plain and compressed JSON */
    public static SnapshotCodec plain() {
        return new SnapshotCodec(new SnapshotJson(), Compression.NONE, 6, null);
    }

    /**
     * @param ring the keys to encrypt with, and decrypt with
     * @return this codec's choices, encrypting with {@code ring}
     */
    public SnapshotCodec withKeys(KeyRing ring) {
        return new SnapshotCodec(json, compression, level, () -> ring, true, keyStorage, memoryId);
    }

    /**
     * @param storage where the memories' wrapped data keys are kept
     * @return this codec's choices, but, when it encrypts, encrypting each memory's snapshots under that memory's own
     *         data key (see {@link DataKeys}) rather than the master key itself; it reads both
     */
    @Override
    public SnapshotCodec withDataKeys(dev.memsnap.api.format.DataKeyStorage storage) {
        return new SnapshotCodec(json, compression, level, keys, encrypt, storage, memoryId);
    }

    @Override
    public boolean hasDataKeys() {
        return dataKeys != null;
    }

    @Override
    public java.util.Optional<String> writingDataKeyId(String memoryId) {
        return dataKeys().map(k -> java.util.HexFormat.of().formatHex(k.forWriting(memoryId).dataKeyId()));
    }

    @Override
    public boolean shredDataKey(String memoryId) {
        return dataKeys == null ? dev.memsnap.api.format.SnapshotEncoding.super.shredDataKey(memoryId)
                : dataKeys.shred(memoryId);
    }

    /**
     * @param memoryId the memory a store of one memory keeps
     * @return this codec, sealing {@link #seal} bytes (an incremental store's chunks and manifests) under that
     *         memory's data key when it has data keys
     */
    public SnapshotCodec forMemory(String memoryId) {
        return new SnapshotCodec(this, memoryId);
    }

    /** @return the memories' data keys, when this codec encrypts under them */
    public java.util.Optional<DataKeys> dataKeys() {
        return java.util.Optional.ofNullable(dataKeys);
    }

    /**
     * @param other how to compress
     * @return this codec's level and keys, compressing with {@code other}: the incremental store's chunks are
     *         always zstd, whatever its snapshots use
     */
    public SnapshotCodec withCompression(Compression other) {
        return new SnapshotCodec(json, other, level, encrypt ? keys : null);
    }

    /** Reads the keys now, so that a missing key file or variable fails at start rather than at the first save. */
    public void checkKeys() {
        keys.get();
    }

    @Override
    public String storedKeyId(byte[] stored) {
        return keyIdOf(stored);
    }

    @Override
    public String describeStored(byte[] stored) {
        return describe(stored);
    }

    /** @return the file name suffix of what this codec writes, for example {@code .json.gz.enc} */
    public String suffix() {
        return compression.suffix() + (encrypt ? ENCRYPTED_SUFFIX : "");
    }

    /**
     * Streams the snapshot through every layer: nothing but a segment of each layer is held in memory.
     *
     * @param snapshot the snapshot
     * @param out      where to write; not closed
     * @throws IOException when the stream fails
     */
    public void encode(MemorySnapshot snapshot, OutputStream out) throws IOException {
        if (compression == Compression.NONE && !encrypt) {
            json.write(snapshot, out); // the seed's plain file
            return;
        }
        String memory = snapshot.memoryId() != null ? snapshot.memoryId() : memoryId;
        writeLayers(out, memory, layered -> json.write(snapshot, layered));
    }

    /** What is written inside the layers. */
    @FunctionalInterface
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private void writeLayers(OutputStream out, String memory, Content content) throws IOException {
        writeLayers(out, memory, compression, content);
    }

    private void writeLayers(OutputStream out, String memory, Compression compression, Content content)
            throws IOException {
        OutputStream encrypted = encrypt ? EncryptedFormat.encrypt(out, sealing(memory))
                : new EncryptedFormat.KeepOpen(out);
        OutputStream compressed = switch (compression) {
            case GZIP -> new GZIPOutputStream(encrypted, 1 << 16) {
                {
                    def.setLevel(level);
                }
            };
            case ZSTD -> new ZstdOutputStream(encrypted);
            default -> encrypted;
        };
        content.writeTo(compressed);
        compressed.close(); // ends every layer (the last segment is sealed), but leaves out open
    }

    private EncryptedFormat.Sealing sealing(String memory) {
        if (sealsUnderDataKey(memory)) {
            return dataKeys.forWriting(memory);
        }
        return EncryptedFormat.Sealing.master(keys.get().writeKey());
    }

    /** @return whether what is written for the memory is sealed under its data key rather than the master key */
    private boolean sealsUnderDataKey(String memory) {
        return dataKeys != null && memory != null;
    }

    /**
     * Applies this codec's layers (compression, encryption) to any bytes: how an incremental store keeps its chunks
     * and manifests.
     *
     * @param plain the bytes
     * @return them as stored
     */
    public byte[] seal(byte[] plain) {
        var out = new java.io.ByteArrayOutputStream(plain.length / 2 + 128);
        try {
            if (compression == Compression.ZSTD) {
                // One frame of the known size: zstd sizes its window and match tables to the input (a few KB for a
                // chunk), where the stream, not knowing the size, allocates and clears megabytes for every call.
                byte[] compressed = zstd(plain);
                if (!encrypt) {
                    return compressed;
                }
                writeLayers(out, memoryId, Compression.NONE, layered -> layered.write(compressed));
            } else {
                writeLayers(out, memoryId, layered -> layered.write(plain));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] zstd(byte[] plain) {
        ZstdCompressor compressor = new ZstdCompressor();
        byte[] compressed = new byte[compressor.maxCompressedLength(plain.length)];
        int length = compressor.compress(plain, 0, plain.length, compressed, 0, compressed.length);
        return java.util.Arrays.copyOf(compressed, length);
    }

    /** @return the snapshot as stored bytes */
    public byte[] encode(MemorySnapshot snapshot) {
        var out = new java.io.ByteArrayOutputStream();
        try {
            encode(snapshot, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Streams the stored bytes through every layer into the JSON reader: the ciphertext and the compressed bytes are
     * never held whole.
     *
     * @param in     stored bytes, any layers; not closed
     * @param source what to call them in messages
     * @return the snapshot
     * @throws SnapshotFormatException when a layer is damaged, the key is wrong, or the JSON is not a valid snapshot
     * @throws IOException             when the stream fails
     */
    public MemorySnapshot read(InputStream in, String source) throws IOException {
        return json.read(openStream(in, source), source);
    }

    /**
     * @param stored stored bytes, any layers
     * @param source what to call them in messages
     * @return the snapshot
     */
    public MemorySnapshot decode(byte[] stored, String source) {
        return json.read(open(stored, source), source);
    }

    /**
     * Reads what a listing needs, streaming through every layer.
     *
     * @param in     stored bytes; not closed
     * @param source what to call them in messages
     * @return the snapshot in brief
     * @throws IOException when the stream fails
     */
    public SnapshotMetadata readMetadata(InputStream in, String source) throws IOException {
        return json.readMetadata(openStream(in, source), source);
    }

    /**
     * @param stored stored bytes
     * @return a description of their layers, for example {@code gzip, encrypted with key 1a2b...}
     */
    public static String describe(byte[] stored) {
        if (EncryptedFormat.matches(stored)) {
            if (!EncryptedFormat.hasHeader(stored)) {
                return "encrypted with key ?";
            }
            return "encrypted with key " + EncryptedFormat.keyIdOf(stored)
                    + (EncryptedFormat.usesDataKey(stored) ? " (under its memory's data key)" : "")
                    + (EncryptedFormat.versionOf(stored) == EncryptedFormat.VERSION_1
                    ? " (format 1: memsnap rekey rewrites it as format 2)" : "");
        }
        return isGzip(stored) ? "gzip" : isZstd(stored) ? "zstd" : "json";
    }

    /**
     * @param stored stored bytes
     * @return the fingerprint of the master key they are encrypted with (or whose data key they are encrypted
     *         with), or {@code null} when they are not encrypted
     */
    public static String keyIdOf(byte[] stored) {
        return EncryptedFormat.hasHeader(stored) ? EncryptedFormat.keyIdOf(stored) : null;
    }

    /**
     * @param stored the first bytes of a stored snapshot (at least 9)
     * @return the version of its encrypted format, or 0 when it is not encrypted
     */
    public static int encryptedFormatVersion(byte[] stored) {
        return Math.max(0, EncryptedFormat.versionOf(stored));
    }

    /** How many of a stored snapshot's first bytes {@link #sealingOf} needs. */
    public static final int SEALING_PREFIX_BYTES = 17;

    /**
     * How stored bytes are sealed, as a token: equal for two stored forms under the same key, encrypted format and
     * kind of key (the master key itself, or a memory's data key wrapped by it), so that a store that keeps pieces
     * across saves can tell the pieces sealed otherwise than it seals now (before a rekey, a rotation, or encryption).
     *
     * @param prefix the first {@link #SEALING_PREFIX_BYTES} bytes of stored bytes, or all of them when fewer
     * @return {@code "plain"} when they are not encrypted, else the token
     */
    public static String sealingOf(byte[] prefix) {
        int version = EncryptedFormat.versionOf(prefix);
        if (version < 0) {
            return "plain";
        }
        if (prefix.length < SEALING_PREFIX_BYTES) {
            return "encrypted, header cut short";
        }
        return version + "/" + EncryptedFormat.keyIdOf(prefix) + "/" + prefix[SEALING_PREFIX_BYTES - 1];
    }

    /** @return the token {@link #sealingOf} gives for what {@link #seal} makes now */
    public String sealing() {
        if (!encrypt) {
            return "plain";
        }
        int kind = sealsUnderDataKey(memoryId) ? EncryptedFormat.KIND_DATA_KEY : EncryptedFormat.KIND_MASTER;
        return EncryptedFormat.VERSION + "/" + writeKeyId() + "/" + kind;
    }

    /** @return the fingerprint of the key this codec encrypts with, or {@code null} when it does not encrypt */
    public String writeKeyId() {
        return encrypt ? java.util.HexFormat.of().formatHex(keys.get().writeKey().keyId()) : null;
    }

    /**
     * Removes every layer, detected from the content.
     *
     * @param stored stored bytes
     * @param source what to call them in messages
     * @return the plain bytes
     * @throws SnapshotFormatException when a layer is damaged or the key is wrong
     */
    public byte[] open(byte[] stored, String source) {
        byte[] data = stored;
        if (EncryptedFormat.matches(data)) {
            try (InputStream plain = EncryptedFormat.decrypt(new ByteArrayInputStream(data), keyFinder(), source)) {
                data = Limits.readAll(plain, SnapshotJson.MAX_DOCUMENT_BYTES, source);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // bytes in memory fail only as damage, reported above
            }
        }
        if (isGzip(data)) {
            data = gunzip(data, source);
        } else if (isZstd(data)) {
            data = unzstd(data, source);
        }
        return data;
    }

    /**
     * Removes every layer as the bytes are read, detected from the content: the encryption segment by segment, the
     * compression with the same guards as {@link #open} (a declared zstd window, the expansion ratio).
     *
     * @param in     stored bytes, any layers; not closed
     * @param source what to call them in messages
     * @return the plain bytes, as a stream; reading it fails with {@link SnapshotFormatException} on damage
     * @throws IOException when the stream fails
     */
    public InputStream openStream(InputStream in, String source) throws IOException {
        BufferedInputStream stored = new BufferedInputStream(new LayerStreams.NotClosing(in), 1 << 16);
        InputStream plain = stored;
        if (EncryptedFormat.matches(peek(stored, EncryptedFormat.MAGIC.length))) {
            plain = new BufferedInputStream(EncryptedFormat.decrypt(stored, keyFinder(), source), 1 << 16);
        }
        byte[] head = peek(plain, 18);
        if (isGzip(head)) {
            LayerStreams.Below compressed = new LayerStreams.Below(plain);
            GZIPInputStream gzip;
            try {
                gzip = new GZIPInputStream(compressed, GZIP_INPUT_BUFFER); // reads the gzip header now
            } catch (ZipException | java.io.EOFException e) {
                throw new SnapshotFormatException(source, "compressed snapshot is damaged or truncated: "
                        + e.getMessage(), e);
            }
            return compressionDamage(new ExpansionBound(gzip, compressed, source), compressed, source);
        }
        if (isZstd(head)) {
            long window = zstdWindowOf(head);
            if (window > MAX_ZSTD_WINDOW) {
                throw new SnapshotFormatException(source, "compressed snapshot declares a zstd window of " + window
                        + " bytes, more than the " + MAX_ZSTD_WINDOW + " a zstd decoder accepts by default");
            }
            LayerStreams.Below compressed = new LayerStreams.Below(plain);
            return compressionDamage(new ExpansionBound(new ZstdInputStream(compressed), compressed, source),
                    compressed, source);
        }
        return plain;
    }

    private static byte[] peek(InputStream in, int n) throws IOException {
        in.mark(n);
        byte[] head = in.readNBytes(n);
        in.reset();
        return head;
    }

    /** @return how this codec finds the key a header names; {@code null} when it has no keys */
    EncryptedFormat.KeyFinder keyFinder() {
        KeyRing ring = keys.get();
        if (ring == null) {
            return null;
        }
        return new EncryptedFormat.KeyFinder() {
            @Override
            public byte[] master(byte[] keyId, int iterations, byte[] kdfSalt) {
                return ring.masterFor(keyId, iterations, kdfSalt);
            }

            @Override
            public byte[] dataKey(byte[] memoryKey, byte[] dataKeyId, String source) {
                if (dataKeys == null) {
                    throw new SnapshotFormatException(source, "snapshot is encrypted under its memory's data key "
                            + java.util.HexFormat.of().formatHex(dataKeyId) + ", which is kept in the key store of "
                            + "the snapshot directory it was saved in (.memsnap/keys): read it through that store");
                }
                return dataKeys.find(memoryKey, dataKeyId, source);
            }
        };
    }

    private static boolean isZstd(byte[] data) {
        return data.length >= 4 && (data[0] & 0xff) == 0x28 && (data[1] & 0xff) == 0xb5
                && (data[2] & 0xff) == 0x2f && (data[3] & 0xff) == 0xfd;
    }

    /** zstd's default decoder limit ({@code ZSTD_WINDOWLOG_LIMIT_DEFAULT}, 2^27 bytes). */
    static final long MAX_ZSTD_WINDOW = 1L << 27;

    /**
     * @return the window the first frame declares (its content size for a single-segment frame), or -1 when the
     *         header is too short to say
     */
    static long zstdWindowOf(byte[] data) {
        if (data.length < 6) {
            return -1;
        }
        int descriptor = data[4] & 0xff;
        boolean singleSegment = (descriptor & 0x20) != 0;
        if (!singleSegment) {
            int w = data[5] & 0xff;
            long base = 1L << (10 + (w >>> 3));
            return base + (base / 8) * (w & 7);
        }
        int fcsFlag = descriptor >>> 6;
        int dictionaryBytes = new int[] {0, 1, 2, 4}[descriptor & 3];
        int at = 5 + dictionaryBytes;
        int fcsBytes = new int[] {1, 2, 4, 8}[fcsFlag];
        if (data.length < at + fcsBytes) {
            return -1;
        }
        long fcs = 0;
        for (int i = fcsBytes - 1; i >= 0; i--) {
            fcs = (fcs << 8) | (data[at + i] & 0xff);
        }
        return fcsBytes == 2 ? fcs + 256 : fcs;
    }

    private static byte[] unzstd(byte[] data, String source) {
        try {
            long size = ZstdDecompressor.getDecompressedSize(data, 0, data.length);
            if (size > SnapshotJson.MAX_DOCUMENT_BYTES) {
                throw new SnapshotFormatException(source, "compressed snapshot would be larger than the limit of "
                        + SnapshotJson.MAX_DOCUMENT_BYTES + " bytes");
            }
            // a frame may declare any size: allocate up front only what a plausible ratio allows, else stream
            if (size < 0 || size > Math.max(1L << 20, (long) data.length * 64)) {
                // the stream allocates the window the frame declares before decoding a byte: refuse what zstd's own
                // decoder refuses by default, rather than let 100 bytes ask for half a gigabyte
                long window = zstdWindowOf(data);
                if (window > MAX_ZSTD_WINDOW) {
                    throw new SnapshotFormatException(source, "compressed snapshot declares a zstd window of " + window
                            + " bytes, more than the " + MAX_ZSTD_WINDOW + " a zstd decoder accepts by default");
                }
                LayerStreams.CountedBytes compressed = new LayerStreams.CountedBytes(data);
                try (InputStream in = new ExpansionBound(new ZstdInputStream(compressed), compressed, source)) {
                    return Limits.readAll(in, SnapshotJson.MAX_DOCUMENT_BYTES, source);
                }
            }
            byte[] plain = new byte[(int) size];
            int length = new ZstdDecompressor().decompress(data, 0, data.length, plain, 0, plain.length);
            if (length != size) {
                throw new SnapshotFormatException(source, "compressed snapshot is damaged: expected " + size
                        + " bytes, got " + length);
            }
            return plain;
        } catch (SnapshotFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // aircompressor reports hostile input with MalformedInputException, or worse, any runtime exception
            throw new SnapshotFormatException(source, "compressed snapshot is damaged or truncated: "
                    + e.getMessage(), e);
        }
    }

    private static boolean isGzip(byte[] data) {
        return data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
    }

    private static byte[] gunzip(byte[] data, String source) {
        LayerStreams.CountedBytes compressed = new LayerStreams.CountedBytes(data);
        // A small input buffer, so that what has been consumed is known closely enough to judge the ratio early.
        try (InputStream in = new ExpansionBound(new GZIPInputStream(compressed, GZIP_INPUT_BUFFER), compressed,
                source)) {
            return Limits.readAll(in, SnapshotJson.MAX_DOCUMENT_BYTES, source);
        } catch (ZipException | java.io.EOFException e) {
            throw new SnapshotFormatException(source, "compressed snapshot is damaged or truncated: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the decompressed bytes allowed whatever the ratio: an eighth of the heap this JVM may use (so that
     *         refusing a bomb costs at most some three eighths, with the buffer's growth), at least
     *         {@link #MIN_EXPANSION_FLOOR_BYTES}, at most the document limit
     */
    public static long expansionFloorBytes() {
        return Math.min(SnapshotJson.MAX_DOCUMENT_BYTES,
                Math.max(MIN_EXPANSION_FLOOR_BYTES, Runtime.getRuntime().maxMemory() / 8));
    }

    /**
     * Reports damage in a compressed stream as a {@link SnapshotFormatException}: gzip's {@link ZipException} and
     * early {@link java.io.EOFException}, and whatever aircompressor throws on hostile input (it says "Not enough
     * input bytes" with a plain {@link IOException}); a failure of the file itself, or a refusal from a layer below,
     * passes unchanged.
     */
    private static InputStream compressionDamage(InputStream decompressing, LayerStreams.Below compressed,
                                                 String source) {
        return new LayerStreams.Damage(decompressing, compressed, source,
                e -> "compressed snapshot is damaged or truncated: " + e.getMessage());
    }

    /**
     * Refuses a decompression bomb while it is being decompressed, before it costs memory: past
     * {@link #expansionFloorBytes()}, the output may be at most {@link #MAX_EXPANSION_RATIO} times the input consumed
     * so far (JSON text compresses about 12 times; gzip's ceiling is about 1032, zstd's far higher; only contrived
     * snapshots, such as one string repeated for megabytes, come near).
     */
    private static final class ExpansionBound extends LayerStreams.BlockReads {
        private final LayerStreams.Consumed compressed;
        private final String source;
        private final long floor = expansionFloorBytes();
        private long produced;

        ExpansionBound(InputStream decompressed, LayerStreams.Consumed compressed, String source) {
            super(decompressed);
            this.compressed = compressed;
            this.source = source;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                produced += n;
                long consumed = Math.max(1, compressed.consumed());
                if (produced > floor && produced > consumed * MAX_EXPANSION_RATIO) {
                    throw new SnapshotFormatException(source, "compressed snapshot expands more than "
                            + MAX_EXPANSION_RATIO + " times (" + produced + " bytes from " + consumed
                            + "), past the limit of " + floor + " bytes allowed at any ratio: refused as a "
                            + "decompression bomb");
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192));
        }
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        if (value == null) {
                            value = supplier.get();
                        }
                        v = value;
                    }
                }
                return v;
            }
        };
    }
}
