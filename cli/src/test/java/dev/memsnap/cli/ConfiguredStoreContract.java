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

    static List<String> ids(JsonNode decisions) {
        List<String> ids = new ArrayList<>();
        decisions.forEach(d -> ids.add(d.get("snapshot_id").asText()));
        return ids;
    }
}
