package dev.memsnap.core.tools;

import dev.memsnap.api.InvalidSnapshotIdException;
import dev.memsnap.api.SnapshotNotFoundException;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotRefResolverTest {
    private static final String A = "snapshot_20250426_123456_1a2b3c4d";
    private static final String B = "snapshot_20250426_123456_1a2bffff"; // same second as A, later timestamp
    private static final String C = "snapshot_20250427_090000_c0ffee00";
    private static final String D = "snapshot_20240101_000000_20250000"; // hex part starts like a year
    private static final List<String> IDS = List.of(A, C, B, D);
    private static final Map<String, LocalDateTime> TIMES = Map.of(
            A, LocalDateTime.parse("2025-04-26T12:34:56.100"),
            B, LocalDateTime.parse("2025-04-26T12:34:56.900"));

    private static String resolve(String ref) {
        return SnapshotRefResolver.resolve(ref, IDS, TIMES::get);
    }

    @Test
    void aFullIdIsItselfWithoutLooking() {
        assertEquals("snapshot_20990101_000000_00000000",
                SnapshotRefResolver.resolve("snapshot_20990101_000000_00000000", List.of(), id -> {
                    throw new AssertionError("looked up " + id);
                }));
    }

    @Test
    void latestCountsBackFromTheNewestBySecondThenTimestamp() {
        assertEquals(C, resolve("latest"));
        assertEquals(C, resolve("latest~0"));
        assertEquals(B, resolve("latest~1"));
        assertEquals(A, resolve("latest~2"));
        assertEquals(D, resolve("latest~3"));
        SnapshotNotFoundException past = assertThrows(SnapshotNotFoundException.class, () -> resolve("latest~4"));
        assertTrue(past.getMessage().contains("latest~3 is the oldest"), past.getMessage());
        assertThrows(SnapshotNotFoundException.class,
                () -> SnapshotRefResolver.resolve("latest", List.of(), id -> null));
    }

    @Test
    void timestampsAreAskedOnlyForSnapshotsOfTheSameSecond() {
        List<String> asked = new ArrayList<>();
        SnapshotRefResolver.resolve("latest", IDS, id -> {
            asked.add(id);
            return TIMES.get(id);
        });
        assertTrue(List.of(A, B).containsAll(asked) && !asked.isEmpty(), asked.toString());
    }

    @Test
    void aUniquePrefixOfTheHexOrTimePart() {
        assertEquals(C, resolve("c0ff"));
        assertEquals(A, resolve("1a2b3"));
        assertEquals(C, resolve("20250427"));
        assertEquals(C, resolve("snapshot_20250427"));
        assertEquals(A, resolve("20250426_123456_1a2b3"));
        assertEquals(D, resolve("2024"));
    }

    @Test
    void anAmbiguousPrefixListsTheCandidatesNewestFirst() {
        InvalidSnapshotIdException e = assertThrows(InvalidSnapshotIdException.class, () -> resolve("1a2b"));
        assertEquals("snapshot prefix 1a2b is ambiguous: it matches 2 snapshots: " + B + ", " + A
                + "; give more characters", e.getMessage());
        // Digits only: a time prefix of A, B and C and a hex prefix of D.
        InvalidSnapshotIdException digits = assertThrows(InvalidSnapshotIdException.class, () -> resolve("2025"));
        assertTrue(digits.getMessage().contains("matches 4 snapshots"), digits.getMessage());
    }

    @Test
    void manyCandidatesAreCutShort() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ids.add(String.format("snapshot_20250426_1200%02d_abcd%04x", i, i));
        }
        InvalidSnapshotIdException e = assertThrows(InvalidSnapshotIdException.class,
                () -> SnapshotRefResolver.resolve("abcd", ids, id -> null));
        assertTrue(e.getMessage().contains("matches 25 snapshots") && e.getMessage().endsWith(
                " and 15 more; give more characters"), e.getMessage());
    }

    @Test
    void noMatchIsNotFoundAndAnythingElseIsNotAnId() {
        assertThrows(SnapshotNotFoundException.class, () -> resolve("dead"));
        assertThrows(InvalidSnapshotIdException.class, () -> resolve("abc")); // too short
        assertThrows(InvalidSnapshotIdException.class, () -> resolve("../x"));
        assertFalse(SnapshotRefResolver.isShortRef(A));
        assertFalse(SnapshotRefResolver.isShortRef("backup.json"));
        assertFalse(SnapshotRefResolver.isShortRef("ABCD")); // ids are lowercase
        assertTrue(SnapshotRefResolver.isShortRef("latest~12"));
    }
}
