package dev.memsnap.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Targets table rendered from canned results: the peers, the ratios and PASS/MISS. No timing. */
class ReportTargetsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N = 100_000;

    @TempDir
    Path results;

    @Test
    void verdictsAreAtMostTheLimit() {
        assertTrue(ReportWriter.atMost(0.01, 0.01, ReportWriter::ratioText).startsWith("**PASS**"));
        String miss = ReportWriter.atMost(0.05, 0.01, ReportWriter::ratioText);
        assertTrue(miss.startsWith("**MISS** by 5.0×"), miss);
        assertEquals("not measured", ReportWriter.atMost(Double.NaN, 1, ReportWriter::ratioText));
        assertEquals("0.00040×", ReportWriter.ratioText(0.0004));
        assertEquals("0.020×", ReportWriter.ratioText(0.02));
        assertEquals(2.0, ReportWriter.median(List.of(3.0, 1.0, 2.0, Double.NaN)));
    }

    @Test
    void everyIssueRowIsThereWithItsPeerAndVerdict() throws Exception {
        ObjectNode run = JSON.createObjectNode();
        run.put("profile", "report");
        run.put("target_size", N);
        run.putObject("incremental").put("available", true);
        ArrayNode m = run.putArray("measurements");
        // python: create 100 ms, save 2 s, load 1 s
        m.add(node("kind", "python", "impl", "python", "size", N, "create_ms_median", 100.0,
                "save_ms_median", 2000.0, "load_ms_median", 1000.0, "create_ms", List.of(100.0),
                "save_ms", List.of(2000.0), "load_ms", List.of(1000.0), "peer", "/x/memory_snapshot.py",
                "peer_sha256", "0123456789abcdef"));
        // incremental: 0.5% of full, CPU 4 ms, save 50 ms (0.025× Python's save: PASS)
        m.add(store("incremental", 60_000_000, 300_000, List.of(50.0), List.of(4.0), 5_000_000));
        // postgres: a whole row per save (100%), growth 1.5 GB
        m.add(store("postgres", 30_000_000, 30_000_000, List.of(400.0), List.of(20.0), 1_500_000_000L));
        m.add(store("file", 75_000_000, 75_000_000, List.of(800.0), List.of(300.0), 0));
        ObjectNode listing = node("kind", "listing", "impl", "memsnap", "size", 10_000);
        listing.putArray("processes").add(node("fresh_process_ms", 40.0, "start_ms", 300.0,
                "fresh_instance_ms", List.of(12.0), "warm_ms", List.of(5.0, 6.0, 7.0)));
        m.add(listing);
        m.add(node("kind", "loadheap", "impl", "memsnap", "size", 1_000_000, "state_bytes", 1_000_000_000L,
                "peak_used_bytes", 3_000_000_000L, "peak_after_gc_bytes", 2_000_000_000L, "ratio", 3.0,
                "ratio_after_gc", 2.0, "file_bytes", 700_000_000L, "max_heap_bytes", 12_000_000_000L));
        JSON.writeValue(results.resolve("run.json").toFile(), run);
        // JMH: create 10 µs (0.0001× of Python's 100 ms: PASS); JSON write 100 ms vs Jackson 150 ms (0.67×: PASS)
        // and read 300 ms vs 200 ms (1.5×: MISS); load p50 500 ms (0.5× Python: MISS)
        ArrayNode jmh = JSON.createArrayNode();
        jmh.add(jmh("CreateSnapshotBenchmark.createSnapshot", "sample", Map.of("impl", "memsnap", "size", "100000"),
                10, "us/op"));
        jmh.add(jmh("SaveLoadBenchmark.loadSnapshot", "sample", Map.of("impl", "memsnap", "size", "100000"), 500,
                "ms/op"));
        jmh.add(jmh("JsonThroughputBenchmark.write", "avgt", Map.of("impl", "memsnap", "size", "100000"), 100,
                "ms/op"));
        jmh.add(jmh("JsonThroughputBenchmark.write", "avgt", Map.of("impl", "jackson", "size", "100000"), 150,
                "ms/op"));
        jmh.add(jmh("JsonThroughputBenchmark.read", "avgt", Map.of("impl", "memsnap", "size", "100000"), 300,
                "ms/op"));
        jmh.add(jmh("JsonThroughputBenchmark.read", "avgt", Map.of("impl", "jackson", "size", "100000"), 200,
                "ms/op"));
        JSON.writeValue(results.resolve("jmh-canned.json").toFile(), jmh);

        String report = ReportWriter.render(results);
        String targets = report.substring(report.indexOf("## Targets"), report.indexOf("## 1."));
        assertEquals(11, targets.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| at ") && !l.startsWith("| ---")).count(),
                targets);
        assertRow(targets, "create vs Python", "0.00010×", "**PASS**");
        assertRow(targets, "save vs Python", "0.025×", "**PASS**");
        assertRow(targets, "load vs Python", "0.50×", "**MISS** by 1.7×");
        assertRow(targets, "full JSON write", "0.67×", "**PASS**");
        assertRow(targets, "full JSON read", "1.50×", "**MISS** by 1.8×");
        assertRow(targets, "bytes written by an automatic save", "incremental 0.50%", "incremental: **PASS**");
        assertRow(targets, "bytes written by an automatic save", "postgres 100%", "postgres: **MISS** by 100×");
        assertRow(targets, "storage added by 50", "postgres 1500.0 MB", "postgres: **MISS** by 60×");
        assertRow(targets, "CPU of an incremental save", "4.00 ms", "**PASS**");
        assertRow(targets, "`listSnapshots` of 10k", "file 40.0 ms / 6.00 ms", "fresh **MISS** by 1.3×");
        assertRow(targets, "`listSnapshots` of 10k", "file 40.0 ms / 6.00 ms", "warm **PASS**");
        assertRow(targets, "load at 1M memories", "3.00×", "**MISS** by 1.2×");
        assertRow(targets, "`addTurn` p99", "not measured", "not measured");

        String why = report.substring(report.indexOf("## Why targets are missed"));
        assertTrue(why.contains("load vs Python"), why);
        assertTrue(why.contains("full JSON read"), why);
        assertFalse(why.contains("full JSON write"), why);
        assertTrue(why.contains("writes each snapshot whole"), why);
        assertTrue(why.contains("garbage"), why);
    }

    @Test
    void withoutAPythonPeerTheRowsSaySoRatherThanInventNumbers() throws Exception {
        ObjectNode run = JSON.createObjectNode();
        run.put("target_size", N);
        run.putArray("measurements").add(node("kind", "python", "impl", "python", "size", N,
                "missing", ReportWriter.NO_PYTHON));
        JSON.writeValue(results.resolve("run.json").toFile(), run);
        String report = ReportWriter.render(results);
        for (String row : List.of("create vs Python", "save vs Python", "load vs Python")) {
            assertRow(report, row, ReportWriter.NO_PYTHON, "not measured: " + ReportWriter.NO_PYTHON);
        }
    }

    private static void assertRow(String text, String row, String... contains) {
        String line = text.lines().filter(l -> l.startsWith("| " + row)).findFirst().orElse(null);
        assertTrue(line != null, "no row " + row + " in\n" + text);
        for (String c : contains) {
            assertTrue(line.contains(c), "row " + row + " lacks " + c + ": " + line);
        }
    }

    private static ObjectNode store(String store, long full, long changed, List<Double> wall, List<Double> cpu,
                                    long growth) {
        ObjectNode s = node("kind", "stores", "impl", store, "size", N, "store", store + "Store",
                "full_bytes", full, "auto_changed_bytes", changed, "save_wall_ms", wall, "save_thread_cpu_ms", cpu,
                "save_process_cpu_ms", cpu, "save_bytes", List.of(changed));
        if (growth > 0) {
            s.put("growth_snapshots", 50);
            s.put("growth_bytes", growth);
        }
        return s;
    }

    private static ObjectNode node(Object... keysAndValues) {
        ObjectNode n = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            n.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return n;
    }

    private static ObjectNode jmh(String benchmark, String mode, Map<String, String> params, double score,
                                  String unit) {
        ObjectNode r = JSON.createObjectNode();
        r.put("benchmark", "dev.memsnap.benchmarks." + benchmark);
        r.put("mode", mode);
        r.set("params", JSON.valueToTree(params));
        ObjectNode primary = r.putObject("primaryMetric");
        primary.put("score", score);
        primary.put("scoreUnit", unit);
        primary.putObject("scorePercentiles").put("50.0", score).put("99.0", score);
        if (mode.equals("avgt")) {
            primary.putArray("rawData").addArray().add(score).add(score).add(score);
        } else {
            primary.putArray("rawDataHistogram");
        }
        return r;
    }
}
