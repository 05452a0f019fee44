package dev.memsnap.cli;

import dev.memsnap.api.Memory;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.KeySource;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Help, exit codes and messages, options anywhere, ids versus paths, labels and pins, keygen. */
class CommandLineTest {
    private static final LocalDateTime T = LocalDateTime.of(2025, 8, 1, 8, 0);
    private static final String ID = Fixtures.id(T, 1);
    private static final String ABSENT = Fixtures.id(T, 0xdead);

    @TempDir
    Path dir;
    @TempDir
    Path other;

    @BeforeEach
    void store() {
        SnapshotStore store = Fixtures.store(dir, SnapshotCodec.plain());
        store.save(TestSnapshots.snapshot(ID, T, 2, 2));
    }

    static List<String> commands() {
        CliContext context = new CliContext(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                Map.of(), false, Path.of(""), UnaryOperator.identity());
        return List.copyOf(MemsnapCli.commandLine(context).getSubcommands().keySet());
    }

    @Test
    void everyCommandIsThere() {
        assertEquals(List.of("list", "show", "diff", "prune", "gc", "verify", "export", "import", "label", "pin", "unpin",
                "rekey", "keygen", "memories", "log", "completion", "help"), commands());
    }

    @ParameterizedTest(name = "memsnap {0} --help")
    @MethodSource("commands")
    void everyCommandHasHelpWithTheExitCodes(String command) {
        for (String[] args : List.of(new String[] {command, "--help"}, new String[] {command, "-h"},
                new String[] {"help", command})) {
            Cli.Result result = new Cli().run(args);
            assertEquals(0, result.code(), result::toString);
            assertEquals("", result.err());
            assertTrue(result.out().contains("Usage: memsnap " + command), result::toString);
            if (!command.equals("help")) {
                assertTrue(result.out().contains("Exit codes:\n  0   success"), result::toString);
                assertTrue(result.out().contains("  4   snapshot damaged, invalid, or encrypted with another key"),
                        result::toString);
                assertTrue(result.out().contains("--key-file=FILE"), "global options are on every command");
            }
        }
    }

    @Test
    void theTopLevelHelpListsCommandsAndVersionIsTheProjectVersion() {
        Cli.Result help = new Cli().run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("\n  rekey       Re-encrypt every snapshot under a new key.\n"), help.out());
        Cli.Result version = new Cli().run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().matches("memsnap \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), version.out());
    }

    @Test
    void completionPrintsABashScriptThatKnowsTheCommandsAndOptions() {
        Cli.Result result = new Cli().run("completion");
        assertEquals(0, result.code(), result::toString);
        assertEquals("", result.err());
        assertTrue(result.out().startsWith("#!/usr/bin/env bash"), result.out());
        assertTrue(result.out().contains("complete -F _complete_memsnap") && result.out().contains("memsnap"),
                "registers the completion function");
        for (String word : List.of("list", "show", "prune", "--keep-within", "--key-file", "--dry-run")) {
            assertTrue(result.out().contains(word), "completes " + word);
        }
    }

    @Test
    void usageErrorsExitTwoWithOneMessageAndAHint() {
        Cli.Result none = new Cli().run();
        assertEquals(2, none.code());
        assertEquals("memsnap: missing a command, such as list, show, diff or verify\n"
                + "Try 'memsnap --help' for more information.\n", none.err());

        Cli.Result unknownOption = new Cli().run("list", "--colour", "--dir", dir.toString());
        assertEquals(2, unknownOption.code());
        assertTrue(unknownOption.err().startsWith("memsnap: Unknown option: '--colour'\n"), unknownOption.err());
        assertTrue(unknownOption.err().endsWith("Try 'memsnap list --help' for more information.\n"));

        Cli.Result typo = new Cli().run("verfiy");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("verify"), "suggests the command meant: " + typo.err());

