package dev.memsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.SnapshotCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

import static dev.memsnap.cli.Fixtures.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code diff} of two hand-built snapshots whose difference is known exactly; exit codes like diff(1). */
class DiffCommandTest {
    private static final LocalDateTime TA = LocalDateTime.of(2025, 4, 1, 10, 0);
    private static final LocalDateTime TB = LocalDateTime.of(2025, 4, 1, 11, 0);
    private static final String A = id(TA, 0xa);
    private static final String A_TWIN = id(TA, 0xaa);
    private static final String B = id(TB, 0xb);

    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;

    static MemorySnapshot a(String id) {
        return Fixtures.snapshot(id, TA, List.of(new Turn("user", "hi"), new Turn("assistant", "hello")),
                Fixtures.memories(
                        "memory_1", Memory.of("Name is Alice", TA, 0.5, "fact", List.of("user")),
                        "memory_2", Memory.of("Likes tea", TA, 0.3, "preference", List.of("food"))));
    }

    static MemorySnapshot b() {
        return Fixtures.snapshot(B, TB, List.of(new Turn("user", "hi"), new Turn("assistant", "hello"),
                        new Turn("user", "bye\u001b[31m")),
                Fixtures.memories(
                        "memory_1", Memory.of("Name is Alice", TA, 0.9, "fact", List.of("user")),
                        "memory_3", Memory.of("Going to Kyoto", TB, 0.7, "plan", List.of("travel"))));
    }

    @BeforeEach
    void store() {
        SnapshotStore store = Fixtures.store(dir, SnapshotCodec.plain());
        store.save(a(A));
        store.save(a(A_TWIN));
        store.save(b());
    }

    @Test
    void textShowsEveryChangeAndExitsOne() {
        Cli.Result result = new Cli().run("diff", A, B, "--dir", dir.toString());
        assertEquals(1, result.code(), result::toString);
        assertEquals("", result.err());
        assertEquals(A + " -> " + B + "\n"
                + "turns: +1 -0\n"
                + "  + [2] user: bye\\u001b[31m\n" // the escape sequence is shown, not sent to the terminal
                + "memories: +1 -1 ~1\n"
                + "  - memory_2 (preference, 0.3): Likes tea\n"
                + "  + memory_3 (plan, 0.7): Going to Kyoto\n"
                + "  ~ memory_1: importance 0.5 -> 0.9\n"
                + "topics: +travel -food\n"
                + "stats: turns +1, memories +0, topics +0, average importance +0.400, session +0.0 s, plan +1, "
                + "preference -1\n", result.out());
    }

    @Test
    void jsonHasTheSameAnswerInFields() {
        Cli.Result result = new Cli().run("diff", "--json", A, B, "--dir", dir.toString());
        assertEquals(1, result.code(), result::toString);
        JsonNode d = Fixtures.json(result.out());
        assertEquals(A, d.get("before").asText());
        assertEquals(B, d.get("after").asText());
        assertEquals(false, d.get("identical").asBoolean());
        JsonNode added = d.get("turns").get("added");
        assertEquals(1, added.size());
        assertEquals(2, added.get(0).get("index").asInt());
        assertEquals("user", added.get(0).get("role").asText());
        assertEquals("bye\u001b[31m", added.get(0).get("content").asText()); // JSON keeps the text exact
        assertEquals(0, d.get("turns").get("removed").size());
        assertEquals(List.of("memory_3"), List.copyOf(iterable(d.get("memories").get("added").fieldNames())));
        assertEquals("plan", d.get("memories").get("added").get("memory_3").get("metadata").get("source_type").asText());
        assertEquals(List.of("memory_2"), List.copyOf(iterable(d.get("memories").get("removed").fieldNames())));
        JsonNode changed = d.get("memories").get("changed");
        assertEquals(1, changed.size());
        assertEquals("memory_1", changed.get(0).get("memory_id").asText());
        assertEquals("importance", changed.get(0).get("fields").get(0).get("field").asText());
        assertEquals(0.5, changed.get(0).get("fields").get(0).get("before").asDouble());
        assertEquals(0.9, changed.get(0).get("fields").get(0).get("after").asDouble());
        assertEquals("travel", d.get("topics").get("gained").get(0).asText());
        assertEquals("food", d.get("topics").get("lost").get(0).asText());
        JsonNode stats = d.get("stats");
        assertEquals(1, stats.get("turns").asInt());
        assertEquals(0, stats.get("memories").asInt());
        assertEquals(0.4, stats.get("average_importance").asDouble(), 1e-12);
        assertEquals(1, stats.get("source_types").get("plan").asInt());
        assertEquals(-1, stats.get("source_types").get("preference").asInt());
    }

    @Test
    void identicalMemoryExitsZeroWhateverTheIds() {
        Cli.Result text = new Cli().run("diff", A, A_TWIN, "--dir", dir.toString());
        assertEquals(0, text.code(), text::toString);
        assertEquals(A + " -> " + A_TWIN + ": identical memory\n", text.out());
        Cli.Result json = new Cli().run("diff", "--json", A, A_TWIN, "--dir", dir.toString());
        assertEquals(0, json.code());
        assertTrue(Fixtures.json(json.out()).get("identical").asBoolean());
    }

    @Test
    void filesInAnyEncodingNeedNoStore() throws Exception {
        Path plain = elsewhere.resolve("a.json");
        Path gzip = elsewhere.resolve("b.json.gz");
        Files.write(plain, SnapshotCodec.plain().encode(a(A)));
        Files.write(gzip, Fixtures.codec(Compression.GZIP, null).encode(b()));
        Path missingStore = elsewhere.resolve("no-store-here");

        Cli.Result result = new Cli().run("diff", plain.toString(), gzip.toString(), "--dir", missingStore.toString());
        assertEquals(1, result.code(), result::toString);
        assertTrue(result.out().startsWith(A + " -> " + B + "\n"), result.out());
        // a stored id against a file, relative to the working directory
        Cli.Result mixed = new Cli().workDir(elsewhere).run("diff", A_TWIN, "a.json", "--dir", dir.toString());
        assertEquals(0, mixed.code(), mixed::toString);
    }

    @Test
    void aMissingSideIsNotFound() {
        String absent = id(TB, 0xdead);
        Cli.Result result = new Cli().run("diff", A, absent, "--dir", dir.toString());
        assertEquals(3, result.code());
        assertEquals("memsnap: no stored snapshot with id " + absent + "\n", result.err());
        assertEquals("", result.out());
        Cli.Result file = new Cli().run("diff", A, "nothing.json", "--dir", dir.toString());
        assertEquals(3, file.code());
        assertTrue(file.err().startsWith("memsnap: no such snapshot file: nothing.json"), file.err());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
