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
}
