package dev.memsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.SnapshotStores;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command works on the store {@code memory.store} names, not only on the file store: a subclass per store gives
 * the config, and the commands list, show, diff, verify, label, pin, prune, export, import and rekey must round-trip
 * snapshots through it. The snapshots are put in and checked through core's {@link SnapshotStores}, as a host would,
 * never through the command line under test.
 */
abstract class ConfiguredStoreContract {
    static final LocalDateTime T = LocalDateTime.of(2025, 9, 1, 8, 0);
    static final String A = Fixtures.id(T, 0);
    static final String B = Fixtures.id(T.plusHours(1), 1);
    static final String C = Fixtures.id(T.plusHours(2), 2);

    @TempDir
    Path work;

    /** The config file naming the store under test. */
    Path config;
    final Map<String, MemorySnapshot> saved = new TreeMap<>();

    /**
     * @param name which store: {@code store}, or another name for a second, empty store of the same kind
     * @return a {@code config.yaml} whose {@code memory:} section names the store under test
     */
    abstract String configYaml(String name);

    /** @return the {@code memory.store} name under test */
    abstract String storeName();

    /** @return how the command line names where that store keeps snapshots, in "imported 3 snapshots into ..." */
    abstract String where(String name);

    @BeforeEach
    void threeSnapshotsInTheConfiguredStore() {
        config = configFile("store");
        withStore(config, store -> {
            for (int i = 0; i < 3; i++) {
                MemorySnapshot s = TestSnapshots.snapshot(Fixtures.id(T.plusHours(i), i), T.plusHours(i), 2 + i,
                        1 + 2 * i);
                store.save(s);
                saved.put(s.snapshotId(), s);
            }
        });
    }

    @Test
    void listShowDiffAndVerifyReadTheConfiguredStore() {
        Cli.Result list = run("list", "--json");
        assertEquals(0, list.code(), list::toString);
        assertEquals(List.of(C, B, A), Fixtures.ids(list.out()));
        JsonNode newest = Fixtures.json(list.out()).get(0);
        assertEquals(4, newest.get("short_term_turns").asInt(), newest::toString);
        assertEquals(5, newest.get("long_term_memories").asInt(), newest::toString);
        assertEquals("2025-09-01T10:00:00.000000", newest.get("timestamp").asText());

        Cli.Result table = run("list");
        assertEquals(0, table.code(), table::toString);
        assertTrue(table.out().contains("\n3 snapshots, "), table::toString);

        Cli.Result show = run("show", B);
        assertEquals(0, show.code(), show::toString);
        assertTrue(show.out().startsWith("snapshot   " + B + "\n"), show::toString);
        Cli.Result json = run("show", B, "--json");
        assertEquals(0, json.code(), json::toString);
        assertEquals(new String(new SnapshotJson().toBytes(saved.get(B)), StandardCharsets.UTF_8) + "\n",
                json.out());

        Cli.Result diff = run("diff", A, B);
        assertEquals(1, diff.code(), diff::toString);
        assertTrue(diff.out().startsWith(A + " -> " + B + "\n"), diff::toString);
        assertEquals(0, run("diff", B, B).code());

        Cli.Result verify = run("verify", "--json");
        assertEquals(0, verify.code(), verify::toString);
        JsonNode report = Fixtures.json(verify.out());
        assertEquals(3, report.get("checked").asInt());
        assertEquals(3, report.get("intact").asInt());
    }

    @Test
    void labelPinAndPruneChangeTheConfiguredStore() {
        Cli.Result label = run("label", A, "--add", "keep", "--add", "first");
        assertEquals(0, label.code(), label::toString);
        assertEquals(A + ": labels first, keep; not pinned\n", label.out());
        Cli.Result pin = run("pin", A);
        assertEquals(0, pin.code(), pin::toString);
        assertEquals(List.of(A), Fixtures.ids(run("list", "--json", "--label", "keep", "--pinned").out()));

        Cli.Result prune = run("prune", "--keep-last", "1", "--json");
        assertEquals(0, prune.code(), prune::toString);
        JsonNode plan = Fixtures.json(prune.out());
        assertEquals(List.of(B), ids(plan.get("pruned")));
        assertEquals(Set.of(A, C), new TreeSet<>(ids(plan.get("kept"))));
        JsonNode decision = plan.get("pruned").get(0);
        assertEquals(3, decision.get("short_term_turns").asInt(), decision::toString);
        assertEquals(3, decision.get("long_term_memories").asInt(), decision::toString);

        withStore(config, store -> {
            assertEquals(Set.of(A, C), new TreeSet<>(store.storedIds()));
            assertEquals(new SnapshotTags(Set.of("keep", "first"), true), store.tags(A));
        });
        assertEquals(List.of(C, A), Fixtures.ids(run("list", "--json").out()));
    }

