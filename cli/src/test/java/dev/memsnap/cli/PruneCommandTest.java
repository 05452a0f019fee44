package dev.memsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code prune}, table-driven: twelve snapshots from January to March 2025, s2 pinned, all the same size; each policy
 * with the exact set it keeps. Every case first runs as a dry run, which must report the same and delete nothing.
 */
class PruneCommandTest {
    /** s1..s12, oldest first. 2025-03-10 is a Monday (ISO week 11); 03-09 is the Sunday of week 10. */
    private static final LocalDateTime[] TIMES = {
            LocalDateTime.of(2025, 1, 5, 10, 0),   // s1
            LocalDateTime.of(2025, 1, 20, 10, 0),  // s2, pinned
            LocalDateTime.of(2025, 2, 3, 9, 0),    // s3
            LocalDateTime.of(2025, 2, 3, 15, 0),   // s4
            LocalDateTime.of(2025, 2, 17, 12, 0),  // s5
            LocalDateTime.of(2025, 3, 1, 8, 0),    // s6
            LocalDateTime.of(2025, 3, 1, 20, 0),   // s7
            LocalDateTime.of(2025, 3, 2, 8, 0),    // s8
            LocalDateTime.of(2025, 3, 9, 10, 0),   // s9
            LocalDateTime.of(2025, 3, 10, 10, 0),  // s10
            LocalDateTime.of(2025, 3, 10, 10, 30), // s11
            LocalDateTime.of(2025, 3, 10, 11, 15), // s12, newest
    };

    @TempDir
    Path dir;
    @TempDir
    Path configDir;

    long size;

    static String s(int n) {
        return Fixtures.id(TIMES[n - 1], n);
    }

    @BeforeEach
    void store() throws Exception {
        SnapshotStore store = Fixtures.store(dir, SnapshotCodec.plain());
        for (int n = 1; n <= TIMES.length; n++) {
            store.save(TestSnapshots.snapshot(s(n), TIMES[n - 1], 2, 2));
        }
        store.setTags(s(2), new SnapshotTags(Set.of("first"), true));
        size = Files.size(dir.resolve(s(1) + ".json"));
        for (int n = 1; n <= TIMES.length; n++) {
            assertEquals(size, Files.size(dir.resolve(s(n) + ".json")), "the size cap cases need equal sizes");
        }
    }

    static Stream<Arguments> policies() {
        return Stream.of(
                Arguments.of(List.of("--keep-last", "3"), List.of(12, 11, 10, 2)),
                Arguments.of(List.of("--keep-last", "100"), List.of(12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)),
                Arguments.of(List.of("--keep-within", "1d"), List.of(12, 11, 10, 2)),
                Arguments.of(List.of("--keep-within", "9d"), List.of(12, 11, 10, 9, 8, 7, 2)),
                Arguments.of(List.of("--keep-within", "1d2h"), List.of(12, 11, 10, 9, 2)),
                // restic's units: m is a month (30 days back: from 2025-02-08 11:15), minutes are min
                Arguments.of(List.of("--keep-within", "1m"), List.of(12, 11, 10, 9, 8, 7, 6, 5, 2)),
                Arguments.of(List.of("--keep-within", "90min"), List.of(12, 11, 10, 2)),
                Arguments.of(List.of("--keep-within", "1y"), List.of(12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)),
                Arguments.of(List.of("--keep-hourly", "2"), List.of(12, 11, 2)),
                Arguments.of(List.of("--keep-hourly", "3"), List.of(12, 11, 9, 2)),
                Arguments.of(List.of("--keep-daily", "3"), List.of(12, 9, 8, 2)),
                Arguments.of(List.of("--keep-weekly", "3"), List.of(12, 9, 8, 2)),
                Arguments.of(List.of("--keep-weekly", "4"), List.of(12, 9, 8, 5, 2)),
                Arguments.of(List.of("--keep-monthly", "2"), List.of(12, 5, 2)),
                Arguments.of(List.of("--keep-monthly", "12"), List.of(12, 5, 2)),
                Arguments.of(List.of("--keep-last", "2", "--keep-monthly", "3"), List.of(12, 11, 5, 2)),
                Arguments.of(List.of("--keep-daily", "2", "--keep-hourly", "2"), List.of(12, 11, 9, 2)),
                // the size cap: oldest unpinned first, never the newest; sizes are in bytes here
                Arguments.of(List.of("--max-total-size", "SIZE*3"), List.of(12, 11, 2)),
                Arguments.of(List.of("--keep-last", "5", "--max-total-size", "SIZE*4"), List.of(12, 11, 10, 2)),
                Arguments.of(List.of("--max-total-size", "1"), List.of(12, 2)),
                // from the config file; rule options replace it entirely
                Arguments.of(List.of("CONFIG"), List.of(12, 9, 8, 2)),
                Arguments.of(List.of("CONFIG", "--keep-last", "1"), List.of(12, 2)));
    }

