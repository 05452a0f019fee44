package dev.memsnap.reliability;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.core.codec.EncryptedLayer;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import io.airlift.compress.zstd.ZstdCompressor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Hostile snapshot files, made from valid ones: each layer (JSON, gzip or zstd, encryption) can be damaged on its own,
 * with the layers around it left valid, so that damage reaches every decoder rather than stopping at the first
 * checksum or authentication tag. JSON damage aims at what parsers get wrong: deep nesting, huge and odd numbers,
 * long strings, invalid UTF-8, duplicate keys, wrong types, impossible dates and counts. Byte damage is what disks and
 * networks do: bit flips, truncation, insertion, splices of two files. Inputs stay under {@link #MAX_BYTES}.
 */
final class HostileInputs {
    /** The largest input generated: the loader's memory and time bounds are checked against inputs this small. */
    static final int MAX_BYTES = 64 * 1024;
    /** The fixed key of every encrypted input, so that seed files and findings replay in any run. */
    static final KeyRing KEYS = KeyRing.ofKey(HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

    private static final LocalDateTime T = LocalDateTime.of(2025, 4, 26, 12, 34, 56, 789_012_000);
    private static final List<MemorySnapshot> BASES = List.of(
            TestSnapshots.snapshot("snapshot_20250426_123456_abcd1234", T, 4, 3),
            TestSnapshots.snapshot("snapshot_20250426_123457_00000000", T, 0, 0),
            SnapshotCodec.plain().decode(TestSnapshots.seedSnapshotJson(), "seed fixture"));
    private static final List<byte[]> BASE_JSON = BASES.stream().map(s -> SnapshotCodec.plain().encode(s)).toList();

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern STRING_VALUE = Pattern.compile(": \"((?:[^\"\\\\]++|\\\\.)*+)\"");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+");
    private static final Pattern VALUE_START = Pattern.compile(": ");
    private static final Pattern KEY = Pattern.compile("\"(\\w+)\": ");
    private static final String[] ODD_NUMBERS = {"1e999", "-1e999", "1e-400", "-0", "-0.0", "0e0", "NaN", "Infinity",
            "2147483648", "-2147483649", "9223372036854775808", "1" + "0".repeat(1200), "0." + "1".repeat(1100),
            "4.9E-324", "1.7976931348623157E309", "01", "1.", ".5", "0x10", "+1", "1e", "-", "123456789e-123456789"};
    private static final String[] ODD_TIMESTAMPS = {"0000-01-01T00:00:00", "-0001-01-01T00:00:00",
            "+999999999-12-31T23:59:59.999999999", "2025-13-45T25:61:61", "2025-02-29T00:00:00",
            "2025-01-01T00:00:00+25:00", "2025-01-01T00:00:00Z", "2025-01-01T00:00:00.1234567891", "", "now"};
    private static final String[] ODD_STRINGS = {"", "\\u0000", "\\ud800", "\\udc00\\ud800", "\\uD83D\\uDE00",
            "\\u", "\\uZZZZ", "\\x41", "\u2028\u2029", "snapshot_20250426_123456_ABCD1234", "../../etc/passwd"};
    private static final byte[][] BAD_UTF8 = {{(byte) 0xC3, 0x28}, {(byte) 0xF0, (byte) 0x9F}, {(byte) 0xED,
            (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xFF}, {(byte) 0xEF, (byte) 0xBB,
            (byte) 0xBF}};

    private HostileInputs() {
    }

    /** @return every base snapshot in every encoding: what a fuzzer starts from */
    static List<byte[]> validFiles() {
        List<byte[]> files = new ArrayList<>();
        for (MemorySnapshot base : BASES) {
            for (Layers layers : Layers.values()) {
                files.add(layers.codec(KEYS).encode(base));
            }
        }
        return files;
    }

    /**
     * @param random the source of every choice
     * @return one hostile file, at most {@link #MAX_BYTES}
     */
    static byte[] generate(Random random) {
        byte[] json = BASE_JSON.get(random.nextInt(BASE_JSON.size()));
        int plan = random.nextInt(8);
        boolean damageInside = plan < 5;
        boolean damageOutside = plan >= 4 && plan < 7; // plan 4 damages both, plan 7 neither
        if (damageInside) {
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                json = damageJson(json, random);
            }
        }
        byte[] data = wrap(json, Layers.values()[random.nextInt(Layers.values().length)]);
        if (damageOutside) {
            for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                data = damageBytes(data, random);
            }
        }
        return data.length > MAX_BYTES ? java.util.Arrays.copyOf(data, MAX_BYTES) : data;
    }

    /**
     * @param plaintext a snapshot's JSON, intact or not
     * @param layers    the layers to put around it, each valid
     * @return the file
     */
    static byte[] wrap(byte[] plaintext, Layers layers) {
        byte[] data = switch (layers.compression()) {
            case NONE -> plaintext;
            case GZIP -> gzip(plaintext);
            case ZSTD -> zstd(plaintext);
        };
        return layers.encrypted() ? EncryptedLayer.seal(data, KEYS) : data;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] zstd(byte[] data) {
        ZstdCompressor zstd = new ZstdCompressor();
        byte[] out = new byte[zstd.maxCompressedLength(data.length)];
        int length = zstd.compress(data, 0, data.length, out, 0, out.length);
        return java.util.Arrays.copyOf(out, length);
    }

    /** Damage aimed at the JSON layer. Text is handled as ISO-8859-1 so that every byte survives as it is. */
    static byte[] damageJson(byte[] json, Random random) {
        String text = new String(json, StandardCharsets.ISO_8859_1);
        String damaged = switch (random.nextInt(11)) {
            case 0 -> replaceMatch(text, NUMBER, random, ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)]);
            case 1 -> replaceMatch(text, TIMESTAMP, random, ODD_TIMESTAMPS[random.nextInt(ODD_TIMESTAMPS.length)]);
            case 2 -> replaceStringValue(text, random, ODD_STRINGS[random.nextInt(ODD_STRINGS.length)]);
            case 3 -> replaceStringValue(text, random, "x".repeat(1 + random.nextInt(40_000)));
            case 4 -> insertAtValue(text, random, nesting(random));
            case 5 -> insertAtValue(text, random, oddValue(random));
            case 6 -> duplicateKey(text, random);
            case 7 -> insertBadUtf8(text, random);
            case 8 -> text.substring(0, random.nextInt(text.length() + 1));
            case 9 -> deleteSpan(text, random);
            default -> new String(damageBytes(json, random), StandardCharsets.ISO_8859_1);
        };
        return damaged.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Damage of any layer's bytes, as storage and transfer do it. */
    static byte[] damageBytes(byte[] data, Random random) {
        if (data.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        byte[] copy = data.clone();
        int at = random.nextInt(copy.length);
        switch (random.nextInt(8)) {
            case 0 -> copy[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> copy[at] = new byte[] {0, (byte) 0xff, 0x7f, (byte) 0x80}[random.nextInt(4)];
            case 2 -> {
                // aim at the headers, where sizes, versions and flags live
                int header = Math.min(copy.length, 1 + random.nextInt(Math.max(1, EncryptedLayer.headerBytes())));
                copy[random.nextInt(header)] ^= (byte) (1 << random.nextInt(8));
            }
            case 3 -> {
                return java.util.Arrays.copyOf(copy, at);
            }
            case 4 -> {
                byte[] inserted = new byte[1 + random.nextInt(64)];
                random.nextBytes(inserted);
                return splice(copy, at, inserted, at);
            }
            case 5 -> {
                int length = Math.min(copy.length - at, 1 + random.nextInt(256));
                return splice(copy, at + length, java.util.Arrays.copyOfRange(copy, at, at + length), at + length);
            }
            case 6 -> {
                List<byte[]> valid = validFiles();
                byte[] other = valid.get(random.nextInt(valid.size()));
                int from = random.nextInt(other.length);
                return splice(copy, at, java.util.Arrays.copyOfRange(other, from, other.length), copy.length);
            }
            default -> java.util.Arrays.fill(copy, at, Math.min(copy.length, at + 1 + random.nextInt(512)), (byte) 0);
        }
        return copy;
    }

    /** @return {@code data[0, keepUntil) + inserted + data[resumeAt, end)} */
    private static byte[] splice(byte[] data, int keepUntil, byte[] inserted, int resumeAt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + inserted.length);
        out.write(data, 0, keepUntil);
        out.writeBytes(inserted);
        out.write(data, resumeAt, data.length - resumeAt);
        return out.toByteArray();
    }

    private static String replaceMatch(String text, Pattern pattern, Random random, String replacement) {
        List<int[]> spans = spans(pattern.matcher(text), 0);
        if (spans.isEmpty()) {
            return text;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        return text.substring(0, span[0]) + replacement + text.substring(span[1]);
    }

    private static String replaceStringValue(String text, Random random, String replacement) {
        List<int[]> spans = spans(STRING_VALUE.matcher(text), 1);
        if (spans.isEmpty()) {
            return text;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        return text.substring(0, span[0]) + replacement + text.substring(span[1]);
    }

    /** Puts a value in front of an existing one, which then becomes trailing garbage or a second value. */
    private static String insertAtValue(String text, Random random, String value) {
        List<int[]> spans = spans(VALUE_START.matcher(text), 0);
        if (spans.isEmpty()) {
            return text;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        boolean replaceWholeValue = random.nextBoolean();
        int end = span[1];
        if (replaceWholeValue) {
            // drop the old scalar value, if it is one, so the document may stay well-formed
            Matcher scalar = Pattern.compile("\"(?:[^\"\\\\]++|\\\\.)*+\"|-?[\\d.eE+-]+|true|false|null")
                    .matcher(text).region(end, text.length());
            if (scalar.lookingAt()) {
                end = scalar.end();
            }
        }
        return text.substring(0, span[1]) + value + (replaceWholeValue ? "" : ", ") + text.substring(end);
    }

    private static String nesting(Random random) {
        int depth = new int[] {150, 199, 200, 201, 1000, 15_000}[random.nextInt(6)];
        boolean objects = random.nextBoolean();
        return objects ? "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth) : "[".repeat(depth) + "]".repeat(depth);
    }

    private static String oddValue(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "{}";
            case 1 -> "[]";
            case 2 -> "null";
            case 3 -> "[" + "1,".repeat(5_000) + "1]";
            case 4 -> "{\"" + "k".repeat(30_000) + "\": 1}";
            default -> ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)];
        };
    }

    private static String duplicateKey(String text, Random random) {
        List<int[]> spans = spans(KEY.matcher(text), 0);
        if (spans.isEmpty()) {
            return text;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        return text.substring(0, span[0]) + text.substring(span[0], span[1]) + "null, " + text.substring(span[0]);
    }

    private static String insertBadUtf8(String text, Random random) {
        List<int[]> spans = spans(STRING_VALUE.matcher(text), 1);
        byte[] bad = BAD_UTF8[random.nextInt(BAD_UTF8.length)];
        int at = spans.isEmpty() ? random.nextInt(text.length() + 1) : spans.get(random.nextInt(spans.size()))[0];
        return text.substring(0, at) + new String(bad, StandardCharsets.ISO_8859_1) + text.substring(at);
    }

    private static String deleteSpan(String text, Random random) {
        int from = random.nextInt(text.length() + 1);
        int to = Math.min(text.length(), from + 1 + random.nextInt(200));
        return text.substring(0, from) + text.substring(to);
    }

    private static List<int[]> spans(Matcher matcher, int group) {
        List<int[]> spans = new ArrayList<>();
        while (matcher.find()) {
            spans.add(new int[] {matcher.start(group), matcher.end(group)});
        }
        return spans;
    }
}
