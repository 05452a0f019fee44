package dev.memsnap.cli;

import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.format.Timestamps;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;

/** Option values memsnap reads the way its config file does. A bad value is a usage error (exit 2). */
final class Converters {
    private Converters() {
    }

    /**
     * Every path option and parameter: never empty, which {@link Path#of} would silently take for the working
     * directory ({@code --dir ''} from an unset shell variable, say).
     */
    static final class NonEmptyPath implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (value.isEmpty()) {
                throw new TypeConversionException("an empty path (give . for the working directory)");
            }
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw new TypeConversionException("not a valid path: " + e.getReason());
            }
        }
    }

    private static LocalDateTime time(String text, boolean endOfDay) {
        if (text.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC")) { // as text output shows times
            text = text.substring(0, 19).replace(' ', 'T');
        }
        try {
            LocalDate date = LocalDate.parse(text);
            return endOfDay ? date.atTime(LocalTime.MAX) : date.atStartOfDay();
        } catch (DateTimeParseException notADate) {
            try {
                return Timestamps.parse(text);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("expected an ISO date (2025-04-26) or date-time "
                        + "(2025-04-26T12:00:00, UTC unless an offset is given, or 2025-04-26 12:00:00 UTC as "
                        + "list shows it), got \"" + text + "\"");
            }
        }
    }

    /** {@code --from}: a date-time, or a date meaning its first instant. */
    static final class From implements ITypeConverter<LocalDateTime> {
        @Override
        public LocalDateTime convert(String text) {
            return time(text, false);
        }
    }

    /** {@code --to}: a date-time, or a date meaning its last instant, so that the whole day is included. */
    static final class To implements ITypeConverter<LocalDateTime> {
        @Override
        public LocalDateTime convert(String text) {
            return time(text, true);
        }
    }

    /** A duration as the config's {@code keep_within} takes it, in restic's units: {@code 7d}, {@code 2w}, {@code 6m}. */
    static final class Span implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            try {
                return MemoryConfig.parseDuration(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A size as the config's {@code max_total_size} takes it: {@code 500MB}, {@code 2GiB}, bytes. */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            try {
                return MemoryConfig.parseSize(text);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new TypeConversionException(e.getMessage() == null ? "too large: " + text : e.getMessage());
            }
        }
    }

    /** A {@code memory.compression} value: {@code none}, {@code gzip} or {@code zstd}. */
    static final class CompressionName implements ITypeConverter<Compression> {
        @Override
        public Compression convert(String text) {
            try {
                return Compression.parse(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
