package dev.memsnap.core.prune;

import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrunerTest {
    /**
     * Snapshots spread over four months, named by their time. s1..s12 run back from 2025-04-30 12:00:
     * <pre>
     * s1  2025-04-30 12:00   s2  2025-04-30 11:30   s3  2025-04-30 10:00   s4  2025-04-29 23:00
     * s5  2025-04-29 08:00   s6  2025-04-27 09:00   s7  2025-04-21 09:00   s8  2025-04-14 09:00
     * s9  2025-03-31 09:00   s10 2025-03-02 09:00   s11 2025-02-10 09:00   s12 2025-01-05 09:00 (pinned)
     * </pre>
     * ISO weeks: s1-s6 in 2025-W18 (s6 is Sunday 27th: W17), s7 W17, s8 W16, s9 W14.
     */
    private static final List<StoredSnapshot> STORE = List.of(
            s(1, "2025-04-30T12:00"), s(2, "2025-04-30T11:30"), s(3, "2025-04-30T10:00"), s(4, "2025-04-29T23:00"),
            s(5, "2025-04-29T08:00"), s(6, "2025-04-27T09:00"), s(7, "2025-04-21T09:00"), s(8, "2025-04-14T09:00"),
            s(9, "2025-03-31T09:00"), s(10, "2025-03-02T09:00"), s(11, "2025-02-10T09:00"),
            pinned(s(12, "2025-01-05T09:00")));

    private static StoredSnapshot s(int n, String time) {
        String id = String.format("snapshot_20250101_000000_%08x", n);
        return new StoredSnapshot(new SnapshotMetadata(id, LocalDateTime.parse(time), 1, 1, 1), 1000,
                SnapshotTags.NONE);
    }

    private static StoredSnapshot pinned(StoredSnapshot s) {
        return new StoredSnapshot(s.metadata(), s.storedBytes(), new SnapshotTags(Set.of("keep"), true));
    }

    private static RetentionPolicy policy(int last, Duration within, int hourly, int daily, int weekly, int monthly,
                                          long maxBytes) {
        return new RetentionPolicy(last, within, hourly, daily, weekly, monthly, maxBytes);
    }

    static Stream<Arguments> policies() {
        return Stream.of(
                Arguments.of("keep all when no rule is set", RetentionPolicy.KEEP_ALL,
                        Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)),
                Arguments.of("last 3", policy(3, null, 0, 0, 0, 0, 0), Set.of(1, 2, 3, 12)),
                Arguments.of("within 1 day of the newest", policy(0, Duration.ofDays(1), 0, 0, 0, 0, 0),
                        Set.of(1, 2, 3, 4, 12)),
                Arguments.of("hourly 3: newest of 12:00, 11:00, 10:00", policy(0, null, 3, 0, 0, 0, 0),
                        Set.of(1, 2, 3, 12)),
                Arguments.of("daily 3: 30th, 29th, 27th", policy(0, null, 0, 3, 0, 0, 0), Set.of(1, 4, 6, 12)),
                Arguments.of("weekly 3: W18, W17, W16", policy(0, null, 0, 0, 3, 0, 0), Set.of(1, 6, 8, 12)),
                Arguments.of("monthly 4: Apr, Mar, Feb, Jan", policy(0, null, 0, 0, 0, 4, 0),
                        Set.of(1, 9, 11, 12)),
                Arguments.of("rules combine", policy(2, null, 0, 2, 0, 2, 0), Set.of(1, 2, 4, 9, 12)),
                Arguments.of("size cap alone drops the oldest unpinned", policy(0, null, 0, 0, 0, 0, 4000),
                        Set.of(1, 2, 3, 12)),
                Arguments.of("size cap over rules, never the newest", policy(0, null, 0, 0, 0, 12, 500),
                        Set.of(1, 12)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void keepsExactlyTheExpectedSurvivors(String name, RetentionPolicy policy, Set<Integer> survivors) {
        PrunePlan plan = Pruner.plan(STORE, policy);
        Set<Integer> kept = new TreeSet<>();
        plan.keep().forEach(d -> kept.add(Integer.parseInt(d.snapshot().snapshotId().substring(25), 16)));
        assertEquals(new TreeSet<>(survivors), kept);
        assertEquals(STORE.size(), plan.keep().size() + plan.remove().size());
        assertEquals(1000L * plan.remove().size(), plan.bytesFreed());
    }

    @org.junit.jupiter.api.Test
    void aProtectedSnapshotIsKeptWhateverTheRules() {
        StoredSnapshot oldestUnpinned = STORE.get(10);
        PrunePlan plan = Pruner.plan(STORE, policy(1, null, 0, 0, 0, 0, 1), LocalDateTime.parse("2025-05-01T00:00"),
                Set.of(oldestUnpinned.snapshotId()));
        assertEquals(Set.of(STORE.get(0).snapshotId(), oldestUnpinned.snapshotId(), STORE.get(11).snapshotId()),
                plan.keep().stream().map(d -> d.snapshot().snapshotId()).collect(java.util.stream.Collectors.toSet()),
                "the newest, the protected one (even over max_total_size) and the pinned one");
    }

    @org.junit.jupiter.api.Test
    void snapshotsDatedAfterNowAreKeptAndSteerNoRule() {
        StoredSnapshot future = s(99, "2099-01-01T00:00");
        List<StoredSnapshot> store = new java.util.ArrayList<>(STORE);
        store.add(future);
        // Now is 10:30 on the 30th: keep_within 1h counts back from s2 (11:30 is later than now, so from s3 at 10:00).
        PrunePlan plan = Pruner.plan(store, policy(0, Duration.ofHours(1), 0, 0, 0, 0, 0),
                LocalDateTime.parse("2025-04-30T10:30"), Set.of());
        assertEquals(Set.of(future.snapshotId(), STORE.get(0).snapshotId(), STORE.get(1).snapshotId(),
                        STORE.get(2).snapshotId(), STORE.get(11).snapshotId()),
                plan.keep().stream().map(d -> d.snapshot().snapshotId()).collect(java.util.stream.Collectors.toSet()));
    }
}
