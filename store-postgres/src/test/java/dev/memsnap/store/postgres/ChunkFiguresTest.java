package dev.memsnap.store.postgres;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.Snapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The issue-17 figures of the README and benchmarks/hand-run.md, at 100,000 memories (about 55 MB of JSON): bytes a
 * save writes after 100 scattered changes, and storage added by automatic snapshots of a slowly growing memory, whole
 * rows (before V4) against chunks. Not run in CI: {@code -Dtest=ChunkFiguresTest -Dmemsnap.figures=true}. Checks
 * only correctness; figures go to the log and {@code target/store-postgres-chunk-figures.txt}.
 */
@EnabledIfSystemProperty(named = "memsnap.figures", matches = "true")
class ChunkFiguresTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 6, 1, 8, 0);
    private static final int MEMORIES = 100_000;
    private final PostgresServer server = PostgresServer.shared();
    private final List<String> figures = new ArrayList<>();

    /** A memory of 200 to 500 bytes of word-like text, a source type, topics and two metadata extras. */
    static Memory memory(int i, int version) {
        SplittableRandom r = new SplittableRandom(i * 31L + version);
        StringBuilder text = new StringBuilder();
        int length = 200 + r.nextInt(301);
        while (text.length() < length) {
            int w = (int) Math.min(3999, Math.abs(r.nextGaussian()) * 600);
            text.append("w").append(Integer.toString(w, 36)).append(w % 7 == 0 ? ". " : " ");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(Memory.SOURCE_TYPE, new String[] {"fact", "preference", "observation", "event"}[i % 4]);
        metadata.put(Memory.TOPICS, List.of("topic" + r.nextInt(300), "topic" + r.nextInt(300)));
        metadata.put("confidence", Math.round(r.nextDouble() * 100) / 100.0);
        metadata.put("origin", "conversation");
        return new Memory(text.toString(), T0.plusSeconds(i), r.nextDouble(), metadata);
    }

    static List<Turn> turns(int from, int count) {
        List<Turn> turns = new ArrayList<>();
        for (int t = from; t < from + count; t++) {
            turns.add(new Turn(t % 2 == 0 ? "user" : "assistant", "turn " + t + " " + "words ".repeat(40 + t % 80)));
        }
        return turns;
    }

    private static String id(int n) {
        return String.format("snapshot_20250601_080000_%08x", n);
    }

    private static MemorySnapshot snapshot(int n, List<Turn> turns, Map<String, Memory> memories) {
        return Snapshots.of(id(n), T0.plusMinutes(n), turns, T0, memories, null);
    }

    private long wal(Connection c) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long size(Connection c, String schema) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n "
                        + "ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "' AND c.relkind = 'r'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void figure(String line) {
        figures.add(line);
        System.out.println("FIGURE " + line);
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
    void bytesWrittenAfterScatteredChangesAndStorageOfSlowlyGrowingSnapshots() throws Exception {
        String database = server.createDatabase();
        Map<String, Memory> state = new LinkedHashMap<>();
        for (int i = 0; i < MEMORIES; i++) {
            state.put("memory_" + (i + 1), memory(i, 0));
        }
        List<Turn> turns = turns(0, 300);
        long json = SnapshotCodec.plain().encode(snapshot(0, turns, state)).length;
        figure("document: " + MEMORIES + " memories, 300 turns, " + json + " bytes of JSON");
        try (Connection c = server.admin(database)) {
            for (boolean chunked : new boolean[] {false, true}) {
                String schema = chunked ? "chunks" : "whole";
                PostgresSnapshotStore store = PostgresServer.started(server.config(database, schema),
                        SnapshotCodec.plain());
                store.writeChunks(chunked);
                try {
                    Map<String, Memory> live = new LinkedHashMap<>(state);
                    long w0 = wal(c);
                    long t = System.nanoTime();
                    store.save(snapshot(1, turns, live));
                    long fullWal = wal(c) - w0;
                    long fullMs = (System.nanoTime() - t) / 1_000_000;
                    long fullSent = chunked ? store.lastSave.storedBytes() : json;
                    SplittableRandom r = new SplittableRandom(17);
                    for (int k = 0; k < 100; k++) {
                        int i = r.nextInt(MEMORIES);
                        live.put("memory_" + (i + 1), memory(i, 1));
                    }
                    long w1 = wal(c);
                    t = System.nanoTime();
                    store.save(snapshot(2, turns, live));
                    long changedWal = wal(c) - w1;
                    long changedMs = (System.nanoTime() - t) / 1_000_000;
                    long changedSent = chunked ? store.lastSave.storedBytes() : json;
                    figure(schema + ": full save sent " + fullSent + " B, WAL " + fullWal + " B, " + fullMs
                            + " ms; after 100 scattered changes sent " + changedSent + " B ("
                            + String.format("%.2f%%", 100.0 * changedSent / fullSent) + "), WAL " + changedWal
                            + " B (" + String.format("%.2f%%", 100.0 * changedWal / fullWal) + "), " + changedMs
                            + " ms");
                    assertEquals(snapshot(2, turns, live), store.read(id(2)).orElseThrow());

                    // slowly growing: every snapshot 10 more turns (the last 300 kept) and 2 more memories
                    int snapshots = chunked ? 50 : 5;
                    long s0 = size(c, schema);
                    long w2 = wal(c);
                    int next = MEMORIES;
                    List<Turn> window = new ArrayList<>(turns);
                    int turnNo = 300;
                    for (int n = 0; n < snapshots; n++) {
                        window.addAll(turns(turnNo, 10));
                        turnNo += 10;
                        window = new ArrayList<>(window.subList(window.size() - 300, window.size()));
                        for (int m = 0; m < 2; m++) {
                            live.put("memory_" + (next + 1), memory(next, 0));
                            next++;
                        }
                        store.save(snapshot(10 + n, window, live));
                    }
                    long added = size(c, schema) - s0;
                    long addedWal = wal(c) - w2;
                    figure(schema + ": " + snapshots + " automatic snapshots of a slowly growing memory added "
                            + added + " B of storage (" + (added / snapshots) + " B each; x50 = "
                            + (added / snapshots * 50) + " B), WAL " + addedWal + " B; the first full save: "
                            + (s0) + " B of storage with the 100-change save");
                    assertEquals(snapshot(10 + snapshots - 1, window, live),
                            store.read(id(10 + snapshots - 1)).orElseThrow());
                } finally {
                    store.stop();
                }
            }
        }
        Files.write(Path.of("target/store-postgres-chunk-figures.txt"), figures, StandardCharsets.UTF_8);
    }
}
