package dev.memsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code export} and {@code import}: round trips between formats keep every snapshot exactly, and labels and pins. */
class ExportImportTest {
    private static final LocalDateTime T = LocalDateTime.of(2025, 7, 1, 9, 0);

    @TempDir
    Path work;

    Path source;
    Path sourceKey;
    Path otherKey;
    Path config;
    final Map<String, MemorySnapshot> originals = new TreeMap<>();
    final Map<String, SnapshotTags> tags = new TreeMap<>();

    @BeforeEach
    void encryptedSource() throws Exception {
        source = work.resolve("source");
        sourceKey = work.resolve("source.key");
        otherKey = work.resolve("other.key");
        Fixtures.keyFile(sourceKey);
        Fixtures.keyFile(otherKey);
        config = work.resolve("config.yaml");
        Files.writeString(config, "memory:\n  snapshot_dir: " + source + "\n  encryption:\n    key_file: "
                + sourceKey + "\n");
        SnapshotStore store = Fixtures.store(source, Fixtures.codec(Compression.NONE, Fixtures.ring(sourceKey)));
        for (int i = 0; i < 5; i++) {
            add(store, TestSnapshots.snapshot(Fixtures.id(T.plusDays(i), i), T.plusDays(i), 2 + i, 3 * i));
        }
        add(store, TestSnapshots.awkward(Fixtures.id(T.plusDays(9), 9), T.plusDays(9)));
        add(store, new SnapshotJson().read(TestSnapshots.seedSnapshotJson(), "seed"));
        tag(store, Fixtures.id(T, 0), new SnapshotTags(Set.of("first", "exported"), true));
        tag(store, Fixtures.id(T.plusDays(9), 9), new SnapshotTags(Set.of("unicode \u4E2D\u6587"), false));
        tag(store, Fixtures.id(T.plusDays(3), 3), new SnapshotTags(Set.of(), true));
    }

    private void add(SnapshotStore store, MemorySnapshot s) {
        store.save(s);
        originals.put(s.snapshotId(), s);
        tags.put(s.snapshotId(), SnapshotTags.NONE);
    }

    private void tag(SnapshotStore store, String id, SnapshotTags t) {
        store.setTags(id, t);
        tags.put(id, t);
    }

    @Test
    void exportToGzipUnderAnotherKeyThenZstdThenImportAsPlainKeepsEverythingExactly() throws Exception {
        Path exported = work.resolve("exported");
        Cli.Result export = new Cli().run("export", "--to", exported.toString(), "--compression", "gzip",
                "--to-key-file", otherKey.toString(), "--config", config.toString());
        assertEquals(0, export.code(), export::toString);
        String otherId = SnapshotCodec.plain().withKeys(Fixtures.ring(otherKey)).writeKeyId();
        assertEquals("exported 7 snapshots to " + exported + " (gzip, encrypted with key " + otherId + ")\n",
                export.out());
        assertEquals(suffixed(".json.gz.enc"), Fixtures.files(exported));
        for (String file : Fixtures.files(exported)) {
            assertEquals(otherId, SnapshotCodec.keyIdOf(Files.readAllBytes(exported.resolve(file))));
        }
        assertSameContent(exported, Fixtures.ring(otherKey));

        // and on to zstd, unencrypted, then back to plain JSON
        Path zstd = work.resolve("zstd");
        Cli.Result again = new Cli().run("export", "--to", zstd.toString(), "--compression", "zstd", "--no-encrypt",
                "--dir", exported.toString(), "--key-file", otherKey.toString());
        assertEquals(0, again.code(), again::toString);
        assertEquals("exported 7 snapshots to " + zstd + " (zstd)\n", again.out());
        assertEquals(suffixed(".json.zst"), Fixtures.files(zstd));
        assertSameContent(zstd, null);

        Path imported = work.resolve("imported");
        Cli.Result result = new Cli().run("import", zstd.toString(), "--dir", imported.toString());
        assertEquals(0, result.code(), result::toString);
        assertEquals("imported 7 snapshots into " + imported + " (plain JSON)\n", result.out());
        assertEquals(suffixed(".json"), Fixtures.files(imported));
        assertSameContent(imported, null);
        // plain files are the seed's format byte for byte
        String seedId = new SnapshotJson().read(TestSnapshots.seedSnapshotJson(), "seed").snapshotId();
        assertEquals(new String(new SnapshotJson().toBytes(originals.get(seedId)), java.nio.charset.StandardCharsets.UTF_8),
                Files.readString(imported.resolve(seedId + ".json")));
    }

