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
    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

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
     * @param timestamp a timestamp
     * @return its text in the snapshot format
     */
    public static String format(LocalDateTime timestamp) {
        return WRITE.format(timestamp);
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