    @Test
    void exportAndImportRoundTripSnapshotsLabelsAndPins() {
        assertEquals(0, run("label", A, "--add", "exported").code());
        assertEquals(0, run("pin", C).code());
        Path exported = work.resolve("exported");
        Cli.Result export = run("export", "--to", exported.toString());
        assertEquals(0, export.code(), export::toString);
        assertEquals("exported 3 snapshots to " + exported + " (plain JSON)\n", export.out());
        assertEquals(saved.keySet().stream().map(id -> id + ".json").collect(Collectors.toCollection(TreeSet::new)),
                Fixtures.files(exported), "a file store: one snapshot file each");
        SnapshotStore files = Fixtures.store(exported, SnapshotCodec.plain());
        for (var e : saved.entrySet()) {
            assertEquals(e.getValue(), files.read(e.getKey()).orElseThrow(), e.getKey());
        }
        assertEquals(new SnapshotTags(Set.of("exported"), false), files.tags(A));

        Path restoredConfig = configFile("restored");
        Cli.Result imported = new Cli().run("import", exported.toString(), "--config", restoredConfig.toString(),
                "--json");
        assertEquals(0, imported.code(), imported::toString);
        JsonNode report = Fixtures.json(imported.out());
        assertEquals(3, report.get("copied").asInt());
        assertEquals(storeName(), report.get("store").asText());
        assertEquals(0, report.get("failures").size());
        assertSameAsSaved(restoredConfig, Map.of(A, new SnapshotTags(Set.of("exported"), false),
                C, new SnapshotTags(Set.of(), true)));

        Cli.Result text = new Cli().run("import", exported.toString(), "--config", restoredConfig.toString());
        assertEquals("imported 3 snapshots into " + where("restored") + " (plain JSON)\n", text.out());
    }

    @Test
    void exportAndImportAnIncrementalDirectoryOnTheWay() {
        assertEquals(0, run("pin", B).code());
        Path exported = work.resolve("exported-incremental");
        Cli.Result export = run("export", "--to", exported.toString(), "--to-store", "incremental");
        assertEquals(0, export.code(), export::toString);
        assertTrue(Files.isDirectory(exported.resolve("manifests")), "the incremental layout");

        Path restoredConfig = configFile("restored");
        Cli.Result imported = new Cli().run("import", exported.toString(), "--from-store", "incremental",
                "--config", restoredConfig.toString());
        assertEquals(0, imported.code(), imported::toString);
        assertSameAsSaved(restoredConfig, Map.of(B, new SnapshotTags(Set.of(), true)));
    }

    @Test
    void rekeyReencryptsTheConfiguredStore() {
        Path key = work.resolve("new.key");
        Fixtures.keyFile(key);
        String keyId = SnapshotCodec.plain().withKeys(Fixtures.ring(key)).writeKeyId();
        Cli.Result rekey = run("rekey", "--new-key-file", key.toString());
        assertEquals(0, rekey.code(), rekey::toString);
        assertTrue(rekey.out().startsWith("re-encrypted 3 snapshots in " + where("store") + " under key " + keyId
                + " (key file " + key + ")\n"), rekey::toString);

        Cli.Result withKey = run("verify", "--key-file", key.toString());
        assertEquals(0, withKey.code(), withKey::toString);
        Cli.Result withoutKey = run("verify");
        assertEquals(1, withoutKey.code(), "encrypted now, so unreadable without the key: " + withoutKey);
        assertEquals(List.of(C, B, A), Fixtures.ids(run("list", "--json", "--key-file", key.toString()).out()));
        assertEquals(new String(new SnapshotJson().toBytes(saved.get(A)), StandardCharsets.UTF_8) + "\n",
                run("show", A, "--json", "--key-file", key.toString()).out());
    }

    // ------------------------------------------------------------------------------------------------ memory ids

