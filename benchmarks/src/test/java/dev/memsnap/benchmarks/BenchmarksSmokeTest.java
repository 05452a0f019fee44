package dev.memsnap.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the benchmarks from rotting, in CI: runs every benchmark of the report's plan once, in process, on 1k
 * memories (one JMH iteration of 20 calls, no warm-up), then the bytes and heap measurements on 1k memories, then
 * renders the report from what that produced. Measures nothing worth reading.
 */
class BenchmarksSmokeTest {
    private static final int SIZE = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private static Path results;

    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty(BenchEnv.TMP_PROPERTY, temp.resolve("scratch").toString());
        results = Files.createDirectories(temp.resolve("results"));
        System.setProperty(BenchEnv.FACTS_PROPERTY, results.resolve("facts.properties").toString());
        System.setProperty(AutoSnapshotTurnBenchmark.WARM_PROPERTY, "50");
    }

    @AfterAll
    static void tearDown() {
        System.clearProperty(BenchEnv.TMP_PROPERTY);
        System.clearProperty(BenchEnv.FACTS_PROPERTY);
        System.clearProperty(AutoSnapshotTurnBenchmark.WARM_PROPERTY);
    }

    @Test
    void everyBenchmarkAndMeasurementRunsOnTinyDataAndTheReportRenders() throws Exception {
        StoreProbe probe = StoreProbe.run();
        Plan plan = Plan.of("report");
        if (!probe.available()) {
            plan = plan.withoutIncremental();
        }
        ObjectNode run = JSON.createObjectNode();
        run.put("profile", "smoke");
        run.set("machine", ReportMain.machine());
        run.set("jdk", ReportMain.jdk());
        ObjectNode inc = run.putObject("incremental");
        inc.put("available", probe.available());
        inc.put("description", probe.summary());
        ArrayNode specs = run.putArray("specs");

        List<String> ran = new ArrayList<>();
        for (Plan.Spec spec : plan.specs()) {
            if (spec.name().endsWith("-1m")) {
                continue; // the same benchmark at another size
            }
            Collection<RunResult> collected = new Runner(smokeOptions(spec)).run();
            int expected = spec.trials() / sizesIn(spec);
            assertEquals(expected, collected.size(), spec.name() + ": one result per method and parameter set");
            ran.add(spec.benchmark().getSimpleName());
            ObjectNode s = specs.addObject();
            s.put("name", spec.name());
            s.put("benchmark", spec.benchmark().getSimpleName());
        }
        assertTrue(ran.containsAll(List.of("CreateSnapshotBenchmark", "AutoSnapshotTurnBenchmark",
                "JsonThroughputBenchmark", "ListSnapshotsBenchmark", "ApplySnapshotBenchmark", "CompareBenchmark",
                "SaveLoadBenchmark", "LangChain4jTurnBenchmark")), ran.toString());

        ArrayNode measurements = run.putArray("measurements");
        List<String> impls = probe.available() ? List.of(Subject.MEMSNAP, Subject.INCREMENTAL, Subject.BASELINE)
                : List.of(Subject.MEMSNAP, Subject.BASELINE);
        for (String impl : impls) {
            Map<String, Object> bytes = Measurements.bytesWritten(impl, SIZE);
            assertTrue(((Number) bytes.get("full_bytes")).longValue() > SIZE * 200L, bytes.toString());
            assertTrue(((Number) bytes.get("changed_bytes")).longValue() > 0, bytes.toString());
            ObjectNode node = JSON.valueToTree(bytes);
            node.put("kind", "bytes");
            measurements.add(node);
        }
        for (String impl : List.of(Subject.MEMSNAP, Subject.BASELINE)) {
            Map<String, Object> heap = Measurements.heapHeld(impl, SIZE, 3);
            assertEquals(3, heap.get("held"), heap.toString());
            ObjectNode node = JSON.valueToTree(heap);
            node.put("kind", "heap");
            measurements.add(node);
        }
        // issue #17's measurements outside JMH, tiny (PostgreSQL is left out: starting a cluster costs more than this
        // whole test; ReportTargetsTest renders its rows from canned results)
        List<String> stores = probe.available() ? List.of(StoreUnderTest.FILE, StoreUnderTest.INCREMENTAL)
                : List.of(StoreUnderTest.FILE);
        for (String store : stores) {
            Map<String, Object> s = TargetMeasurements.stores(store, SIZE, 1, 2);
            assertTrue(!s.containsKey("error") && ((Number) s.get("auto_changed_bytes")).longValue() > 0,
                    s.toString());
            ObjectNode node = JSON.valueToTree(s);
            node.put("kind", "stores");
            measurements.add(node);
        }
        Map<String, Object> listing = TargetMeasurements.listing(Subject.MEMSNAP, 50, false);
        assertTrue(listing.containsKey("fresh_process_ms"), listing.toString());
        ObjectNode listed = JSON.createObjectNode();
        listed.put("kind", "listing");
        listed.put("impl", Subject.MEMSNAP);
        listed.put("size", 50);
        listed.putArray("processes").add(JSON.valueToTree(listing));
        measurements.add(listed);
        Map<String, Object> loadHeap = TargetMeasurements.loadHeap(SIZE);
        assertTrue(((Number) loadHeap.get("state_bytes")).longValue() > 0, loadHeap.toString());
        ObjectNode heapNode = JSON.valueToTree(loadHeap);
        heapNode.put("kind", "loadheap");
        measurements.add(heapNode);
        run.put("target_size", SIZE);
        JSON.writeValue(results.resolve("run.json").toFile(), run);

        String report = ReportWriter.render(results);
        Path target = Path.of("target");
        Files.writeString((Files.isDirectory(target) ? target : temp).resolve("benchmarks-smoke.md"), report);
        for (String heading : List.of("## Machine and run", "## Targets at 1k memories", "## 1. `createSnapshot`",
                "## 2. Automatic snapshots", "## 3. Bytes written", "## 4. Full-JSON", "## 5. `listSnapshots`",
                "## 6. Heap held", "## 7. Other measurements", "### LangChain4j: one `AiServices` turn",
                "## 10. Issue #17", "## Why targets are missed", "## How it was run")) {
            assertTrue(report.contains(heading), "report lacks " + heading + ":\n" + report);
        }
        assertTrue(report.contains("| 1k |"), "1k rows:\n" + report);
        assertTrue(report.contains("## Targets at 1k memories"), report);
        Map<String, String> facts = ReportWriter.readFacts(results.resolve("facts.properties"));
        assertTrue(facts.containsKey("json.bytes.memsnap." + SIZE), facts.toString());
    }

    /** One iteration of 20 calls, no warm-up, no fork, tiny sizes; fail on any error. */
    private static org.openjdk.jmh.runner.options.Options smokeOptions(Plan.Spec spec) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(spec.includePattern())
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .mode(Mode.SingleShotTime)
                .measurementBatchSize(20)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .resultFormat(ResultFormatType.JSON)
                .result(results.resolve("jmh-" + spec.name() + ".json").toString());
        spec.params().forEach((key, values) -> {
            switch (key) {
                case "size" -> options.param(key, Integer.toString(SIZE));
                case "snapshots" -> options.param(key, "50");
                default -> options.param(key, values.toArray(String[]::new));
            }
        });
        return options.build();
    }

    private static int sizesIn(Plan.Spec spec) {
        List<String> sizes = spec.params().get("size");
        return sizes == null ? 1 : sizes.size();
    }
}
