package dev.memsnap.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a report run measures, and how long: the JMH benchmarks with their parameters and iteration settings, and the
 * heap and bytes measurements. Three profiles:
 * <ul>
 *   <li>{@code quick}: 1k and 10k memories, one-second iterations, for checking the suite end to end (~5 min);</li>
 *   <li>{@code report} (the default): 1k, 10k and 100k for every benchmark, 1M for createSnapshot and the heap,
 *       one fork, short warm-up and measurement (~15-20 min on 2 cores);</li>
 *   <li>{@code full}: 1k to 1M everywhere, longer iterations (hours).</li>
 * </ul>
 */
public final class Plan {
    /** The size the targets are stated at. */
    public static final int TARGET_SIZE = 100_000;

    /**
     * One JMH run.
     *
     * @param name           short name; the results file is {@code jmh-<name>.json}
     * @param benchmark      the benchmark class
     * @param methods        its benchmark methods to run
     * @param params         parameter values, in order
     * @param warmups        warm-up iterations
     * @param warmupSeconds  seconds per warm-up iteration
     * @param iterations     measurement iterations
     * @param seconds        seconds per measurement iteration
     */
    public record Spec(String name, Class<?> benchmark, List<String> methods, Map<String, List<String>> params,
                       int warmups, int warmupSeconds, int iterations, int seconds) {

        /** @return the JMH include pattern of exactly these methods */
        public String includePattern() {
            return "^\\Q" + benchmark.getName() + ".\\E(" + String.join("|", methods) + ")$";
        }

        /** @return this spec with one parameter's values replaced */
        public Spec withParam(String key, List<String> values) {
            Map<String, List<String>> copy = new LinkedHashMap<>(params);
            copy.put(key, values);
            return new Spec(name, benchmark, methods, copy, warmups, warmupSeconds, iterations, seconds);
        }

        /** @return how many JMH trials (forks) this spec runs */
        public int trials() {
            int n = methods.size();
            for (List<String> values : params.values()) {
                n *= values.size();
            }
            return n;
        }
    }

    /**
     * One heap measurement.
     *
     * @param impl      memsnap or baseline
     * @param size      memories
     * @param snapshots snapshots held
     */
    public record Heap(String impl, int size, int snapshots) {
    }

    /**
     * One bytes-written measurement.
     *
     * @param impl memsnap, incremental or baseline
     * @param size memories
     */
    public record Bytes(String impl, int size) {
    }

    /**
     * Issue #17's measurements outside JMH ({@link TargetMeasurements}) and the Python peer, at one size.
     *
     * @param size          memories of the store, Python and JSON targets (the 100k; the quick profile
     *                      10k)
     * @param stores        stores of the store targets ({@link StoreUnderTest})
     * @param cpuRounds     explicit saves after 100 changes timed per store
     * @param growth        automatic snapshots of the growth measurement
     * @param listing       implementations of the fresh and warm listing
     * @param listed        snapshots stored for it
     * @param listProcesses fresh processes whose first listing is timed
     * @param loadHeapSize  memories of the load's peak heap measurement (the 1M)
     * @param pythonRepeats repeats of each Python peer timing
     */
    public record Targets(int size, List<String> stores, int cpuRounds, int growth, List<String> listing, int listed,
                          int listProcesses, int loadHeapSize, int pythonRepeats) {
        Targets without(String store, String impl) {
            return new Targets(size, stores.stream().filter(s -> !s.equals(store)).toList(), cpuRounds, growth,
                    listing.stream().filter(i -> !i.equals(impl)).toList(), listed, listProcesses, loadHeapSize,
                    pythonRepeats);
        }
    }

    /** Names of the non-JMH runs {@link #only} accepts besides the specs'. */
    public static final List<String> MEASUREMENTS = List.of("bytes", "heap", "stores", "listing", "loadheap",
            "python");

    private final String profile;
    private final List<Spec> specs;
    private final List<Bytes> bytes;
    private final List<Heap> heap;
    private final Targets targets;
    private final List<String> runs;

    private Plan(String profile, List<Spec> specs, List<Bytes> bytes, List<Heap> heap, Targets targets,
                 List<String> runs) {
        this.profile = profile;
        this.specs = List.copyOf(specs);
        this.bytes = List.copyOf(bytes);
        this.heap = List.copyOf(heap);
        this.targets = targets;
        this.runs = List.copyOf(runs);
    }

    /** @return issue #17's non-JMH measurements */
    public Targets targets() {
        return targets;
    }

    /** @return whether the non-JMH run of this name ({@link #MEASUREMENTS}) is in the plan */
    public boolean runs(String measurement) {
        return runs.contains(measurement);
    }

    public String profile() {
        return profile;
    }

    public List<Spec> specs() {
        return specs;
    }

    public List<Bytes> bytes() {
        return bytes;
    }

    public List<Heap> heap() {
        return heap;
    }

    /**
     * @param profile {@code quick}, {@code report} or {@code full}
     * @return the plan
     */
    public static Plan of(String profile) {
        return switch (profile.toLowerCase(Locale.ROOT)) {
            case "quick" -> quick();
            case "report", "default" -> report();
            case "full" -> full();
            default -> throw new IllegalArgumentException("unknown profile " + profile + " (quick, report, full)");
        };
    }

