package dev.memsnap.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JMH's JSON results ({@code -rf json}), read back for the report. */
public final class JmhResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One benchmark with one set of parameters. Times are in microseconds per operation.
     *
     * @param benchmark   {@code SimpleClassName.method}
     * @param mode        JMH's mode name: {@code sample}, {@code avgt}, {@code ss}, ...
     * @param params      the parameters
     * @param meanMicros  the score (mean time per operation)
     * @param errorMicros the score's 99.9% confidence half-width, NaN when unknown
     * @param percentiles percentile ("50.0", "99.0", "99.9", ...) to microseconds; empty unless sampled
     * @param samples     how many operations were sampled (sample mode), or 0
     * @param iterations  the mean of each measurement iteration, in microseconds (average-time mode), else empty
     */
    public record Result(String benchmark, String mode, Map<String, String> params, double meanMicros,
                         double errorMicros, Map<String, Double> percentiles, long samples, List<Double> iterations) {

        /** @return the median of the iterations' means (robust to an iteration disturbed by other load), or NaN */
        public double medianIterationMicros() {
            if (iterations.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = iterations.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        /** @return the percentile in microseconds, or NaN */
        public double percentile(String p) {
            Double value = percentiles.get(p);
            return value == null ? Double.NaN : value;
        }
    }

    private final List<Result> results;

    private JmhResults(List<Result> results) {
        this.results = List.copyOf(results);
    }

    /**
     * @param dir a directory of {@code jmh-*.json} files
     * @return every result in them; none when there are none
     */
    public static JmhResults readDir(Path dir) {
        List<Result> all = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "jmh-*.json")) {
                for (Path file : files) {
                    all.addAll(read(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new JmhResults(all);
    }

    /**
     * @param file one JMH JSON results file
     * @return its results
     */
    public static List<Result> read(Path file) {
        JsonNode root;
        try {
            if (Files.size(file) == 0) {
                return List.of();
            }
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JMH results " + file, e);
        }
        List<Result> results = new ArrayList<>();
        for (JsonNode node : root) {
            String full = node.path("benchmark").asText();
            int method = full.lastIndexOf('.');
            int cls = full.lastIndexOf('.', method - 1);
            String name = full.substring(cls + 1);
            Map<String, String> params = new LinkedHashMap<>();
            node.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            JsonNode primary = node.path("primaryMetric");
            double factor = toMicros(primary.path("scoreUnit").asText());
            Map<String, Double> percentiles = new LinkedHashMap<>();
            primary.path("scorePercentiles").properties()
                    .forEach(e -> percentiles.put(e.getKey(), e.getValue().asDouble() * factor));
            long samples = 0;
            for (JsonNode fork : primary.path("rawDataHistogram")) {
                for (JsonNode iteration : fork) {
                    for (JsonNode bucket : iteration) {
                        samples += bucket.path(1).asLong();
                    }
                }
            }
            List<Double> iterations = new ArrayList<>();
            if (!primary.has("rawDataHistogram")) {
                for (JsonNode fork : primary.path("rawData")) {
                    for (JsonNode iteration : fork) {
                        iterations.add(iteration.asDouble() * factor);
                    }
                }
            }
            double error = primary.path("scoreError").asDouble(Double.NaN);
            results.add(new Result(name, node.path("mode").asText(), params,
                    primary.path("score").asDouble() * factor, error * factor, percentiles, samples,
                    List.copyOf(iterations)));
        }
        return results;
    }

    private static double toMicros(String unit) {
        String perOp = unit.endsWith("/op") ? unit.substring(0, unit.length() - 3) : unit;
        return switch (perOp) {
            case "ns" -> 1e-3;
            case "us" -> 1;
            case "ms" -> 1e3;
            case "s" -> 1e6;
            case "min" -> 60e6;
            default -> throw new IllegalArgumentException("not a time per operation: " + unit);
        };
    }

    /** @return every result */
    public List<Result> all() {
        return results;
    }

    /**
     * @param benchmark {@code SimpleClassName.method}
     * @param params    parameters that must match (others are ignored)
     * @return the first matching result
     */
    public Optional<Result> find(String benchmark, Map<String, String> params) {
        return results.stream()
                .filter(r -> r.benchmark().equals(benchmark))
                .filter(r -> params.entrySet().stream().allMatch(e -> e.getValue().equals(r.params().get(e.getKey()))))
                .findFirst();
    }
}