        Cli.Result swapped = new Cli().run("lsit");
        assertEquals(2, swapped.code());
        assertEquals("memsnap: Unmatched argument at index 0: 'lsit'\n"
                + "Did you mean 'memsnap list'?\n"
                + "Try 'memsnap --help' for more information.\n", swapped.err());
        assertTrue(new Cli().run("--dir", dir.toString(), "prnue").err().contains("Did you mean 'memsnap prune'?"));
        assertTrue(new Cli().run("ping").err().contains("Did you mean 'memsnap pin'?"), "pin, at 1 edit");
        assertFalse(new Cli().run("zzzz").err().contains("Did you mean"), "nothing is near zzzz");

        Cli.Result missing = new Cli().run("diff", ID);
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("memsnap: Missing required parameter: 'B'"), missing.err());

        Cli.Result twoKeys = new Cli().run("list", "--key-env", "A", "--key-file", "b", "--dir", dir.toString());
        assertEquals(2, twoKeys.code());
        assertTrue(twoKeys.err().startsWith("memsnap: give at most one of --key-file, --key-env and "
                + "--passphrase-env"), twoKeys.err());
    }

    @Test
    void globalOptionsGoBeforeOrAfterTheCommand() {
        assertEquals(List.of(ID), Fixtures.ids(new Cli().run("--dir", dir.toString(), "list", "--json").out()));
        assertEquals(List.of(ID), Fixtures.ids(new Cli().run("list", "--json", "--dir", dir.toString()).out()));
        assertEquals(List.of(ID), Fixtures.ids(new Cli().workDir(dir.getParent())
                .run("list", "--dir", dir.getFileName().toString(), "--json").out()));
    }

    @Test
    void showAbridgesALongMetadataValueAndJsonKeepsItWhole() {
        String vector = "A".repeat(2048);
        String id = Fixtures.id(T, 2);
        Fixtures.store(dir, SnapshotCodec.plain()).save(Fixtures.snapshot(id, T, List.of(), Fixtures.memories(
                "segment-1", new Memory("Alice lives in Lisbon.", T, 0.5,
                        Map.of("langchain4j", Map.of("vector", vector))))));
        Cli.Result text = new Cli().run("show", id, "--dir", dir.toString());
        assertEquals(0, text.code(), text::toString);
        assertTrue(text.out().contains("Alice lives in Lisbon."), text.out());
        assertFalse(text.out().contains(vector), "the 2 KB value is not printed whole");
        assertTrue(text.out().contains("characters; --json shows it whole)"), text.out());
        assertTrue(text.out().lines().allMatch(line -> line.length() < 300), "no line runs on: " + text.out());
        Cli.Result json = new Cli().run("show", id, "--json", "--dir", dir.toString());
        assertEquals(0, json.code(), json::toString);
        assertTrue(json.out().contains(vector), "--json shows every value whole");
    }

    @Test
    void anUnknownIdIsNotFound() {
        for (String command : List.of("show", "pin", "unpin")) {
            Cli.Result result = new Cli().run(command, ABSENT, "--dir", dir.toString());
            assertEquals(3, result.code(), result::toString);
            assertEquals("memsnap: no stored snapshot with id " + ABSENT + "\n", result.err());
            assertEquals("", result.out());
        }
        assertEquals(3, new Cli().run("label", ABSENT, "--add", "x", "--dir", dir.toString()).code());
        assertFalse(Files.exists(dir.resolve(".memsnap/" + ABSENT + ".tags.json")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "snapshot_25", "abc", "SNAPSHOT_20250801_080000_00000001", "/etc/passwd", ""})
    void aMalformedIdIsAUsageErrorWhereOnlyIdsAreTaken(String bad) {
        for (String[] args : List.of(new String[] {"label", bad, "--add", "x"}, new String[] {"pin", bad},
                new String[] {"unpin", bad})) {
            Cli.Result result = new Cli().workDir(dir).run(args);
            assertEquals(2, result.code(), result::toString);
            assertTrue(result.err().startsWith("memsnap: not a snapshot id: \"" + bad + "\" (expected "
                    + "snapshot_<yyyyMMdd>_<HHmmss>_<8 lowercase hex>)"), result.err());
        }
    }

    @Test
    void whereAFileIsAlsoTakenAnythingButAnIdIsAPathAndAMissOneIsNotFound() throws Exception {
        Cli.Result result = new Cli().run("show", "../x", "--dir", dir.toString());
        assertEquals(3, result.code(), result::toString);
        assertEquals("memsnap: no such snapshot file: ../x (and not a snapshot id, which looks like "
                + "snapshot_<yyyyMMdd>_<HHmmss>_<8 hex>, latest, latest~N or a prefix of 4 or more hex digits)\n",
                result.err());
        Cli.Result nul = new Cli().run("show", "a\u0000b", "--dir", dir.toString());
        assertEquals(2, nul.code(), nul::toString);
        assertEquals("memsnap: neither a snapshot id nor a file path: \"a\\u0000b\"\n", nul.err());
        Cli.Result directory = new Cli().run("show", other.toString(), "--dir", dir.toString());
        assertEquals(3, directory.code(), directory::toString);
        Files.writeString(other.resolve("not-a-snapshot.json"), "[1, 2]");
        Cli.Result invalid = new Cli().run("show", other.resolve("not-a-snapshot.json").toString());
        assertEquals(4, invalid.code(), invalid::toString);
        assertTrue(invalid.err().startsWith("memsnap: " + other.resolve("not-a-snapshot.json")), invalid.err());
    }

    @Test
    void configAndDirectoryProblemsSayWhichFileAndKey() throws Exception {
        Path bad = other.resolve("bad.yaml");
        Files.writeString(bad, "memory:\n  snapshot_interval: ten\n");
        Cli.Result config = new Cli().run("list", "--config", bad.toString());
        assertEquals(2, config.code());
        assertEquals("memsnap: " + bad + ": memory.snapshot_interval: expected a whole number from 1 to "
                + "2147483647, got \"ten\"\n", config.err());

        Cli.Result missingConfig = new Cli().run("list", "--config", other.resolve("nope.yaml").toString());
        assertEquals(2, missingConfig.code());
        assertEquals("memsnap: config file not found: " + other.resolve("nope.yaml") + "\n", missingConfig.err());

        Cli.Result missingDir = new Cli().run("verify", "--dir", other.resolve("nothing").toString());
        assertEquals(3, missingDir.code());
        assertEquals("memsnap: no snapshot directory " + other.resolve("nothing") + " (set memory.snapshot_dir in "
                + "the config file, or give --dir)\n", missingDir.err());
        assertFalse(Files.exists(other.resolve("nothing")), "a read-only command creates nothing");

        Cli.Result fileAsDir = new Cli().run("list", "--dir", bad.toString());
        assertEquals(2, fileAsDir.code(), fileAsDir::toString);

        Cli.Result unsetKey = new Cli().run("list", "--key-env", "MEMSNAP_NOT_SET", "--dir", dir.toString());
        assertEquals(2, unsetKey.code());
        assertEquals("memsnap: key in environment variable MEMSNAP_NOT_SET is not set\n", unsetKey.err());
    }

    @Test
    void stackTracesOnlyWithDebug() {
        Cli.Result plain = new Cli().run("show", ABSENT, "--dir", dir.toString());
        assertFalse(plain.err().contains("\tat "), plain.err());
        Cli.Result debug = new Cli().run("show", ABSENT, "--dir", dir.toString(), "--debug");
        assertEquals(3, debug.code());
        assertTrue(debug.err().startsWith("memsnap: no stored snapshot with id " + ABSENT + "\n"), debug.err());
        assertTrue(debug.err().contains("SnapshotNotFoundException") && debug.err().contains("\tat "), debug.err());
    }

    @Test
    void labelsAndPinsAreKeptAndShown() {
        Cli.Result label = new Cli().run("label", ID, "--add", "b", "--add", "a", "--dir", dir.toString());
        assertEquals(0, label.code(), label::toString);
        assertEquals(ID + ": labels a, b; not pinned\n", label.out());
        Cli.Result pin = new Cli().run("pin", ID, "--dir", dir.toString());
        assertEquals(ID + ": labels a, b; pinned\n", pin.out());
        Cli.Result remove = new Cli().run("label", ID, "--remove", "a", "--json", "--dir", dir.toString());
        var json = Fixtures.json(remove.out());
        assertEquals(ID, json.get("snapshot_id").asText());
        assertEquals(1, json.get("labels").size());
        assertEquals("b", json.get("labels").get(0).asText());
        assertTrue(json.get("pinned").asBoolean());
        assertEquals(List.of(ID), Fixtures.ids(new Cli().run("list", "--json", "--label", "b", "--pinned",
                "--dir", dir.toString()).out()));
        Cli.Result unpin = new Cli().run("unpin", ID, "--dir", dir.toString());
        assertEquals(ID + ": labels b; not pinned\n", unpin.out());
        assertEquals(List.of(), Fixtures.ids(new Cli().run("list", "--json", "--pinned", "--dir", dir.toString()).out()));

        assertEquals(2, new Cli().run("label", ID, "--dir", dir.toString()).code());
        Cli.Result blank = new Cli().run("label", ID, "--add", " ", "--dir", dir.toString());
        assertEquals(2, blank.code());
        assertTrue(blank.err().startsWith("memsnap: a label must be 1 to 200 characters"), blank.err());
        assertEquals(2, new Cli().run("label", ID, "--add", "bad\u001b[2J", "--dir", dir.toString()).code());
    }

    @Test
    void keygenWritesAnOwnerOnlyKeyAndNeverOverwrites() throws Exception {
        Path key = other.resolve("memsnap.key");
        Cli.Result result = new Cli().run("keygen", key.toString());
        assertEquals(0, result.code(), result::toString);
        String content = Files.readString(key);
        byte[] bytes = Base64.getDecoder().decode(content.strip());
        assertEquals(32, bytes.length);
        assertEquals(content.strip() + "\n", content);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
        String keyId = SnapshotCodec.plain().withKeys(KeyRing.of(new KeySource.KeyFile(key), List.of(), Map.of()))
                .writeKeyId();
        assertTrue(result.out().startsWith("wrote a new 256-bit key to " + key + " (key id " + keyId + ")\n"),
                result.out());
        assertFalse(result.all().contains(content.strip()), "the key itself is never printed");

        Cli.Result again = new Cli().run("keygen", key.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().startsWith("memsnap: " + key + " already exists; refusing to overwrite it"),
                again.err());
        assertEquals(content, Files.readString(key), "untouched");

        Cli.Result noParent = new Cli().run("keygen", other.resolve("no/such/dir/key").toString());
        assertEquals(5, noParent.code(), noParent::toString);

        // the key works: encrypt the store with it
        assertEquals(0, new Cli().run("rekey", "--new-key-file", key.toString(), "--dir", dir.toString()).code());
        assertEquals(0, new Cli().run("verify", "--key-file", key.toString(), "--dir", dir.toString()).code());
    }

    @Test
    void anEmptyStoreSaysSo() throws Exception {
        Path empty = Files.createDirectory(other.resolve("empty"));
        Cli.Result list = new Cli().run("list", "--dir", empty.toString());
        assertEquals(0, list.code());
        assertEquals("no snapshots\n", list.out());
        assertEquals("[]\n", new Cli().run("list", "--json", "--dir", empty.toString()).out());
        Cli.Result verify = new Cli().run("verify", "--dir", empty.toString());
        assertEquals(0, verify.code());
        assertTrue(verify.out().matches("verified 0 snapshots in .*: 0 intact, 0 damaged\n"), verify.out());
    }
}