    @Test
    void exportIsEncryptedLikeTheStoreUnlessToldOtherwise() throws Exception {
        Path same = work.resolve("same");
        assertEquals(0, new Cli().run("export", "--to", same.toString(), "--config", config.toString()).code());
        assertEquals(suffixed(".json.enc"), Fixtures.files(same));
        assertSameContent(same, Fixtures.ring(sourceKey));

        Path clear = work.resolve("clear");
        Cli.Result json = new Cli().run("export", "--json", "--to", clear.toString(), "--no-encrypt",
                "--config", config.toString());
        assertEquals(0, json.code(), json::toString);
        JsonNode report = Fixtures.json(json.out());
        assertEquals(7, report.get("copied").asInt());
        assertEquals(".json", report.get("format").asText());
        assertTrue(report.get("key_id").isNull());
        assertEquals(0, report.get("failures").size());
        assertEquals(clear.toString(), report.get("directory").asText());
        assertEquals(suffixed(".json"), Fixtures.files(clear));
        assertSameContent(clear, null);

        Cli.Result both = new Cli().run("export", "--to", clear.toString(), "--no-encrypt", "--to-key-file",
                otherKey.toString(), "--config", config.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
    }

    @Test
    void importLoadsSingleFilesInAnyEncodingAndReportsTheBadOnes() throws Exception {
        Path files = Files.createDirectory(work.resolve("files"));
        MemorySnapshot a = originals.get(Fixtures.id(T, 0));
        MemorySnapshot b = originals.get(Fixtures.id(T.plusDays(1), 1));
        MemorySnapshot c = originals.get(Fixtures.id(T.plusDays(9), 9));
        Files.write(files.resolve("a.json"), SnapshotCodec.plain().encode(a));
        Files.write(files.resolve("b.gz"), Fixtures.codec(Compression.GZIP, null).encode(b));
        Files.write(files.resolve("c.enc"), Fixtures.codec(Compression.GZIP, Fixtures.ring(sourceKey)).encode(c));
        Files.writeString(files.resolve("broken.json"), "{\"snapshot_id\": ");

        Path target = work.resolve("target");
        Cli.Result result = new Cli().workDir(files).run("import", "a.json", "b.gz", "c.enc", "broken.json",
                "--dir", target.toString(), "--key-file", sourceKey.toString());
        assertEquals(4, result.code(), result::toString);
        assertEquals("imported 3 snapshots into " + target + " (plain JSON, encrypted with key "
                + SnapshotCodec.plain().withKeys(Fixtures.ring(sourceKey)).writeKeyId() + ")\n", result.out());
        assertTrue(result.err().startsWith("memsnap: not imported " + files.resolve("broken.json") + ": "
                + files.resolve("broken.json") + ": not valid JSON"), result.err());
        SnapshotStore store = Fixtures.store(target, SnapshotCodec.plain().withKeys(Fixtures.ring(sourceKey)));
        assertEquals(a, store.read(a.snapshotId()).orElseThrow());
        assertEquals(b, store.read(b.snapshotId()).orElseThrow());
        assertEquals(c, store.read(c.snapshotId()).orElseThrow());
    }

    @Test
    void nothingIsImportedWhenASourceIsMissing() throws Exception {
        Path target = work.resolve("target");
        Path file = work.resolve("one.json");
        Files.write(file, SnapshotCodec.plain().encode(originals.values().iterator().next()));
        Cli.Result result = new Cli().run("import", file.toString(), work.resolve("missing").toString(),
                "--dir", target.toString());
        assertEquals(3, result.code(), result::toString);
        assertTrue(result.err().startsWith("memsnap: no such snapshot file or directory: "), result.err());
        assertFalse(Files.exists(target));
    }

    @Test
    void aStoreCannotBeCopiedOntoItself() {
        Cli.Result export = new Cli().run("export", "--to", source.toString(), "--config", config.toString());
        assertEquals(2, export.code());
        assertTrue(export.err().startsWith("memsnap: --to is the snapshot directory itself; to re-encrypt it in "
                + "place, use rekey"), export.err());
        Cli.Result importing = new Cli().run("import", source.toString(), "--config", config.toString());
        assertEquals(2, importing.code());
    }

    @Test
    void unreadableSnapshotsAreReportedAndTheRestStillExported() throws Exception {
        // a snapshot under a key the exporter does not have
        String foreign = Fixtures.id(T.plusDays(20), 20);
        Fixtures.saveUnderMasterKey(source, Fixtures.codec(Compression.NONE, Fixtures.ring(otherKey)),
                TestSnapshots.snapshot(foreign, T.plusDays(20), 1, 1));
        Path exported = work.resolve("exported");
        Cli.Result result = new Cli().run("export", "--to", exported.toString(), "--no-encrypt", "--config",
                config.toString());
        assertEquals(4, result.code(), result::toString);
        assertTrue(result.out().startsWith("exported 7 snapshots to "), result.out());
        assertTrue(result.err().startsWith("memsnap: not exported " + foreign + ": "
                + source.resolve(foreign + ".json.enc") + ": wrong key"), result.err());
        assertSameContent(exported, null);
    }

    private Set<String> suffixed(String suffix) {
        return originals.keySet().stream().map(id -> id + suffix).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every original snapshot, exactly, with its labels and pin, and nothing else. */
    private void assertSameContent(Path dir, KeyRing ring) {
        SnapshotStore store = Fixtures.store(dir, ring == null ? SnapshotCodec.plain()
                : SnapshotCodec.plain().withKeys(ring));
        assertEquals(originals.keySet(), new TreeSet<>(store.storedIds()));
        for (var e : originals.entrySet()) {
            assertEquals(e.getValue(), store.read(e.getKey()).orElseThrow(), e.getKey());
            assertEquals(tags.get(e.getKey()), store.tags(e.getKey()), e.getKey());
        }
    }
}
