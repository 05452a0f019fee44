package dev.memsnap.reliability;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How hard this run pushes, and what it found. The default run is CI's and is bounded to about three minutes; the long
 * run ({@code -Dmemsnap.reliability.long=true}) is for a developer to start by hand. Each test reports its figures
 * (kills survived, inputs tried, time taken) here; they are logged and written to
 * {@code target/reliability-figures/<test>.properties}, one file per test class, so that docs/reliability.md can quote
 * the last run.
 */
final class ReliabilityRun {
    private static final Logger log = LoggerFactory.getLogger(ReliabilityRun.class);

    /** Whether this is the long run. */
    static final boolean LONG = Boolean.getBoolean("memsnap.reliability.long");

    private static final Path FIGURES = Path.of(System.getProperty("memsnap.reliability.figures",
            "target/reliability-figures"));
    private static final Map<String, Map<String, String>> recorded = new TreeMap<>();

    private ReliabilityRun() {
    }

    /**
     * @param ci      the count for CI's bounded run
     * @param longRun the count for the long run
     * @return the count for this run
     */
    static int scaled(int ci, int longRun) {
        return LONG ? longRun : ci;
    }

    /**
     * @param ci      the duration for CI's bounded run
     * @param longRun the duration for the long run
     * @return the duration for this run
     */
    static Duration scaled(Duration ci, Duration longRun) {
        return LONG ? longRun : ci;
    }

    /** @return {@code long} or {@code default}, for figures */
    static String modeName() {
        return LONG ? "long" : "default";
    }

    /**
     * Records one figure of this run, replacing the value an earlier call gave it.
     *
     * @param test  the test class
     * @param name  what was counted, for example {@code kills.plain}
     * @param value the figure
     */
    static synchronized void figure(Class<?> test, String name, Object value) {
        Map<String, String> figures = recorded.computeIfAbsent(test.getSimpleName(), k -> new TreeMap<>());
        figures.put("mode", modeName());
        figures.put(name, String.valueOf(value));
        log.info("{}: {} = {}", test.getSimpleName(), name, value);
        StringBuilder text = new StringBuilder();
        figures.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        try {
            Files.createDirectories(FIGURES);
            Files.writeString(FIGURES.resolve(test.getSimpleName() + ".properties"), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record figures in " + FIGURES, e);
        }
    }
}