    static final String ALICE = "alice@example.com";
    /** A memory id that would climb out of the snapshot directory if it were used as a path. */
    static final String HOSTILE = "../../etc";
    static final String AL1 = Fixtures.id(T.plusHours(3), 0xa1);
    static final String AL2 = Fixtures.id(T.plusHours(4), 0xa2);
    static final String AL3 = Fixtures.id(T.plusHours(5), 0xa3);
    static final String AL4 = Fixtures.id(T.plusHours(6), 0xa4);
    static final String ORPHAN = Fixtures.id(T.plusMinutes(150), 0xa0);
    static final String GONE = Fixtures.id(T.minusDays(1), 0xff);
    static final String EVIL = Fixtures.id(T.plusHours(1), 0xe1);

    /**
     * Alice's history: AL1, then AL2; then AL1 applied again and AL3, AL4 on from it (a branch); and ORPHAN, whose
     * parent was pruned. One snapshot of the hostile memory id. Added to the three of the default memory.
     */
    final Map<String, MemorySnapshot> alice = new TreeMap<>();

    void twoMoreMemories() {
        withStore(config, store -> {
            for (MemorySnapshot s : List.of(
                    TestSnapshots.snapshot(AL1, T.plusHours(3), 1, 1).withLineage(ALICE, null),
                    TestSnapshots.snapshot(AL2, T.plusHours(4), 2, 1).withLineage(ALICE, AL1),
                    TestSnapshots.snapshot(AL3, T.plusHours(5), 3, 2).withLineage(ALICE, AL1),
                    TestSnapshots.snapshot(AL4, T.plusHours(6), 4, 2).withLineage(ALICE, AL3),
                    TestSnapshots.snapshot(ORPHAN, T.plusMinutes(150), 2, 3).withLineage(ALICE, GONE))) {
                store.save(s);
                alice.put(s.snapshotId(), s);
            }
            store.save(TestSnapshots.snapshot(EVIL, T.plusHours(1), 1, 1).withLineage(HOSTILE, null));
        });
    }

    @Test
    void everyCommandSeesOneMemoryOnlyUnlessAskedForAll() {
        twoMoreMemories();
        assertEquals(List.of(C, B, A), Fixtures.ids(run("list", "--json").out()), "the default memory's only");
        Cli.Result aliceList = run("list", "--json", "--memory", ALICE);
        assertEquals(0, aliceList.code(), aliceList::toString);
        assertEquals(List.of(AL4, AL3, AL2, AL1, ORPHAN), Fixtures.ids(aliceList.out()));
        JsonNode newest = Fixtures.json(aliceList.out()).get(0);
        assertEquals(ALICE, newest.get("memory_id").asText(), newest::toString);
        assertEquals(AL3, newest.get("parent_snapshot_id").asText(), newest::toString);
        assertEquals(List.of(EVIL), Fixtures.ids(run("list", "--json", "--memory", HOSTILE).out()));
        assertEquals(List.of(AL4, AL3, AL2, AL1, ORPHAN, C, EVIL, B, A),
                Fixtures.ids(run("list", "--json", "--all-memories").out()));
        Cli.Result table = run("list", "--all-memories");
        assertTrue(table.out().matches("(?s)MEMORY +ID +TAKEN .*"), table::toString);
        assertTrue(table.out().contains("\n" + ALICE + "  " + AL4 + "  "), table::toString);
        assertTrue(table.out().matches("(?s).*\n9 snapshots, [^\n]+, 3 memories\n"), table::toString);

        Cli.Result elsewhere = run("show", AL2);
        assertEquals(3, elsewhere.code(), elsewhere::toString);
        assertEquals("memsnap: no stored snapshot with id " + AL2 + " in memory \"default\"; it is a snapshot of "
                + "memory \"" + ALICE + "\" (give --memory)\n", elsewhere.err());
        Cli.Result notAlices = run("show", A, "--memory", ALICE);
        assertEquals(3, notAlices.code(), notAlices::toString);
        Cli.Result show = run("show", AL2, "--memory", ALICE, "--json");
        assertEquals(0, show.code(), show::toString);
        assertEquals(new String(new SnapshotJson().toBytes(alice.get(AL2)), StandardCharsets.UTF_8) + "\n",
                show.out());
        assertTrue(run("show", AL2, "--memory", ALICE).out().contains("\nmemory     " + ALICE + "\nparent     " + AL1
                + "\n"));
        assertEquals(1, run("diff", AL1, AL2, "--memory", ALICE).code());
        assertEquals(3, run("diff", A, AL2).code(), "one memory's ids only");

        assertEquals(3, Fixtures.json(run("verify", "--json").out()).get("checked").asInt());
        JsonNode aliceVerify = Fixtures.json(run("verify", "--json", "--memory", ALICE).out());
        assertEquals(5, aliceVerify.get("checked").asInt(), aliceVerify::toString);
        assertEquals(ALICE, aliceVerify.get("memory_id").asText());
        JsonNode all = Fixtures.json(run("verify", "--json", "--all-memories").out());
        assertEquals(9, all.get("intact").asInt(), all::toString);
        assertTrue(all.get("memory_id").isNull());

        Cli.Result wrongMemory = run("pin", AL1);
        assertEquals(3, wrongMemory.code(), wrongMemory::toString);
        assertEquals(0, run("pin", AL1, "--memory", ALICE).code());
        Cli.Result label = run("label", AL3, "--add", "release", "--memory", ALICE, "--json");
        assertEquals(0, label.code(), label::toString);
        withStore(config, store -> {
            assertEquals(new SnapshotTags(Set.of(), true), store.tags(AL1));
            assertEquals(new SnapshotTags(Set.of("release"), false), store.tags(AL3));
        });
        assertEquals(List.of(AL1), Fixtures.ids(run("list", "--json", "--memory", ALICE, "--pinned").out()));
    }

