package dev.memsnap.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands on {@code memory.store: incremental}: they read and write its layout, never plain files beside it. */
class IncrementalStoreCommandsTest extends ConfiguredStoreContract {

    @Override
    String configYaml(String name) {
        return "memory:\n  store: incremental\n  snapshot_dir: " + work.resolve(name) + "\n";
    }

    @Override
    String storeName() {
        return "incremental";
    }

    @Override
    String where(String name) {
        return work.resolve(name).toString();
    }

    @Test
    void importWritesTheIncrementalLayoutNotPlainFilesBesideIt() throws Exception {
        Path exported = work.resolve("exported");
        assertEquals(0, run("export", "--to", exported.toString()).code());
        Path restoredConfig = configFile("restored");
        Cli.Result imported = new Cli().run("import", exported.toString(), "--config", restoredConfig.toString());
        assertEquals(0, imported.code(), imported::toString);
        Path restored = work.resolve("restored");
        for (String id : saved.keySet()) {
            assertTrue(Files.isRegularFile(restored.resolve("manifests").resolve(id + ".json")), id);
            assertFalse(Files.exists(restored.resolve(id + ".json")), "no plain file: " + id);
        }
    }

    @Test
    void storeOptionOverridesTheConfig() throws Exception {
        Path plain = work.resolve("plain.yaml");
        Files.writeString(plain, "memory:\n  snapshot_dir: " + work.resolve("store") + "\n");
        // the config says file, but the directory is in the incremental layout: it is read as what it is, since a
        // file store's view of it would hold nothing (and a check of it would pass for an all-clear)
        assertEquals(List.of(C, B, A), Fixtures.ids(new Cli().run("list", "--json", "--config", plain.toString())
                .out()), "an incremental directory is read as one");
        assertEquals(List.of(C, B, A), Fixtures.ids(new Cli().run("list", "--json", "--store", "incremental",
                "--config", plain.toString()).out()));
        assertEquals(List.of(C, B, A), Fixtures.ids(new Cli().run("--store", "incremental", "list", "--json",
                "--dir", work.resolve("store").toString()).out()));

        Cli.Result unknown = new Cli().run("list", "--store", "nosuch", "--dir", work.resolve("store").toString());
        assertEquals(2, unknown.code(), unknown::toString);
        assertTrue(unknown.err().startsWith("memsnap: memory.store: no store named \"nosuch\"; known stores: "
                + "file, incremental"), unknown::toString);
    }

    @Test
    void readOnlyCommandsStillNeedTheDirectory() {
        Path missing = work.resolve("missing");
        Cli.Result list = new Cli().run("list", "--store", "incremental", "--dir", missing.toString());
        assertEquals(3, list.code(), list::toString);
        assertFalse(Files.exists(missing), "a read-only command creates nothing");
    }

    @Test
    void pruneCollectsWhatItsDeletionsLeaveAndGcSaysWhatItWouldFree() throws Exception {
        Path packs = work.resolve("store").resolve("packs");
        long packsBefore;
        try (var files = Files.list(packs)) {
            packsBefore = files.count();
        }
        Cli.Result dry = run("prune", "--keep-last", "1", "--dry-run");
        assertEquals(0, dry.code(), dry::toString);
        assertFalse(dry.out().contains("freed"), dry::toString);
        Cli.Result pruned = run("prune", "--keep-last", "1");
        assertEquals(0, pruned.code(), pruned::toString);
        assertTrue(pruned.out().matches("(?s).*garbage collection: freed \\d+ chunks? \\(.*\\)\n"), pruned::toString);
        try (var files = Files.list(packs)) {
            assertTrue(files.count() < packsBefore, "the pruned snapshots' packs are gone");
        }
        assertEquals(List.of(C), Fixtures.ids(run("list", "--json").out()));
        assertEquals(0, run("verify").code());

        Cli.Result gc = run("gc", "--dry-run");
        assertEquals(0, gc.code(), gc::toString);
        assertEquals("dry run: nothing to collect\n", gc.out());
        Cli.Result json = run("gc", "--json");
        assertEquals(0, json.code(), json::toString);
        assertEquals(0, Fixtures.json(json.out()).get("chunks").asLong(), json::toString);
    }

    @Test
    void gcFreesWhatDeletionsOutsidePruneLeftAndADryRunRemovesNothing() throws Exception {
        withStore(config, store -> store.delete(B));
        Path packs = work.resolve("store").resolve("packs");
        List<Path> before;
        try (var files = Files.list(packs)) {
            before = files.sorted().toList();
        }
        Cli.Result dry = run("gc", "--dry-run");
        assertEquals(0, dry.code(), dry::toString);
        assertTrue(dry.out().startsWith("dry run: would free "), dry::toString);
        try (var files = Files.list(packs)) {
            assertEquals(before, files.sorted().toList(), "a dry run removes nothing");
        }
        Cli.Result gc = run("gc");
        assertEquals(0, gc.code(), gc::toString);
        assertEquals(dry.out().replace("dry run: would free ", "freed ").replace("; nothing was removed", ""),
                gc.out(), "frees what the dry run said");
        assertEquals("nothing to collect\n", run("gc").out());
        
        assertEquals(0, run("verify").code());
    }
}
