package dev.memsnap.core.format;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps as the snapshot format writes them: ISO-8601 local date-time with microseconds and no zone, like
 * Python's {@code datetime.isoformat()} ({@code 2025-04-26T12:34:56.789012}). memsnap writes UTC wall-clock time.
 */
public final class Timestamps {
    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

    private Timestamps() {
    }

    /**
     * @param clock the clock
     * @return now, to the microsecond, which is all the format keeps
     */
    public static LocalDateTime now(Clock clock) {
        return LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * {@link #now} as a number, without building a date: what a turn that takes an automatic snapshot reads, since
     * {@code java.time}'s date arithmetic is cold code on a turn that runs a few times a minute.
     *
     * @param clock the clock
     * @return now, in microseconds since 1970-01-01T00:00 UTC
     * @throws ArithmeticException when the clock is more than about 292,000 years from 1970
     */
    public static long nowMicros(Clock clock) {
        java.time.Instant now = clock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
    }

    /**
     * @param epochMicros microseconds since 1970-01-01T00:00 UTC, as {@link #nowMicros} gives
     * @return that time as {@link #now} gives it
     */
    public static LocalDateTime ofEpochMicros(long epochMicros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                (int) Math.floorMod(epochMicros, 1_000_000L) * 1_000, ZoneOffset.UTC);
    }

    /**
     * @param timestamp a timestamp, read as UTC
     * @return it in microseconds since 1970-01-01T00:00 UTC (nanoseconds dropped), or {@link Long#MIN_VALUE} /
     *         {@link Long#MAX_VALUE} for one too far from 1970 to be counted so
     */
    public static long epochMicros(LocalDateTime timestamp) {
        try {
            return Math.addExact(Math.multiplyExact(timestamp.toEpochSecond(ZoneOffset.UTC), 1_000_000L),
                    timestamp.getNano() / 1_000);
        } catch (ArithmeticException tooFar) {
            return timestamp.getYear() < 1970 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * @param timestamp a timestamp
     * @return its text in the snapshot format
     */
    public static String format(LocalDateTime timestamp) {
        int year = timestamp.getYear();
        if (year < 0 || year > 9999) {
            return WRITE.format(timestamp); // a sign and more digits: rare enough for the general formatter
        }
        // by hand: the general formatter was a third of a save's CPU
        byte[] b = new byte[26];
        put4(b, 0, year);
        b[4] = '-';
        put2(b, 5, timestamp.getMonthValue());
        b[7] = '-';
        put2(b, 8, timestamp.getDayOfMonth());
        b[10] = 'T';
        put2(b, 11, timestamp.getHour());
        b[13] = ':';
        put2(b, 14, timestamp.getMinute());
        b[16] = ':';
        put2(b, 17, timestamp.getSecond());
        b[19] = '.';
        int micros = timestamp.getNano() / 1000; // the format keeps microseconds; finer digits are dropped
        put2(b, 20, micros / 10_000);
        put4(b, 22, micros % 10_000);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static void put2(byte[] b, int at, int value) {
        b[at] = (byte) ('0' + value / 10);
        b[at + 1] = (byte) ('0' + value % 10);
    }

    private static void put4(byte[] b, int at, int value) {
        put2(b, at, value / 100);
        put2(b, at + 2, value % 100);
    }

    /**
     * The form nearly every timestamp has, {@code yyyy-MM-ddTHH:mm:ss[.f...]}, read without the general parser, which
     * costs more than the rest of reading a memory.
     *
     * @return the timestamp, or {@code null} to let the general parser decide (and explain)
     */
    private static LocalDateTime parseCommonForm(String t) {
        int n = t.length();
        if (n < 19 || n == 20 || n > 29 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':' || (n > 19 && t.charAt(19) != '.')) {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int nanos = 0;
        if (n > 19) {
            int fraction = digits(t, 20, n);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = n - 20; i < 9; i++) {
                nanos *= 10;
            }
        }
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        } catch (java.time.DateTimeException outOfRange) {
            return null;
        }
    }

    /** @return the decimal value of {@code t[from, to)}, or -1 when any of it is not a digit */
    private static int digits(String t, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Reads a timestamp. Besides the format's own form it accepts any fraction length, and a zone offset (as other
     * tools may write one), which it converts to UTC.
     *
     * @param text the text
     * @return the timestamp
     * @throws DateTimeParseException when it is not an ISO-8601 date-time
     */
    public static LocalDateTime parse(String text) {
        LocalDateTime fast = parseCommonForm(text);
        if (fast != null) {
            return fast;
        }
        try {
            return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        } catch (DateTimeParseException local) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            } catch (DateTimeParseException offset) {
                throw local;
            }
        }
    }
}