    @Test
    void memoriesListsEachMemoryWithItsCountAndSize() {
        twoMoreMemories();
        Cli.Result json = run("memories", "--json");
        assertEquals(0, json.code(), json::toString);
        JsonNode memories = Fixtures.json(json.out());
        List<String> ids = new ArrayList<>();
        memories.forEach(m -> ids.add(m.get("memory_id").asText()));
        assertEquals(List.of(HOSTILE, ALICE, "default"), ids, "sorted");
        assertEquals(List.of(1, 5, 3), List.of(memories.get(0).get("snapshots").asInt(),
                memories.get(1).get("snapshots").asInt(), memories.get(2).get("snapshots").asInt()));
        long bytes = 0;
        for (JsonNode m : memories) {
            assertTrue(m.get("stored_bytes").asLong() > 0, m::toString);
            bytes += m.get("stored_bytes").asLong();
        }
        Cli.Result text = run("memories");
        assertEquals(0, text.code(), text::toString);
        String[] lines = text.out().split("\n");
        assertTrue(lines[0].matches("MEMORY +SNAPSHOTS +SIZE"), text::toString);
        assertTrue(lines[1].startsWith(HOSTILE + " "), text::toString);
        assertTrue(lines[2].startsWith(ALICE + " "), text::toString);
        assertTrue(lines[3].startsWith("default "), text::toString);
        assertEquals("3 memories, 9 snapshots, " + Text.size(bytes), lines[4]);
    }

    @Test
    void logDrawsTheTreeOfParentLinksNewestBranchFirst() {
        twoMoreMemories();
        assertEquals(0, run("pin", AL1, "--memory", ALICE).code());
        assertEquals(0, run("label", AL3, "--add", "release", "--memory", ALICE).code());
        Cli.Result log = run("log", "--memory", ALICE);
        assertEquals(0, log.code(), log::toString);
        assertEquals(""
                + "* " + AL4 + "  2025-09-01 14:00:00 UTC  4 turns, 2 memories\n"
                + "* " + AL3 + "  2025-09-01 13:00:00 UTC  3 turns, 2 memories  (labels: release)\n"
                + "| * " + AL2 + "  2025-09-01 12:00:00 UTC  2 turns, 1 memory\n"
                + "|/\n"
                + "* " + AL1 + "  2025-09-01 11:00:00 UTC  1 turn, 1 memory  (pinned)\n"
                + "* " + ORPHAN + "  2025-09-01 10:30:00 UTC  2 turns, 3 memories  (parent " + GONE
                + " not stored)\n", log.out());

        Cli.Result json = run("log", "--memory", ALICE, "--json");
        assertEquals(0, json.code(), json::toString);
        JsonNode tree = Fixtures.json(json.out());
        assertEquals(ALICE, tree.get("memory_id").asText());
        JsonNode nodes = tree.get("nodes");
        assertEquals(List.of(AL4, AL3, AL2, AL1, ORPHAN), ids(nodes));
        JsonNode al1 = nodes.get(3);
        assertTrue(al1.get("parent_snapshot_id").isNull(), al1::toString);
        assertTrue(al1.get("root").asBoolean());
        assertTrue(al1.get("pinned").asBoolean());
        assertEquals(List.of(AL3, AL2), strings(al1.get("children")), "newest branch first");
        assertEquals(1, al1.get("short_term_turns").asInt());
        assertEquals("2025-09-01T11:00:00.000000", al1.get("timestamp").asText());
        JsonNode al3 = nodes.get(1);
        assertEquals(AL1, al3.get("parent_snapshot_id").asText());
        assertFalse(al3.get("root").asBoolean());
        assertEquals(List.of("release"), strings(al3.get("labels")));
        assertEquals(List.of(AL4), strings(al3.get("children")));
        JsonNode orphan = nodes.get(4);
        assertEquals(GONE, orphan.get("parent_snapshot_id").asText(), "the recorded parent, though not stored");
        assertTrue(orphan.get("root").asBoolean());

        Cli.Result defaults = run("log");
        assertEquals("* " + C + "  2025-09-01 10:00:00 UTC  4 turns, 5 memories\n"
                + "* " + B + "  2025-09-01 09:00:00 UTC  3 turns, 3 memories\n"
                + "* " + A + "  2025-09-01 08:00:00 UTC  2 turns, 1 memory\n", defaults.out(),
                "snapshots without parents are roots each");
        assertEquals("no snapshots\n", run("log", "--memory", "nobody").out());
    }

