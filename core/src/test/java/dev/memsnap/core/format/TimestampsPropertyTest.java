package dev.memsnap.core.format;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hand-written timestamp formatter and parser against {@code java.time}, which they replace for speed: the same
 * text for every date-time {@link LocalDateTime} can hold, and the same value (or the same refusal) for every text
 * of the form the format and the seed's files use, fraction of any length included.
 */
class TimestampsPropertyTest {
    private static final DateTimeFormatter JAVA_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

    @Property(tries = 5000)
    void writesWhatJavaTimeWritesOverTheWholeRange(@ForAll("anyDateTime") LocalDateTime t) {
        assertEquals(JAVA_TIME.format(t), Timestamps.format(t));
    }

    @Property(tries = 5000)
    void writesWhatJavaTimeWritesInTheFourDigitYears(@ForAll("fourDigitYears") LocalDateTime t) {
        assertEquals(JAVA_TIME.format(t), Timestamps.format(t));
        assertEquals(t.truncatedTo(ChronoUnit.MICROS), Timestamps.parse(Timestamps.format(t)));
    }

    @Property(tries = 5000)
    void readsWhatJavaTimeReads(@ForAll("timestampLikeText") String text) {
        assertEquals(javaTime(text), outcome(() -> Timestamps.parse(text)));
    }

    @Example
    void theExtremesOfTheRangeRoundTrip() {
        for (LocalDateTime t : new LocalDateTime[]{LocalDateTime.MIN, LocalDateTime.MAX,
                LocalDateTime.of(0, 1, 1, 0, 0), LocalDateTime.of(-1, 12, 31, 23, 59, 59, 999_999_000),
                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999), LocalDateTime.of(10_000, 1, 1, 0, 0)}) {
            assertEquals(JAVA_TIME.format(t), Timestamps.format(t));
            assertEquals(t.truncatedTo(ChronoUnit.MICROS), Timestamps.parse(Timestamps.format(t)));
        }
    }

    @Provide
    Arbitrary<LocalDateTime> anyDateTime() {
        long min = LocalDateTime.MIN.toEpochSecond(ZoneOffset.UTC);
        long max = LocalDateTime.MAX.toEpochSecond(ZoneOffset.UTC);
        return Combinators.combine(Arbitraries.longs().between(min, max), Arbitraries.integers().between(0, 999_999_999))
                .as((seconds, nanos) -> LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC));
    }

    @Provide
    Arbitrary<LocalDateTime> fourDigitYears() {
        long min = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        long max = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);
        return Combinators.combine(Arbitraries.longs().between(min, max), Arbitraries.integers().between(0, 999_999_999))
                .as((seconds, nanos) -> LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC));
    }

    /**
     * Texts shaped like {@code yyyy-MM-ddTHH:mm:ss[.f{0,10}]}, with fields that are often out of range and now and
     * then a character that is not a digit, so that both the values and the refusals are compared.
     */
    @Provide
    Arbitrary<String> timestampLikeText() {
        Arbitrary<String> year = Arbitraries.integers().between(0, 9999).map(y -> String.format("%04d", y));
        Arbitrary<String> month = Arbitraries.integers().between(0, 13).map(m -> String.format("%02d", m));
        Arbitrary<String> day = Arbitraries.integers().between(0, 32).map(d -> String.format("%02d", d));
        Arbitrary<String> hour = Arbitraries.integers().between(0, 25).map(h -> String.format("%02d", h));
        Arbitrary<String> minSec = Arbitraries.integers().between(0, 61).map(m -> String.format("%02d", m));
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(10)
                .map(f -> "." + f).injectNull(0.3).map(f -> f == null ? "" : f);
        Arbitrary<String> text = Combinators.combine(year, month, day, hour, minSec, minSec, fraction)
                .as((y, mo, d, h, mi, s, f) -> y + "-" + mo + "-" + d + "T" + h + ":" + mi + ":" + s + f);
        Arbitrary<Character> stray = Arbitraries.of('x', ' ', '-', ':', '.', '+', 'Z', '/');
        return Combinators.combine(text, Arbitraries.integers().between(0, 40), stray)
                .as((t, at, c) -> at < t.length() && at % 4 == 0 ? t.substring(0, at) + c + t.substring(at + 1) : t);
    }

    /** @return the value, or the kind of failure: what two parsers are compared on */
    private static Object outcome(java.util.function.Supplier<LocalDateTime> parse) {
        try {
            return parse.get();
        } catch (DateTimeParseException e) {
            return "refused";
        }
    }

    /** What {@link Timestamps#parse} promises, in {@code java.time}: a local date-time, or one with an offset. */
    private static Object javaTime(String text) {
        Object local = outcome(() -> LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        Object offset = outcome(() -> java.time.OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        return local instanceof LocalDateTime ? local : offset;
    }
}
