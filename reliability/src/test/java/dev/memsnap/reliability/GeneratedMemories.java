package dev.memsnap.reliability;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.format.Snapshots;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * jqwik generators of memory content that is hard to keep exact: any Unicode (surrogate pairs, lone surrogates,
 * controls, NUL), empty and long strings (up to 20,000 chars, so names of up to 60,000 UTF-8 bytes), odd numbers (0,
 * -0.0, 1e-300, 1e300, Double.MIN_VALUE, ints, longs and integers of up to 2,000 digits), nested metadata of maps,
 * lists and nulls, timestamps from year -9999 to 9999, sessions of up to a thousand years.
 *
 * <p>Numbers come in the type a JSON reader gives back (Integer when it fits, else Long, else BigInteger; Double for
 * fractions): a Long 5 reads back as Integer 5, which is the same JSON value. Integers stay within the 10,000 digits a
 * Memory accepts.
 */
final class GeneratedMemories {
    private GeneratedMemories() {
    }

    static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.strings().all().ofMaxLength(30)),
                net.jqwik.api.Tuple.of(3, Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(30)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("\uD83D\uDE00", "\uD83D", "\uDE00", "e\u0301", "\u2028",
                        "\"\\", "\u0000", "\uFEFF", "\u4E2D\u6587", "\u05E9\u05DC\u05D5\u05DD").list().ofMaxSize(6)
                        .map(parts -> String.join("", parts))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMinLength(2_000).ofMaxLength(20_000)));
    }

    static Arbitrary<Object> number() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().filter(l -> l < Integer.MIN_VALUE || l > Integer.MAX_VALUE).map(l -> (Object) l),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(19), BigInteger.TEN.pow(2_000))
                        .map(b -> (Object) b),
                Arbitraries.doubles().filter(Double::isFinite).map(d -> (Object) d),
                Arbitraries.of(0.0, -0.0, 1e-300, 1e300, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 0.1,
                        Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE));
    }

    static Arbitrary<Object> jsonValue(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(number(), text().map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b), Arbitraries.just(null));
        if (depth == 0) {
            return scalar;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, scalar),
                net.jqwik.api.Tuple.of(1, jsonValue(depth - 1).list().ofMaxSize(4).map(l -> (Object) l)),
                net.jqwik.api.Tuple.of(1, Arbitraries.maps(text(), jsonValue(depth - 1)).ofMaxSize(4)
                        .map(m -> (Object) m)));
    }

    static Arbitrary<LocalDateTime> timestamp() {
        return Arbitraries.longs().between(LocalDateTime.of(-9999, 1, 1, 0, 0).toEpochSecond(java.time.ZoneOffset.UTC),
                        LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(java.time.ZoneOffset.UTC))
                .flatMap(seconds -> Arbitraries.integers().between(0, 999_999).map(micros ->
                        LocalDateTime.ofEpochSecond(seconds, micros * 1000, java.time.ZoneOffset.UTC)));
    }

    static Arbitrary<Memory> memory() {
        Arbitrary<Map<String, Object>> metadata = Combinators.combine(
                text().injectNull(0.2), text().list().ofMaxSize(4),
                Arbitraries.maps(text().filter(k -> !k.equals(Memory.SOURCE_TYPE) && !k.equals(Memory.TOPICS)),
                        jsonValue(2)).ofMaxSize(4)).as((sourceType, topics, extra) -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put(Memory.SOURCE_TYPE, sourceType);
                            m.put(Memory.TOPICS, topics);
                            m.putAll(extra);
                            return m;
                        });
        Arbitrary<Double> importance = Arbitraries.oneOf(Arbitraries.doubles().between(0, 1),
                Arbitraries.of(0.0, -0.0, 1.0, 1e-300, 1e300, Double.MIN_VALUE, -5.5, 123456789.125));
        return Combinators.combine(text(), timestamp(), importance, metadata).as(Memory::new);
    }

    static Arbitrary<Turn> turn() {
        return Combinators.combine(Arbitraries.oneOf(Arbitraries.of("user", "assistant", "system", ""), text()),
                text()).as(Turn::new);
    }

    /** @return snapshots with generated content; the id is a valid one, the session up to a thousand years long */
    static Arbitrary<MemorySnapshot> snapshot() {
        Arbitrary<String> ids = Arbitraries.integers().between(0, Integer.MAX_VALUE)
                .map(n -> String.format("snapshot_20250426_123456_%08x", n));
        Arbitrary<Map<String, Memory>> memories = Arbitraries.maps(text(), memory()).ofMaxSize(8)
                .map(LinkedHashMap::new);
        return Combinators.combine(ids, timestamp(), turn().list().ofMaxSize(12), memories,
                        Arbitraries.longs().between(0, 1000L * 365 * 24 * 3600), text().injectNull(0.5))
                .as((id, at, turns, mems, sessionSeconds, tool) -> Snapshots.of(id, at, turns,
                        sessionStart(at, sessionSeconds), mems, tool));
    }

    /** {@code seconds} before {@code at}, but not before year -9999, where the generated timestamps start. */
    private static LocalDateTime sessionStart(LocalDateTime at, long seconds) {
        LocalDateTime start = at.minusSeconds(seconds).truncatedTo(ChronoUnit.MICROS);
        return start.getYear() < -9999 ? LocalDateTime.of(-9999, 1, 1, 0, 0) : start;
    }

    /** A conversation as a host makes it through the facade. */
    record Conversation(List<Turn> turns, List<Memory> memories) {
    }

    static Arbitrary<Conversation> conversation() {
        return Combinators.combine(turn().list().ofMaxSize(20), memory().list().ofMaxSize(10))
                .as(Conversation::new);
    }
}