    @Test
    void pruneAndRetentionApplyToEachMemoryOnItsOwn() {
        twoMoreMemories();
        Cli.Result dry = run("prune", "--keep-last", "2", "--dry-run", "--json");
        assertEquals(0, dry.code(), dry::toString);
        JsonNode plan = Fixtures.json(dry.out());
        assertEquals("default", plan.get("memory_id").asText());
        assertEquals(List.of(A), ids(plan.get("pruned")), "the default memory's plan only");

        Cli.Result aliceOnly = run("prune", "--keep-last", "2", "--memory", ALICE, "--json");
        assertEquals(0, aliceOnly.code(), aliceOnly::toString);
        assertEquals(List.of(AL2, AL1, ORPHAN), ids(Fixtures.json(aliceOnly.out()).get("pruned")));
        withStore(config, store -> {
            assertEquals(List.of(AL4, AL3), store.list(ALICE).stream().map(m -> m.snapshotId()).toList());
            assertEquals(3, store.list("default").size(), "another memory's are untouched");
        });

        Cli.Result each = run("prune", "--keep-last", "1", "--all-memories", "--json");
        assertEquals(0, each.code(), each::toString);
        JsonNode eachPlan = Fixtures.json(each.out());
        assertTrue(eachPlan.get("memory_id").isNull());
        assertEquals(Set.of(AL3, B, A), new TreeSet<>(ids(eachPlan.get("pruned"))));
        assertEquals(Set.of(AL4, C, EVIL), new TreeSet<>(ids(eachPlan.get("kept"))),
                "the newest of each memory, not the newest one of all");
        withStore(config, store -> assertEquals(Set.of(AL4, C, EVIL), new TreeSet<>(store.storedIds())));

        Cli.Result text = run("prune", "--keep-last", "1", "--all-memories", "--dry-run", "-v");
        assertTrue(text.out().startsWith("MEMORY "), text::toString);
        assertTrue(text.out().endsWith("dry run: would prune 0 snapshots (0 B) and keep 3 in 3 memories; "
                + "nothing was deleted\n"), text::toString);
    }