    @ParameterizedTest(name = "prune {0} keeps {1}")
    @MethodSource("policies")
    void eachPolicyKeepsExactlyItsSnapshotsAndPins(List<String> policy, List<Integer> survivors) throws Exception {
        List<String> args = new ArrayList<>(List.of("prune", "--json", "--dir", dir.toString()));
        for (String arg : policy) {
            if (arg.equals("CONFIG")) {
                Path config = configDir.resolve("config.yaml");
                Files.writeString(config, "memory:\n  retention:\n    keep_daily: 3\n");
                args.addAll(List.of("--config", config.toString()));
            } else if (arg.startsWith("SIZE*")) {
                args.add(String.valueOf(size * Integer.parseInt(arg.substring(5))));
            } else {
                args.add(arg);
            }
        }
        Set<String> kept = survivors.stream().map(PruneCommandTest::s).collect(Collectors.toCollection(TreeSet::new));
        Set<String> pruned = IntStream.rangeClosed(1, TIMES.length).mapToObj(PruneCommandTest::s)
                .filter(id -> !kept.contains(id)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> all = Fixtures.files(dir);

        List<String> dryArgs = new ArrayList<>(args);
        dryArgs.add("--dry-run");
        Cli.Result dry = new Cli().run(dryArgs.toArray(String[]::new));
        assertEquals(0, dry.code(), dry::toString);
        JsonNode plan = Fixtures.json(dry.out());
        assertTrue(plan.get("dry_run").asBoolean());
        assertEquals(pruned, ids(plan.get("pruned")));
        assertEquals(kept, ids(plan.get("kept")));
        assertEquals(all, Fixtures.files(dir), "a dry run deletes nothing");

        Cli.Result result = new Cli().run(args.toArray(String[]::new));
        assertEquals(0, result.code(), result::toString);
        assertEquals("", result.err());
        JsonNode done = Fixtures.json(result.out());
        assertEquals(false, done.get("dry_run").asBoolean());
        assertEquals(pruned, ids(done.get("pruned")));
        assertEquals(pruned.size() * size, done.get("bytes_freed").asLong());
        assertEquals(kept.stream().map(id -> id + ".json").collect(Collectors.toCollection(TreeSet::new)),
                Fixtures.files(dir));
        JsonNode pinned = Fixtures.json(new Cli().run("list", "--json", "--pinned", "--dir", dir.toString()).out());
        assertEquals(1, pinned.size(), "the pin survives");
        assertEquals(s(2), pinned.get(0).get("snapshot_id").asText());
        assertEquals("first", pinned.get(0).get("labels").get(0).asText());
    }

    @Test
    void textSaysWhatGoesAndWhyAndVerboseWhatStays() {
        Cli.Result dry = new Cli().run("prune", "--keep-daily", "3", "--dry-run", "--dir", dir.toString());
        assertEquals(0, dry.code(), dry::toString);
        List<String> lines = dry.out().lines().toList();
        assertEquals(List.of("ACTION", "ID", "TAKEN", "SIZE", "WHY"), List.of(lines.get(0).split("\\s+")));
        assertTrue(lines.get(1).startsWith("would prune  " + s(11) + "  2025-03-10 10:30:00 UTC"), lines.get(1));
        assertTrue(lines.get(1).endsWith("no rule keeps it"), lines.get(1));
        assertEquals(1 + 8 + 1, lines.size(), dry::toString);
        assertTrue(lines.get(9).startsWith("dry run: would prune 8 snapshots ("), lines.get(9));
        assertTrue(lines.get(9).endsWith(") and keep 4; nothing was deleted"), lines.get(9));

        Cli.Result verbose = new Cli().run("prune", "-v", "--keep-daily", "3", "--dir", dir.toString());
        assertEquals(0, verbose.code(), verbose::toString);
        List<String> v = verbose.out().lines().toList();
        assertTrue(v.get(1).startsWith("keep    " + s(12)), v.get(1));
        assertTrue(v.get(1).endsWith("daily 2025-03-10"), v.get(1));
        assertTrue(v.stream().anyMatch(l -> l.startsWith("keep    " + s(2)) && l.endsWith("pinned")), verbose::toString);
        assertTrue(v.stream().anyMatch(l -> l.startsWith("pruned  " + s(1))), verbose::toString);
        assertTrue(v.get(v.size() - 1).matches("pruned 8 snapshots \\(.* KB\\), kept 4"), v.get(v.size() - 1));
    }

    @Test
    void noRuleAtAllIsRefusedNotIgnored() {
        Set<String> before = Fixtures.files(dir);
        for (String[] args : List.of(new String[] {"prune", "--dir", dir.toString()},
                new String[] {"prune", "--keep-last", "0", "--dir", dir.toString()})) {
            Cli.Result result = new Cli().run(args);
            assertEquals(2, result.code(), result::toString);
            assertTrue(result.err().startsWith("memsnap: no retention rule: set memory.retention in the config "
                    + "file, or give --keep-last"), result.err());
            assertEquals("", result.out());
        }
        Cli.Result negative = new Cli().run("prune", "--keep-last", "-1", "--dir", dir.toString());
        assertEquals(2, negative.code());
        assertEquals(before, Fixtures.files(dir));
        Cli.Result badSpan = new Cli().run("prune", "--keep-within", "a week", "--dir", dir.toString());
        assertEquals(2, badSpan.code());
        assertTrue(badSpan.err().contains("expected a duration in restic's units y, m (months), w, d, h"),
                badSpan.err());
    }

    @Test
    void anUnreadableSnapshotIsNeverPrunedAndIsReported() throws Exception {
        Path damaged = dir.resolve(s(1) + ".json");
        Files.write(damaged, java.util.Arrays.copyOf(Files.readAllBytes(damaged), 100));
        Cli.Result result = new Cli().run("prune", "--keep-last", "1", "--dir", dir.toString());
        assertEquals(4, result.code(), result::toString);
        assertTrue(result.err().contains("memsnap: left alone, unreadable: " + s(1) + ": "), result.err());
        assertTrue(result.err().contains(damaged.toString()), result.err());
        assertEquals(new TreeSet<>(List.of(s(1) + ".json", s(2) + ".json", s(12) + ".json")), Fixtures.files(dir));
    }

    private static Set<String> ids(JsonNode decisions) {
        Set<String> ids = new TreeSet<>();
        decisions.forEach(d -> ids.add(d.get("snapshot_id").asText()));
        return ids;
    }
}