    private static final List<String> BOTH = List.of(Subject.MEMSNAP, Subject.BASELINE);
    private static final List<String> JSON_IMPLS = List.of(Subject.MEMSNAP, JsonThroughputBenchmark.JACKSON,
            Subject.BASELINE);
    private static final List<String> PAIRS = List.of("loaded", "taken");
    private static final List<String> ALL = List.of(Subject.MEMSNAP, Subject.INCREMENTAL, Subject.BASELINE);
    private static final List<String> STORES = List.of(StoreUnderTest.FILE, StoreUnderTest.INCREMENTAL,
            StoreUnderTest.POSTGRES);
    private static final List<String> LISTING = List.of(Subject.MEMSNAP, Subject.INCREMENTAL);
    private static final List<String> LANGCHAIN4J = List.of(LangChain4jTurnBenchmark.BARE,
            LangChain4jTurnBenchmark.MEMSNAP);

    private static Plan report() {
        List<String> small = sizes(1_000, 10_000, 100_000);
        List<Spec> specs = new ArrayList<>();
        specs.add(spec("create", CreateSnapshotBenchmark.class, List.of("createSnapshot"),
                params("impl", BOTH, "size", small), 3, 1, 5, 1));
        specs.add(spec("create-1m", CreateSnapshotBenchmark.class, List.of("createSnapshot"),
                params("impl", BOTH, "size", sizes(1_000_000)), 2, 2, 3, 2));
        specs.add(spec("turns", AutoSnapshotTurnBenchmark.class, List.of("addTurn"),
                params("impl", ALL, "size", sizes(10_000, 100_000), "auto", List.of("off", "10")), 2, 2, 5, 2));
        specs.add(spec("json", JsonThroughputBenchmark.class, List.of("write", "read"),
                params("impl", JSON_IMPLS, "size", small), 3, 1, 5, 2));
        specs.add(spec("list", ListSnapshotsBenchmark.class, List.of("listSnapshots"),
                params("impl", ALL, "snapshots", List.of("10000")), 2, 2, 5, 2));
        specs.add(spec("apply", ApplySnapshotBenchmark.class, List.of("applySnapshot"),
                params("impl", BOTH, "size", small), 2, 1, 5, 1));
        specs.add(spec("compare", CompareBenchmark.class, List.of("compare"),
                params("impl", BOTH, "size", sizes(10_000, 100_000), "pair", PAIRS), 2, 1, 5, 1));
        specs.add(spec("saveload", SaveLoadBenchmark.class, List.of("saveSnapshot", "loadSnapshot"),
                params("impl", BOTH, "size", sizes(10_000, 100_000)), 2, 2, 4, 2));
        specs.add(spec("langchain4j", LangChain4jTurnBenchmark.class, List.of("chat"),
                params("store", LANGCHAIN4J), 2, 2, 5, 2));
        List<Bytes> bytes = new ArrayList<>();
        for (String impl : ALL) {
            for (int size : new int[]{10_000, 100_000}) {
                bytes.add(new Bytes(impl, size));
            }
        }
        List<Heap> heap = List.of(new Heap(Subject.MEMSNAP, 100_000, 100), new Heap(Subject.BASELINE, 100_000, 100),
                new Heap(Subject.MEMSNAP, 1_000_000, 100));
        Targets targets = new Targets(TARGET_SIZE, STORES, 7, 50, LISTING, 10_000, 3, 1_000_000, 5);
        return new Plan("report", specs, bytes, heap, targets, MEASUREMENTS);
    }

    private static Plan quick() {
        List<String> small = sizes(1_000, 10_000);
        List<Spec> specs = new ArrayList<>();
        specs.add(spec("create", CreateSnapshotBenchmark.class, List.of("createSnapshot"),
                params("impl", BOTH, "size", small), 1, 1, 2, 1));
        specs.add(spec("turns", AutoSnapshotTurnBenchmark.class, List.of("addTurn"),
                params("impl", ALL, "size", sizes(10_000), "auto", List.of("off", "10")), 1, 1, 2, 1));
        specs.add(spec("json", JsonThroughputBenchmark.class, List.of("write", "read"),
                params("impl", JSON_IMPLS, "size", small), 1, 1, 2, 1));
        specs.add(spec("list", ListSnapshotsBenchmark.class, List.of("listSnapshots"),
                params("impl", ALL, "snapshots", List.of("1000")), 1, 1, 2, 1));
        specs.add(spec("apply", ApplySnapshotBenchmark.class, List.of("applySnapshot"),
                params("impl", BOTH, "size", small), 1, 1, 2, 1));
        specs.add(spec("compare", CompareBenchmark.class, List.of("compare"),
                params("impl", BOTH, "size", small, "pair", PAIRS), 1, 1, 2, 1));
        specs.add(spec("saveload", SaveLoadBenchmark.class, List.of("saveSnapshot", "loadSnapshot"),
                params("impl", BOTH, "size", small), 1, 1, 2, 1));
        specs.add(spec("langchain4j", LangChain4jTurnBenchmark.class, List.of("chat"),
                params("store", LANGCHAIN4J), 1, 1, 2, 1));
        List<Bytes> bytes = new ArrayList<>();
        for (String impl : ALL) {
            bytes.add(new Bytes(impl, 10_000));
        }
        List<Heap> heap = List.of(new Heap(Subject.MEMSNAP, 10_000, 20), new Heap(Subject.BASELINE, 10_000, 20));
        Targets targets = new Targets(10_000, STORES, 3, 50, LISTING, 1_000, 3, 100_000, 3);
        return new Plan("quick", specs, bytes, heap, targets, MEASUREMENTS);
    }

