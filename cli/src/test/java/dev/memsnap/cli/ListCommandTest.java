package dev.memsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.Memory;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.memsnap.cli.Fixtures.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code list} and its filters over a store of 304 snapshots: 300 generated ones every 6 hours from 2025-01-01, whose
 * content follows from their number (turns i % 5, memories i % 4, see {@link TestSnapshots#snapshot}), and 4 written
 * by hand to be searched for. Every expectation is an exact list of ids, newest first.
 */
class ListCommandTest {
    private static final int N = 300;
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 1, 1, 0, 0);
    private static final LocalDateTime X1_TIME = LocalDateTime.of(2025, 2, 10, 3, 17);
    private static final String X1 = id(X1_TIME, 0x1000);
    private static final String X2 = id(LocalDateTime.of(2025, 2, 11, 4, 0), 0x1001);
    private static final String X3 = id(LocalDateTime.of(2025, 2, 12, 5, 0), 0x1002);
    private static final String X4 = id(LocalDateTime.of(2025, 2, 13, 6, 0), 0x1003);
    private static final Map<String, LocalDateTime> TIMES = new java.util.HashMap<>();

    @TempDir
    static Path dir;

    static LocalDateTime time(int i) {
        return T0.plusHours(6L * i);
    }

    static String gen(int i) {
        return id(time(i), i);
    }

    @BeforeAll
    static void fillStore() {
        SnapshotStore store = Fixtures.store(dir, SnapshotCodec.plain());
        for (int i = 0; i < N; i++) {
            store.save(TestSnapshots.snapshot(gen(i), time(i), i % 5, i % 4));
            TIMES.put(gen(i), time(i));
            Set<String> labels = new java.util.TreeSet<>();
            if (i % 50 == 0) {
                labels.add("release");
            }
            if (i % 100 == 0) {
                labels.add("keep");
            }
            boolean pinned = i == 7 || i == 123;
            if (!labels.isEmpty() || pinned) {
                store.setTags(gen(i), new SnapshotTags(labels, pinned));
            }
        }
        save(store, X1, X1_TIME, List.of(new Turn("user", "Does Alice like green tea?"), new Turn("assistant", "Yes.")),
                Fixtures.memories("memory_1", Memory.of("Alice drinks green tea every morning", X1_TIME, 0.9,
                        "preference", List.of("drinks", "alice"))));
        store.setTags(X1, new SnapshotTags(Set.of(), true));
        LocalDateTime t2 = LocalDateTime.of(2025, 2, 11, 4, 0);
        save(store, X2, t2, List.of(new Turn("user", "GREEN TEA or coffee?")), Map.of());
        LocalDateTime t3 = LocalDateTime.of(2025, 2, 12, 5, 0);
        save(store, X3, t3, List.of(), Fixtures.memories(
                "memory_1", Memory.of("Trip to Kyoto in April", t3, 0.95, "plan", List.of("travel")),
                "memory_2", Memory.of("Prefers window seats", t3, 0.4, "preference", List.of("travel"))));
        store.setTags(X3, new SnapshotTags(Set.of("keep"), false));
        LocalDateTime t4 = LocalDateTime.of(2025, 2, 13, 6, 0);
        save(store, X4, t4, List.of(new Turn("user", "Where did I go in 2019?")), Fixtures.memories(
                "memory_1", Memory.of("Visited Kyoto in 2019", t4, 0.3, "fact", List.of("travel"))));
    }

    private static void save(SnapshotStore store, String id, LocalDateTime t, List<Turn> turns,
                             Map<String, Memory> memories) {
        store.save(Fixtures.snapshot(id, t, turns, memories));
        TIMES.put(id, t);
    }

    /** @return the generated snapshots whose number passes, plus the hand-written ones given, newest first */
    private static List<String> expected(IntPredicate generated, String... handWritten) {
        List<String> ids = new ArrayList<>();
        IntStream.range(0, N).filter(generated).forEach(i -> ids.add(gen(i)));
        ids.addAll(List.of(handWritten));
        ids.sort(Comparator.comparing((String id) -> TIMES.get(id)).thenComparing(id -> id).reversed());
        return ids;
    }

    private static IntPredicate between(LocalDateTime from, LocalDateTime to) {
        return i -> !time(i).isBefore(from) && !time(i).isAfter(to);
    }

    static Stream<Arguments> filters() {
        IntPredicate none = i -> false;
        return Stream.of(
                Arguments.of(List.of(), expected(i -> true, X1, X2, X3, X4)),
                // --text: any turn or memory, case-insensitive
                Arguments.of(List.of("--text", "green tea"), List.of(X2, X1)),
                Arguments.of(List.of("--text", "GREEN TEA"), List.of(X2, X1)),
                Arguments.of(List.of("--text", "kyoto"), List.of(X4, X3)),
                Arguments.of(List.of("--text", "turn 3 of"), expected(i -> i % 5 == 4)),
                Arguments.of(List.of("--text", "of " + gen(1)), List.of(gen(1))),
                Arguments.of(List.of("--text", "nowhere to be found"), List.of()),
                // memory criteria: topic, source type, importance; together, one memory must meet them all
                Arguments.of(List.of("--topic", "topic2"), expected(i -> i % 4 == 3)),
                Arguments.of(List.of("--topic", "travel"), List.of(X4, X3)),
                Arguments.of(List.of("--source-type", "preference"), expected(i -> i % 4 >= 2, X1, X3)),
                Arguments.of(List.of("--source-type", "plan"), List.of(X3)),
                Arguments.of(List.of("--min-importance", "0.2"), expected(i -> i % 4 == 3, X1, X3, X4)),
                Arguments.of(List.of("--min-importance", "0.9"), List.of(X3, X1)),
                Arguments.of(List.of("--topic", "travel", "--source-type", "fact"), List.of(X4)),
                Arguments.of(List.of("--topic", "travel", "--min-importance", "0.5"), List.of(X3)),
                Arguments.of(List.of("--topic", "topic1", "--source-type", "fact"), List.of()),
                Arguments.of(List.of("--topic", "topic2", "--source-type", "fact", "--min-importance", "0.2"),
                        expected(i -> i % 4 == 3)),
                // time: dates cover whole days, bounds are inclusive, an offset is converted to UTC
                Arguments.of(List.of("--from", "2025-03-01"),
                        expected(between(LocalDateTime.of(2025, 3, 1, 0, 0), LocalDateTime.MAX))),
                Arguments.of(List.of("--to", "2025-01-01"), expected(i -> i < 4)),
                Arguments.of(List.of("--from", "2025-02-10T03:17:00", "--to", "2025-02-12"),
                        expected(between(X1_TIME, LocalDateTime.of(2025, 2, 13, 0, 0).minusNanos(1)), X1, X2, X3)),
                Arguments.of(List.of("--from", "2025-03-16T20:00:00+02:00"), List.of(gen(299))),
                Arguments.of(List.of("--from", "2025-01-02T06:00:00.000000", "--to", "2025-01-02T12:00"),
                        List.of(gen(6), gen(5))),
                // labels (all of them) and pins
                Arguments.of(List.of("--label", "release"), expected(i -> i % 50 == 0)),
                Arguments.of(List.of("--label", "release", "--label", "keep"), expected(i -> i % 100 == 0)),
                Arguments.of(List.of("--label", "keep", "--topic", "travel"), List.of(X3)),
                Arguments.of(List.of("--label", "nobody-uses-this"), List.of()),
                Arguments.of(List.of("--pinned"), expected(i -> i == 7 || i == 123, X1)),
                Arguments.of(List.of("--pinned", "--text", "green"), List.of(X1)),
                // everything at once
                Arguments.of(List.of("--from", "2025-02-01", "--to", "2025-02-28", "--source-type", "preference",
                                "--min-importance", "0.1"),
                        expected(between(LocalDateTime.of(2025, 2, 1, 0, 0), LocalDateTime.of(2025, 3, 1, 0, 0))
                                .and(i -> i % 4 >= 2), X1, X3)),
                Arguments.of(List.of("--to", "2024-12-31"), expected(none)));
    }

    @ParameterizedTest(name = "list {0}")
    @MethodSource("filters")
    void filtersFindExactlyTheExpectedSnapshots(List<String> filter, List<String> expectedIds) {
        List<String> args = new ArrayList<>(List.of("list", "--json", "--dir", dir.toString()));
        args.addAll(filter);
        Cli.Result result = new Cli().run(args.toArray(String[]::new));
        assertEquals(0, result.code(), result::toString);
        assertEquals("", result.err());
        assertEquals(expectedIds, Fixtures.ids(result.out()));
    }

    @Test
    void jsonHasEveryFieldOfAListedSnapshot() throws Exception {
        Cli.Result result = new Cli().run("list", "--json", "--pinned", "--to", "2025-01-03", "--dir", dir.toString());
        JsonNode s = Fixtures.json(result.out()).get(0);
        assertEquals(gen(7), s.get("snapshot_id").asText());
        assertEquals("2025-01-02T18:00:00.000000", s.get("timestamp").asText());
        // the one vocabulary of snapshot metadata, as the events, the dashboard and the audit log write it
        assertEquals(2, s.get("short_term_turns").asInt());
        assertEquals(3, s.get("long_term_memories").asInt());
        assertEquals(4, s.get("topics").asInt()); // topic0, user, topic1, topic2
        assertEquals(Files.size(dir.resolve(gen(7) + ".json")), s.get("stored_bytes").asLong());
        assertEquals(0, s.get("labels").size());
        assertTrue(s.get("pinned").asBoolean());
        assertEquals(8, s.size(), s::toString);

        JsonNode labelled = Fixtures.json(new Cli().run("list", "--json", "--label", "keep", "--to", "2025-01-01",
                "--dir", dir.toString()).out()).get(0);
        assertEquals(List.of("keep", "release"), List.of(labelled.get("labels").get(0).asText(),
                labelled.get("labels").get(1).asText()));
    }

    @Test
    void textIsATableWithASummary() {
        Cli.Result result = new Cli().run("list", "--pinned", "--dir", dir.toString());
        assertEquals(0, result.code(), result::toString);
        List<String> lines = result.out().lines().toList();
        assertEquals(List.of("ID", "TAKEN", "TURNS", "MEMORIES", "TOPICS", "SIZE", "LABELS", "PIN"),
                List.of(lines.get(0).split("\\s+")));
        assertTrue(lines.get(1).startsWith(X1 + "  2025-02-10 03:17:00 UTC"), lines.get(1));
        assertEquals(List.of(X1, "2025-02-10", "03:17:00", "UTC", "2", "1", "2", "1.3", "KB", "-", "yes"),
                List.of(lines.get(1).split("\\s+")));
        assertEquals(5, lines.size(), result::toString); // header, 3 rows, summary
        assertTrue(lines.get(4).startsWith("3 snapshots, "), lines.get(4));

        assertEquals("no snapshots match\n", new Cli().run("list", "--text", "nowhere", "--dir", dir.toString()).out());
        // a time as the table shows it is a time --from and --to take
        assertEquals(List.of(X1), Fixtures.ids(new Cli().run("list", "--json", "--from", "2025-02-10 03:17:00 UTC",
                "--to", "2025-02-10 03:17:00 UTC", "--dir", dir.toString()).out()));
    }

    @Test
    void aMalformedTimeIsAUsageError() {
        Cli.Result result = new Cli().run("list", "--from", "last tuesday", "--dir", dir.toString());
        assertEquals(2, result.code());
        assertTrue(result.err().startsWith("memsnap: "), result.err());
        assertTrue(result.err().contains("expected an ISO date"), result.err());
        assertEquals("", result.out());
    }
}
