package dev.memsnap.core.format;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TimestampsTest {
    @ParameterizedTest
    @CsvSource({
            "2025-04-26T12:34:56.789012, 2025-04-26T12:34:56.789012",
            "2025-04-26T12:34:56, 2025-04-26T12:34:56",
            "2025-04-26T12:34:56.7, 2025-04-26T12:34:56.700",
            "2025-04-26T12:34:56.123456789, 2025-04-26T12:34:56.123456789",
            "2025-04-26T12:34, 2025-04-26T12:34",
            "2025-04-26T12:34:56Z, 2025-04-26T12:34:56",
            "2025-04-26T14:34:56.5+02:00, 2025-04-26T12:34:56.5",
    })
    void readsThePythonFormAndOtherIsoForms(String text, String expected) {
        assertEquals(LocalDateTime.parse(expected), Timestamps.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-02-30T00:00:00", "2025-13-01T00:00:00", "2025-04-26T24:00:00", "2025-04-26 12:34:56",
            "2025-04-26T12:34:5x", "yesterday", ""})
    void refusesWhatIsNotATimestamp(String text) {
        assertThrows(DateTimeParseException.class, () -> Timestamps.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-04-26T12:34:56.789012", "0001-01-01T00:00:00.000000", "9999-12-31T23:59:59.999999"})
    void writesWhatItReads(String text) {
        assertEquals(text, Timestamps.format(Timestamps.parse(text)));
    }
}
