package dev.memsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.core.store.MemoryDirectories;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands on {@code memory.store: file}, the default, through the same contract as the other stores. */
class FileStoreCommandsTest extends ConfiguredStoreContract {

    @Override
    String configYaml(String name) {
        return "memory:\n  store: file\n  snapshot_dir: " + work.resolve(name) + "\n";
    }

    @Override
    String storeName() {
        return "file";
    }

    @Override
    String where(String name) {
        return work.resolve(name).toString();
    }

    @Test
    void aLikelyTypoInTheConfigIsWarnedOfOnceAndTheCommandStillRuns() throws Exception {
        Path typo = work.resolve("typo.yaml");
        Files.writeString(typo, "memory:\n  snapshot_dir: " + work.resolve("store") + "\n  snapshot_intervall: 5\n");
        Cli.Result list = new Cli().run("list", "--json", "--config", typo.toString());
        assertEquals(0, list.code(), list::toString);
        assertEquals(3, Fixtures.ids(list.out()).size());
        assertEquals("memsnap: warning: " + typo + ": memory.snapshot_intervall: not a memsnap key, so memsnap "
                + "ignores it; did you mean snapshot_interval?\n", list.err());

        Cli.Result export = new Cli().run("export", "--to", work.resolve("copy").toString(), "--config",
                typo.toString());
        assertEquals(0, export.code(), export::toString);
        assertEquals(1, export.err().split("warning", -1).length - 1, "once, though two stores are opened: "
                + export);
    }

    @Test
    void aDamagedSnapshotCountsInTheMemoryWhoseDirectoryHoldsIt() throws Exception {
        twoMoreMemories();
        Path aliceDir = MemoryDirectories.of(work.resolve("store"), ALICE);
        Path file = aliceDir.resolve(AL2 + ".json");
        assertTrue(Files.isRegularFile(file), "alice's own directory: " + aliceDir);
        Files.writeString(file, "{ damaged");

        Cli.Result aliceVerify = run("verify", "--memory", ALICE, "--json");
        assertEquals(1, aliceVerify.code(), aliceVerify::toString);
        JsonNode report = Fixtures.json(aliceVerify.out());
        assertEquals(5, report.get("checked").asInt(), report::toString);
        assertEquals(1, report.get("damaged").asInt(), report::toString);
        Cli.Result defaultVerify = run("verify", "--json");
        assertEquals(0, defaultVerify.code(), "another memory's damage is not the default memory's: "
                + defaultVerify);
        assertEquals(3, Fixtures.json(defaultVerify.out()).get("checked").asInt());
        assertEquals(1, run("verify", "--all-memories").code());

        Cli.Result list = run("list", "--memory", ALICE);
        assertEquals(4, list.code(), list::toString);
        assertTrue(list.err().startsWith("memsnap: cannot list " + AL2 + ": "), list::toString);
        assertEquals(0, run("list").code());
        Cli.Result log = run("log", "--memory", ALICE);
        assertEquals(4, log.code(), log::toString);
        assertTrue(log.out().contains(AL4) && !log.out().contains(AL2 + " "), log::toString);
        Cli.Result prune = run("prune", "--keep-last", "1", "--memory", ALICE);
        assertEquals(4, prune.code(), prune::toString);
        assertTrue(Files.exists(file), "an unreadable snapshot is never pruned");
    }

    @Test
    void aHostileMemoryIdStaysInsideTheDirectories() throws Exception {
        twoMoreMemories();
        Path copy = work.resolve("deep").resolve("copy");
        assertEquals(0, run("export", "--to", copy.toString(), "--all-memories").code());
        assertEquals(List.of(EVIL), Fixtures.ids(new Cli().run("list", "--json", "--memory", HOSTILE, "--dir",
                copy.toString()).out()));
        try (Stream<Path> all = Files.walk(work)) {
            for (Path p : all.toList()) {
                assertFalse(p.getFileName().toString().equals("etc"), "nothing named after the id's path: " + p);
            }
        }
        assertEquals(Set.of("copy"), Fixtures.files(work.resolve("deep")));
    }

    @Test
    void aReadOnlyCommandPreparesNothingOnDisk() throws Exception {
        Path empty = work.resolve("empty");
        Files.createDirectories(empty);
        for (String command : new String[] {"list", "verify", "memories", "log"}) {
            Cli.Result result = new Cli().run(command, "--dir", empty.toString());
            assertEquals(0, result.code(), result::toString);
        }
        assertFalse(Files.exists(empty.resolve(".memsnap")), "the store was not started: no hidden folder");
        assertTrue(Fixtures.files(empty).isEmpty());
    }

    @Test
    void gcHasNothingToCollectInAFileStore() {
        Cli.Result gc = run("gc");
        assertEquals(0, gc.code(), gc::toString);
        assertEquals("nothing to collect\n", gc.out());
        assertEquals("dry run: nothing to collect\n", run("gc", "--dry-run").out());
    }
}
