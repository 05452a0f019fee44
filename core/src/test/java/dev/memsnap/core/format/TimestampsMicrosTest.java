package dev.memsnap.core.format;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The microsecond count a turn reads for its automatic snapshot dates it exactly as {@link Timestamps#now} would. */
class TimestampsMicrosTest {
    @Test
    void aCaptureTimeReadAsMicrosecondsIsTheTimeNowGives() {
        for (String at : new String[] {"2026-12-03T08:00:00.123456789Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999999Z", "1901-05-06T07:08:09.000001Z", "9999-12-31T23:59:59.999999Z"}) {
            for (ZoneId zone : new ZoneId[] {ZoneOffset.UTC, ZoneId.of("Asia/Kathmandu")}) {
                Clock clock = Clock.fixed(Instant.parse(at), zone);
                long micros = Timestamps.nowMicros(clock);
                assertEquals(Timestamps.now(clock), Timestamps.ofEpochMicros(micros), at + " in " + zone);
                assertEquals(micros, Timestamps.epochMicros(Timestamps.now(clock)), at);
            }
        }
    }

    @Test
    void aTimestampTooFarFromNineteenSeventyCountsAsTheFarthestMicrosecond() {
        assertEquals(Long.MIN_VALUE, Timestamps.epochMicros(LocalDateTime.MIN));
        assertEquals(Long.MAX_VALUE, Timestamps.epochMicros(LocalDateTime.MAX));
        assertEquals(1, Timestamps.epochMicros(LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1_999)));
    }
}