    private static Plan full() {
        List<String> every = sizes(1_000, 10_000, 100_000, 1_000_000);
        List<Spec> specs = new ArrayList<>();
        specs.add(spec("create", CreateSnapshotBenchmark.class, List.of("createSnapshot"),
                params("impl", BOTH, "size", every), 5, 2, 10, 2));
        specs.add(spec("turns", AutoSnapshotTurnBenchmark.class, List.of("addTurn"),
                params("impl", ALL, "size", every, "auto", List.of("off", "10")), 3, 5, 10, 5));
        specs.add(spec("json", JsonThroughputBenchmark.class, List.of("write", "read"),
                params("impl", JSON_IMPLS, "size", every), 5, 2, 10, 2));
        specs.add(spec("list", ListSnapshotsBenchmark.class, List.of("listSnapshots"),
                params("impl", ALL, "snapshots", List.of("10000")), 3, 2, 10, 2));
        specs.add(spec("apply", ApplySnapshotBenchmark.class, List.of("applySnapshot"),
                params("impl", BOTH, "size", every), 5, 2, 10, 2));
        specs.add(spec("compare", CompareBenchmark.class, List.of("compare"),
                params("impl", BOTH, "size", every, "pair", PAIRS), 5, 2, 10, 2));
        specs.add(spec("saveload", SaveLoadBenchmark.class, List.of("saveSnapshot", "loadSnapshot"),
                params("impl", BOTH, "size", every), 3, 5, 5, 5));
        specs.add(spec("langchain4j", LangChain4jTurnBenchmark.class, List.of("chat"),
                params("store", LANGCHAIN4J), 3, 5, 10, 5));
        List<Bytes> bytes = new ArrayList<>();
        for (String impl : ALL) {
            for (int size : new int[]{1_000, 10_000, 100_000, 1_000_000}) {
                bytes.add(new Bytes(impl, size));
            }
        }
        List<Heap> heap = List.of(new Heap(Subject.MEMSNAP, 100_000, 100), new Heap(Subject.BASELINE, 100_000, 100),
                new Heap(Subject.MEMSNAP, 1_000_000, 100), new Heap(Subject.BASELINE, 1_000_000, 10));
        Targets targets = new Targets(TARGET_SIZE, STORES, 15, 50, LISTING, 10_000, 5, 1_000_000, 9);
        return new Plan("full", specs, bytes, heap, targets, MEASUREMENTS);
    }

    /** @return this plan without the incremental store: the core does not provide it */
    public Plan withoutIncremental() {
        List<Spec> kept = new ArrayList<>();
        for (Spec s : specs) {
            List<String> impls = s.params().get("impl");
            if (impls != null && impls.contains(Subject.INCREMENTAL)) {
                List<String> rest = impls.stream().filter(i -> !i.equals(Subject.INCREMENTAL)).toList();
                if (!rest.isEmpty()) {
                    kept.add(s.withParam("impl", rest));
                }
            } else {
                kept.add(s);
            }
        }
        return new Plan(profile, kept, bytes.stream().filter(b -> !b.impl().equals(Subject.INCREMENTAL)).toList(),
                heap, targets.without(StoreUnderTest.INCREMENTAL, Subject.INCREMENTAL), runs);
    }

    /**
     * @param names spec names, and {@link #MEASUREMENTS} names for the measurements
     * @return this plan with only those
     */
    public Plan only(List<String> names) {
        List<String> known = new ArrayList<>(MEASUREMENTS);
        specs.forEach(s -> known.add(s.name()));
        for (String name : names) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("--only: unknown run " + name + " (known: "
                        + String.join(", ", known) + ")");
            }
        }
        return new Plan(profile, specs.stream().filter(s -> names.contains(s.name())).toList(),
                names.contains("bytes") ? bytes : List.of(), names.contains("heap") ? heap : List.of(), targets,
                MEASUREMENTS.stream().filter(names::contains).toList());
    }

    private static Spec spec(String name, Class<?> benchmark, List<String> methods, Map<String, List<String>> params,
                             int warmups, int warmupSeconds, int iterations, int seconds) {
        return new Spec(name, benchmark, methods, params, warmups, warmupSeconds, iterations, seconds);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> params(Object... keysAndValues) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            params.put((String) keysAndValues[i], (List<String>) keysAndValues[i + 1]);
        }
        return params;
    }

    private static List<String> sizes(int... sizes) {
        return Arrays.stream(sizes).mapToObj(Integer::toString).toList();
    }
}
