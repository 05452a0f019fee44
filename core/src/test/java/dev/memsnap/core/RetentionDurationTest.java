package dev.memsnap.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code keep_within} and {@code --keep-within} read durations in restic's units: {@code 1m} is a month. */
class RetentionDurationTest {
    @Test
    void resticsUnitsWithMonthsAndYearsOfFixedLength() {
        assertEquals(Duration.ofDays(30), MemoryConfig.parseDuration("1m"));
        assertEquals(Duration.ofDays(365 + 2 * 30 + 7 + 3).plusHours(4), MemoryConfig.parseDuration("1y2m1w3d4h"));
        assertEquals(Duration.ofDays(14), MemoryConfig.parseDuration("2w"));
        assertEquals(Duration.ofHours(36), MemoryConfig.parseDuration(" 36H "));
    }

    @Test
    void minutesAndSecondsAreSpelledSoTheyCannotBeMistakenForMonths() {
        assertEquals(Duration.ofMinutes(90), MemoryConfig.parseDuration("90min"));
        assertEquals(Duration.ofHours(1).plusMinutes(30).plusSeconds(5), MemoryConfig.parseDuration("1h30min5s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m", "7", "a week", "1mo", "1d 2", "-1d", "1.5d"})
    void anythingElseIsRefusedNamingTheUnits(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryConfig.parseDuration(text));
        assertTrue(e.getMessage().contains("restic's units y, m (months), w, d, h"), e.getMessage());
    }

    @Test
    void anAbsurdlyLongSpanIsRefusedNotOverflowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryConfig.parseDuration("999999999999y"));
        assertTrue(e.getMessage().startsWith("duration too long"), e.getMessage());
    }

    @Test
    void theConfigKeyReadsTheSameUnits() {
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  retention:\n    keep_within: 1m\n");
        assertEquals(Duration.ofDays(30), config.memory().retention().keepWithin());
    }
}
