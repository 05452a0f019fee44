package dev.memsnap.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Version;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the benchmark suite and writes the report: {@code java -jar memsnap-benchmarks.jar [options]}.
 * <pre>
 *   --profile quick|report|full   what to run and how long (default report; see {@link Plan})
 *   --only a,b,...                only these runs (create, create-1m, turns, json, list, apply, compare, saveload,
 *                                 bytes, heap); results of earlier runs of the others are kept
 *   --render-only                 do not measure: rewrite the report from the results directory
 *   --out FILE                    the report (default docs/benchmarks.md)
 *   --results DIR                 raw results (default benchmarks/target/benchmark-results)
 *   --scratch DIR                 scratch space for stores and seed files (default: a memsnap-bench directory in
 *                                 java.io.tmpdir; deleted at the end unless --keep-scratch)
 *   --commit TEXT, --core-changes TEXT   what was measured, for the report (run.sh passes git's view)
 * </pre>
 * Paths are relative to the working directory; {@code benchmarks/run.sh} runs this from the repository root.
 */
public final class ReportMain {
    /** JVM options of every JMH fork and measurement JVM. */
    static final List<String> FORK_JVM_ARGS = List.of("-Xmx12g", "-XX:+UseG1GC",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportMain() {
    }

    public static void main(String[] args) throws Exception {
        String profile = "report";
        List<String> only = null;
        boolean renderOnly = false;
        boolean keepScratch = false;
        Path out = Path.of("docs", "benchmarks.md");
        Path results = Path.of("benchmarks", "target", "benchmark-results");
        Path scratch = Path.of(System.getProperty("java.io.tmpdir"), "memsnap-bench");
        String commit = "unknown";
        String coreChanges = "";
        String pythonPeer = System.getenv(PYTHON_PEER_ENV);
        Path pythonDriver = Path.of("benchmarks", "python", "peer_driver.py");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--profile" -> profile = args[++i];
                case "--only" -> only = Arrays.asList(args[++i].split(","));
                case "--render-only" -> renderOnly = true;
                case "--keep-scratch" -> keepScratch = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--results" -> results = Path.of(args[++i]);
                case "--scratch" -> scratch = Path.of(args[++i]);
                case "--commit" -> commit = args[++i];
                case "--core-changes" -> coreChanges = args[++i];
                case "--python-peer" -> pythonPeer = args[++i];
                case "--python-driver" -> pythonDriver = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: [--profile quick|report|full] [--only runs] [--render-only] "
                            + "[--out file] [--results dir] [--scratch dir] [--keep-scratch] "
                            + "[--python-peer memory_snapshot.py] [--python-driver peer_driver.py]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        results = results.toAbsolutePath();
        if (!renderOnly) {
            Plan plan = Plan.of(profile);
            if (only != null) {
                plan = plan.only(only);
            }
            Python python = new Python(pythonPeer == null || pythonPeer.isBlank() ? null : Path.of(pythonPeer),
                    pythonDriver.toAbsolutePath());
            measure(plan, results, scratch.toAbsolutePath(), only != null, commit, coreChanges, python);
            if (!keepScratch) {
                BenchEnv.deleteTree(scratch.toAbsolutePath());
            }
        }
        String report = ReportWriter.render(results);
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println("Wrote " + out.toAbsolutePath());
    }

    /**
     * Runs a plan and records its results in {@code results}: {@code run.json}, {@code facts.properties} and
     * {@code jmh-<run>.json}.
     *
     * @param plan     what to run
     * @param results  where results go
     * @param scratch  scratch space
     * @param partial  whether to keep earlier results of runs this plan does not include
     */
    static void measure(Plan plan, Path results, Path scratch, boolean partial, String commit, String coreChanges,
                        Python python) throws IOException {
        Files.createDirectories(results);
        Files.createDirectories(scratch);
        Path factsFile = results.resolve("facts.properties");
        Path runFile = results.resolve("run.json");
        ObjectNode previous = partial && Files.exists(runFile) ? (ObjectNode) JSON.readTree(runFile.toFile()) : null;
        if (!partial) {
            try (var files = Files.list(results)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (name.startsWith("jmh-") || name.equals("facts.properties") || name.equals("run.json")) {
                        Files.delete(f);
                    }
                }
            }
        }
        System.setProperty(BenchEnv.TMP_PROPERTY, scratch.toString());
        System.setProperty(BenchEnv.FACTS_PROPERTY, factsFile.toString());

        long started = System.nanoTime();
        ObjectNode run = JSON.createObjectNode();
        run.put("profile", plan.profile());
        run.put("target_size", plan.targets().size());
        run.put("started", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        run.put("commit", commit);
        run.put("core_changes", coreChanges);
        run.put("jmh_version", Version.getPlainVersion());
        ObjectNode machine = machine();
        machine.put("load_before", loadAverage());
        run.set("machine", machine);
        run.set("jdk", jdk());

        System.out.println("# Probing memory.store: incremental");
        StoreProbe probe = StoreProbe.run();
        ObjectNode inc = run.putObject("incremental");
        inc.put("available", probe.available());
        inc.put("description", probe.summary());
        System.out.println("# " + (probe.available() ? "available: " : "not available: ") + probe.summary());
        if (!probe.available()) {
            plan = plan.withoutIncremental();
        }
        List<String> forkArgs = new ArrayList<>(FORK_JVM_ARGS);
        forkArgs.add("-D" + BenchEnv.TMP_PROPERTY + "=" + scratch);
        forkArgs.add("-D" + BenchEnv.FACTS_PROPERTY + "=" + factsFile);
        if (probe.available() && !probe.named()) {
            forkArgs.add("-D" + MemsnapSubject.INCREMENTAL_CONFIRMED_PROPERTY + "=true");
        }
        run.set("fork_jvm_args", JSON.valueToTree(FORK_JVM_ARGS));

        ArrayNode specs = run.putArray("specs");
        for (Plan.Spec spec : plan.specs()) {
            ObjectNode s = describe(spec);
            s.put("load_before", loadAverage());
            specs.add(s);
            System.out.println("# Run " + spec.name() + ": " + spec.trials() + " trials");
            long t0 = System.nanoTime();
            try {
                var collected = new Runner(options(spec, results, forkArgs)).run();
                int expected = spec.trials();
                if (collected.size() < expected) {
                    s.put("error", (expected - collected.size()) + " of " + expected + " trials failed");
                }
            } catch (RunnerException | RuntimeException e) {
                s.put("error", String.valueOf(e.getMessage()));
                e.printStackTrace();
            }
            s.put("seconds_taken", (System.nanoTime() - t0) / 1e9);
            writeRun(runFile, merge(previous, run, started));
        }

        ArrayNode measurements = run.putArray("measurements");
        for (Plan.Bytes b : plan.bytes()) {
            System.out.println("# Bytes written: " + b.impl() + " at " + b.size() + " memories");
            measurements.add(child(List.of("bytes", b.impl(), Integer.toString(b.size())), scratch, forkArgs,
                    "bytes", b.impl(), b.size()));
            writeRun(runFile, merge(previous, run, started));
        }
        for (Plan.Heap h : plan.heap()) {
            System.out.println("# Heap: " + h.impl() + " at " + h.size() + " memories, " + h.snapshots()
                    + " snapshots");
            ObjectNode m = child(List.of("heap", h.impl(), Integer.toString(h.size()),
                    Integer.toString(h.snapshots())), scratch, forkArgs, "heap", h.impl(), h.size());
            m.put("snapshots", h.snapshots());
            measurements.add(m);
            writeRun(runFile, merge(previous, run, started));
        }
        Plan.Targets t = plan.targets();
        if (plan.runs("stores")) {
            for (String store : t.stores()) {
                System.out.println("# Stores: " + store + " at " + t.size() + " memories");
                String load = loadAverage();
                ObjectNode m = child(List.of("stores", store, Integer.toString(t.size()),
                        Integer.toString(t.cpuRounds()),
                        // the growth target is postgres' and incremental's; the file store would write it whole 50 times
                        Integer.toString(store.equals(StoreUnderTest.FILE) ? 0 : t.growth())), scratch, forkArgs, "stores",
                        store, t.size());
                m.put("load_before", load);
                measurements.add(stamped(m));
                writeRun(runFile, merge(previous, run, started));
            }
        }
        if (plan.runs("listing")) {
            for (String impl : t.listing()) {
                System.out.println("# Listing: " + impl + ", " + t.listed() + " snapshots, " + t.listProcesses()
                        + " fresh processes");
                String load = loadAverage();
                child(List.of("listing-build", impl, Integer.toString(t.listed())), scratch, forkArgs, "listing",
                        impl, t.listed());
                ObjectNode merged = JSON.createObjectNode();
                merged.put("kind", "listing");
                merged.put("impl", impl);
                merged.put("size", t.listed());
                merged.put("load_before", load);
                ArrayNode processes = merged.putArray("processes");
                for (int i = 0; i < t.listProcesses(); i++) {
                    ObjectNode one = child(List.of("listing", impl, Integer.toString(t.listed())), scratch, forkArgs,
                            "listing", impl, t.listed());
                    if (one.has("error")) {
                        merged.put("error", one.path("error").asText());
                    }
                    processes.add(one);
                }
                measurements.add(stamped(merged));
                writeRun(runFile, merge(previous, run, started));
            }
        }
        if (plan.runs("loadheap")) {
            System.out.println("# Load heap at " + t.loadHeapSize() + " memories");
            String load = loadAverage();
            ObjectNode m = child(List.of("loadheap", Integer.toString(t.loadHeapSize())), scratch, forkArgs,
                    "loadheap", Subject.MEMSNAP, t.loadHeapSize());
            m.put("load_before", load);
            measurements.add(stamped(m));
            writeRun(runFile, merge(previous, run, started));
        }
        if (plan.runs("python")) {
            System.out.println("# Python peer at " + t.size() + " memories");
            String load = loadAverage();
            ObjectNode m = python.run(t.size(), t.pythonRepeats());
            m.put("load_before", load);
            measurements.add(stamped(m));
            writeRun(runFile, merge(previous, run, started));
        }
        machine.put("load_after", loadAverage());
        writeRun(runFile, merge(previous, run, started));
    }

    /** The environment variable naming the Python peer (Coda_Lite's memory/memory_snapshot.py). */
    static final String PYTHON_PEER_ENV = "MEMSNAP_PYTHON_PEER";

    /** Runs our driver ({@code benchmarks/python/peer_driver.py}) on the user's copy of the Python original. */
    record Python(Path peer, Path driver) {
        ObjectNode run(int size, int repeats) {
            ObjectNode result = JSON.createObjectNode();
            result.put("kind", "python");
            result.put("impl", "python");
            result.put("size", size);
            if (peer == null) {
                result.put("missing", "Python peer not given (see How it was run)");
                return result;
            }
            if (!Files.isRegularFile(peer)) {
                result.put("error", "the Python peer " + peer + " is not a file");
                return result;
            }
            String python = System.getenv().getOrDefault("MEMSNAP_PYTHON", "python3");
            Path seed = BenchEnv.seedFile(size, 0);
            List<String> command = List.of(python, driver.toString(), "--peer", peer.toAbsolutePath().toString(),
                    "--seed", seed.toString(), "--repeats", Integer.toString(repeats), "--changes",
                    Integer.toString(TargetMeasurements.CHANGES), "--workdir",
                    BenchEnv.newDir("python").toString());
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                String found = null;
                StringBuilder output = new StringBuilder();
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (line.startsWith(Measurements.RESULT_PREFIX)) {
                            found = line.substring(Measurements.RESULT_PREFIX.length());
                        } else {
                            System.out.println("  " + line);
                            output.append(line).append('\n');
                        }
                    }
                }
                if (!process.waitFor(60, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    result.put("error", "timed out");
                } else if (found == null) {
                    String tail = output.length() > 400 ? output.substring(output.length() - 400) : output.toString();
                    result.put("error", python + " exited with " + process.exitValue() + ": " + tail.strip());
                } else {
                    ObjectNode parsed = (ObjectNode) JSON.readTree(found);
                    parsed.put("kind", "python");
                    parsed.put("impl", "python");
                    parsed.put("size", size);
                    System.out.println("  " + parsed);
                    return parsed;
                }
            } catch (IOException e) {
                result.put("error", "cannot run " + python + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.put("error", "interrupted");
            }
            return result;
        }
    }

    /** Adds when the measurement ended and the load average then, for the report's table of runs. */
    private static ObjectNode stamped(ObjectNode m) {
        m.put("ended", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        m.put("load_after", loadAverage());
        return m;
    }

    private static ChainedOptionsBuilder optionsBase(Plan.Spec spec, List<String> forkArgs) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(spec.includePattern())
                .forks(1)
                .warmupIterations(spec.warmups())
                .warmupTime(TimeValue.seconds(spec.warmupSeconds()))
                .measurementIterations(spec.iterations())
                .measurementTime(TimeValue.seconds(spec.seconds()))
                .timeout(TimeValue.minutes(10))
                .jvmArgs(forkArgs.toArray(String[]::new)) // exactly these: not the report JVM's own options
                .jvmArgsAppend()
                .shouldFailOnError(false);
        spec.params().forEach((k, v) -> options.param(k, v.toArray(String[]::new)));
        return options;
    }

    private static org.openjdk.jmh.runner.options.Options options(Plan.Spec spec, Path results,
                                                                  List<String> forkArgs) {
        return optionsBase(spec, forkArgs)
                .resultFormat(ResultFormatType.JSON)
                .result(results.resolve("jmh-" + spec.name() + ".json").toString())
                .build();
    }

    private static ObjectNode describe(Plan.Spec spec) {
        ObjectNode s = JSON.createObjectNode();
        s.put("name", spec.name());
        s.put("benchmark", spec.benchmark().getSimpleName());
        s.set("methods", JSON.valueToTree(spec.methods()));
        s.set("params", JSON.valueToTree(spec.params()));
        s.put("warmups", spec.warmups());
        s.put("warmup_s", spec.warmupSeconds());
        s.put("iterations", spec.iterations());
        s.put("iteration_s", spec.seconds());
        s.put("trials", spec.trials());
        return s;
    }

    private static final String PG_PASSWORD_ENV = dev.memsnap.store.postgres.PostgresServer.PASSWORD_ENV;

    /** Runs one measurement in a JVM of its own and returns its result, or an error. */
    private static ObjectNode child(List<String> measurementArgs, Path scratch, List<String> forkArgs, String kind,
                                    String impl, int size) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(forkArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Measurements.class.getName());
        command.addAll(measurementArgs);
        ObjectNode result = JSON.createObjectNode();
        result.put("kind", kind);
        result.put("impl", impl);
        result.put("size", size);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            // the role's password on the throwaway PostgreSQL cluster PostgresServer starts (127.0.0.1 only)
            builder.environment().putIfAbsent(PG_PASSWORD_ENV, "memsnap-bench-" + java.util.UUID.randomUUID());
            Process process = builder.start();
            String found = null;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith(Measurements.RESULT_PREFIX)) {
                        found = line.substring(Measurements.RESULT_PREFIX.length());
                    } else {
                        System.out.println("  " + line);
                    }
                }
            }
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                result.put("error", "timed out");
            } else if (found == null) {
                result.put("error", "exited with " + process.exitValue() + " and no result");
            } else {
                ObjectNode parsed = (ObjectNode) JSON.readTree(found);
                parsed.put("kind", kind);
                System.out.println("  " + parsed);
                return parsed;
            }
        } catch (IOException e) {
            result.put("error", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.put("error", "interrupted");
        }
        System.out.println("  failed: " + result);
        return result;
    }

    /** Keeps earlier results of runs this (partial) run did not repeat. */
    private static ObjectNode merge(ObjectNode previous, ObjectNode current, long startedNanos) {
        ObjectNode merged = current.deepCopy();
        merged.put("duration_s", (System.nanoTime() - startedNanos) / 1e9);
        if (previous == null) {
            return merged;
        }
        merged.put("duration_s", previous.path("duration_s").asDouble(0) + merged.path("duration_s").asDouble(0));
        ArrayNode specs = merged.withArray("specs");
        for (JsonNode old : previous.path("specs")) {
            boolean rerun = false;
            for (JsonNode s : specs) {
                rerun |= s.path("name").asText().equals(old.path("name").asText());
            }
            if (!rerun) {
                specs.add(old);
            }
        }
        ArrayNode measurements = merged.withArray("measurements");
        for (JsonNode old : previous.path("measurements")) {
            boolean rerun = false;
            for (JsonNode m : measurements) {
                rerun |= m.path("kind").asText().equals(old.path("kind").asText())
                        && m.path("impl").asText().equals(old.path("impl").asText())
                        && m.path("size").asInt() == old.path("size").asInt();
            }
            if (!rerun) {
                measurements.add(old);
            }
        }
        return merged;
    }

    private static void writeRun(Path runFile, ObjectNode run) {
        try {
            JSON.writeValue(runFile.toFile(), run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode machine() {
        ObjectNode m = JSON.createObjectNode();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpu_model", cpuModel());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            m.put("ram_bytes", os.getTotalMemorySize());
        }
        m.put("os_name", System.getProperty("os.name"));
        m.put("os_arch", System.getProperty("os.arch"));
        m.put("os_version", System.getProperty("os.version"));
        return m;
    }

    static ObjectNode jdk() {
        ObjectNode j = JSON.createObjectNode();
        j.put("vm_name", System.getProperty("java.vm.name"));
        j.put("version", System.getProperty("java.version"));
        j.put("vendor", System.getProperty("java.vendor"));
        j.put("runtime", System.getProperty("java.runtime.version"));
        return j;
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(cpuinfo)) {
                for (String line : Files.readAllLines(cpuinfo)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            }
        } catch (IOException | UncheckedIOException ignored) {
            // not Linux, or not readable
        }
        return System.getProperty("os.arch") + " CPU";
    }

    private static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f", load);
    }
}
