package dev.memsnap.core.format;

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
        if (timestamp.getYear() < 0 || timestamp.getYear() > 9999) {
            return WRITE.format(timestamp); // a sign and more digits: rare enough for the general formatter
        }
        char[] text = new char[LENGTH];
        formatInto(timestamp, text);
        return new String(text);
    }

    /** The length of a timestamp in the snapshot format with a four-digit year. */
    static final int LENGTH = 26;

    /**
     * Writes a timestamp in the snapshot format into {@code into[0, LENGTH)}, for a writer that copies the characters
     * out at once, without a {@code String}; by hand, as the general formatter was a third of a save's CPU.
     *
     * @param timestamp a timestamp
     * @param into      at least {@link #LENGTH} characters
     * @return whether it was written: {@code false} for a year outside 0 to 9999 ({@link #format} writes those)
     */
    static boolean formatInto(LocalDateTime timestamp, char[] into) {
        int year = timestamp.getYear();
        if (year < 0 || year > 9999) {
            return false;
        }
        put4(into, 0, year);
        into[4] = '-';
        put2(into, 5, timestamp.getMonthValue());
        into[7] = '-';
        put2(into, 8, timestamp.getDayOfMonth());
        into[10] = 'T';
        put2(into, 11, timestamp.getHour());
        into[13] = ':';
        put2(into, 14, timestamp.getMinute());
        into[16] = ':';
        put2(into, 17, timestamp.getSecond());
        into[19] = '.';
        int micros = timestamp.getNano() / 1000; // the format keeps microseconds; finer digits are dropped
        put2(into, 20, micros / 10_000);
        put4(into, 22, micros % 10_000);
        return true;
    }

    private static void put2(char[] b, int at, int value) {
        b[at] = (char) ('0' + value / 10);
        b[at + 1] = (char) ('0' + value % 10);
    }

    private static void put4(char[] b, int at, int value) {
        put2(b, at, value / 100);
        put2(b, at + 2, value % 100);
    }

    /**
     * The form nearly every timestamp has, {@code yyyy-MM-ddTHH:mm:ss[.f...]}, read without the general parser, which
     * costs more than the rest of reading a memory, and from the parser's own characters, without a {@code String}.
     *
     * @param t    the characters
     * @param from where the text starts
     * @param n    its length
     * @return the timestamp, or {@code null} to let {@link #parse} decide (and explain)
     */
    static LocalDateTime parseCommonForm(char[] t, int from, int n) {
        if (n < 19 || n == 20 || n > 29 || t[from + 4] != '-' || t[from + 7] != '-' || t[from + 10] != 'T'
                || t[from + 13] != ':' || t[from + 16] != ':' || (n > 19 && t[from + 19] != '.')) {
            return null;
        }
        int year = digits(t, from, 4);
        int month = digits(t, from + 5, 2);
        int day = digits(t, from + 8, 2);
        int hour = digits(t, from + 11, 2);
        int minute = digits(t, from + 14, 2);
        int second = digits(t, from + 17, 2);
        int nanos = 0;
        if (n > 19) {
            int fraction = digits(t, from + 20, n - 20);
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

    /** @return the decimal value of the {@code length} characters at {@code from}, or -1 when one is not a digit */
    private static int digits(char[] t, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = t[i];
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
        LocalDateTime fast = text.length() > 29 ? null : parseCommonForm(text.toCharArray(), 0, text.length());
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