    @Test
    void exportAndImportKeepMemoryIds() throws Exception {
        twoMoreMemories();
        Path aliceOnly = work.resolve("alice-only");
        Cli.Result export = run("export", "--to", aliceOnly.toString(), "--memory", ALICE);
        assertEquals(0, export.code(), export::toString);
        assertEquals("exported 5 snapshots of memory \"" + ALICE + "\" to " + aliceOnly + " (plain JSON)\n",
                export.out());
        SnapshotStore files = Fixtures.store(aliceOnly, SnapshotCodec.plain());
        assertEquals(List.of(), files.list("default"));
        assertEquals(alice.keySet(), files.list(ALICE).stream().map(m -> m.snapshotId())
                .collect(Collectors.toCollection(TreeSet::new)));

        Path everything = work.resolve("everything");
        assertEquals(0, run("pin", AL1, "--memory", ALICE).code());
        Cli.Result all = run("export", "--to", everything.toString(), "--all-memories", "--json");
        assertEquals(0, all.code(), all::toString);
        assertEquals(9, Fixtures.json(all.out()).get("copied").asInt());

        Path restoredConfig = configFile("restored");
        Cli.Result defaultOnly = new Cli().run("import", everything.toString(), "--config",
                restoredConfig.toString(), "--json");
        assertEquals(0, defaultOnly.code(), defaultOnly::toString);
        assertEquals(3, Fixtures.json(defaultOnly.out()).get("copied").asInt(), "the default memory's only");
        Cli.Result rest = new Cli().run("import", everything.toString(), "--config", restoredConfig.toString(),
                "--all-memories", "--json");
        assertEquals(0, rest.code(), rest::toString);
        assertEquals(9, Fixtures.json(rest.out()).get("copied").asInt());
        withStore(restoredConfig, store -> {
            assertEquals(List.of(HOSTILE, ALICE, "default"), store.memoryIds());
            for (var e : alice.entrySet()) {
                assertEquals(e.getValue(), store.read(ALICE, e.getKey()).orElseThrow(), e.getKey());
            }
            assertEquals(new SnapshotTags(Set.of(), true), store.tags(AL1));
            assertEquals(HOSTILE, store.read(HOSTILE, EVIL).orElseThrow().memoryId());
        });

        Path file = work.resolve(AL2 + ".json");
        Files.write(file, new SnapshotJson().toBytes(alice.get(AL2)));
        Path fresh = configFile("fresh");
        Cli.Result refused = new Cli().run("import", file.toString(), "--config", fresh.toString());
        assertEquals(2, refused.code(), refused::toString);
        assertTrue(refused.err().startsWith("memsnap: " + file + " holds a snapshot of memory \"" + ALICE
                + "\", not of memory \"default\": give --memory " + ALICE + ", or --all-memories"), refused::toString);
        Cli.Result accepted = new Cli().run("import", file.toString(), "--config", fresh.toString(), "--memory",
                ALICE);
        assertEquals(0, accepted.code(), accepted::toString);
        withStore(fresh, store -> {
            assertEquals(List.of(ALICE), store.memoryIds(), "nothing of the refused run, the file's memory kept");
            assertEquals(alice.get(AL2), store.read(ALICE, AL2).orElseThrow());
        });
    }

    @Test
    void aMemoryIdThatIsNoneIsAUsageError() {
        for (String[] args : List.of(new String[] {"list", "--memory", ""},
                new String[] {"log", "--memory", "a\u0001b"},
                new String[] {"show", A, "--memory", "x".repeat(201)},
                new String[] {"prune", "--keep-last", "1", "--memory", "\u0000"})) {
            Cli.Result result = run(args);
            assertEquals(2, result.code(), result::toString);
            assertTrue(result.err().startsWith("memsnap: Invalid value for option '--memory': not a memory id: "),
                    result::toString);
            assertFalse(result.err().contains("\u0001") || result.err().contains("\u0000"), "escaped");
        }
        Cli.Result both = run("list", "--memory", ALICE, "--all-memories");
        assertEquals(2, both.code(), both::toString);
        assertTrue(both.err().startsWith("memsnap: give --memory ID or --all-memories, not both\n"), both::toString);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    Cli.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--config");
        all.add(config.toString());
        return new Cli().run(all.toArray(String[]::new));
    }

    Path configFile(String name) {
        Path file = work.resolve(name + ".yaml");
        try {
            Files.writeString(file, configYaml(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Runs {@code check} on the store a config names, opened as a host opens it. */
    void withStore(Path configFile, Consumer<SnapshotStore> check) {
        try (SnapshotStores.Opened opened = SnapshotStores.open(ConfigFile.load(configFile))) {
            assertEquals(storeName(), opened.name());
            check.accept(opened.store());
        }
    }

    /** Every snapshot saved, exactly, and nothing else; tags as given, none for the others. */
    void assertSameAsSaved(Path configFile, Map<String, SnapshotTags> tags) {
        withStore(configFile, store -> {
            assertEquals(saved.keySet(), new TreeSet<>(store.storedIds()));
            for (var e : saved.entrySet()) {
                assertEquals(e.getValue(), store.read(e.getKey()).orElseThrow(), e.getKey());
                assertEquals(tags.getOrDefault(e.getKey(), SnapshotTags.NONE), store.tags(e.getKey()), e.getKey());
            }
        });
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    static List<String> ids(JsonNode decisions) {
        List<String> ids = new ArrayList<>();
        decisions.forEach(d -> ids.add(d.get("snapshot_id").asText()));
        return ids;
    }
}
