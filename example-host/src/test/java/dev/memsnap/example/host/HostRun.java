package dev.memsnap.example.host;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the example host in-process, through the same entry point {@code main} uses, with its output captured.
 *
 * @param status the exit status
 * @param out    what it printed on standard output
 * @param err    what it printed on standard error
 */
record HostRun(int status, String out, String err) {
    private static final Pattern SAVED = Pattern.compile(
            "(?:saved (snapshot_\\w+)|(?:automatic|kept) snapshot (snapshot_\\w+) saved) to (\\S+)");

    static HostRun run(String stdin, String... args) {
        return run(Map.of(), stdin, args);
    }

    /** A run with these environment variables (the model's: {@code OPENAI_API_KEY}, ...) and no others. */
    static HostRun run(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = ExampleHost.run(args, () -> ConsoleInput.plain(new ByteArrayInputStream(
                    stdin.getBytes(StandardCharsets.UTF_8))), o, e, env);
        }
        return new HostRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a script of messages and commands with a config file, both written into {@code dir}. */
    static HostRun script(Path dir, String configYaml, String script) throws IOException {
        Path config = Files.writeString(dir.resolve("config.yaml"), configYaml);
        Path file = Files.writeString(dir.resolve("script.txt"), script);
        return run("", "--config", config.toString(), "--script", file.toString());
    }

    /** @return a config whose files all go under {@code dir}, with the plugin directory {@code dir/plugins} */
    static String config(Path dir, String extra) {
        return "memory:\n  snapshot_dir: " + dir.resolve("snapshots") + "\n"
                + "plugins:\n  directory: " + dir.resolve("plugins") + "\n"
                + "audit:\n  file: " + dir.resolve("audit.jsonl") + "\n" + extra;
    }

    /** @return every "saved ID to FILE" the host printed, manual and automatic, as [id, file] */
    List<String[]> saved() {
        List<String[]> saved = new ArrayList<>();
        Matcher m = SAVED.matcher(out);
        while (m.find()) {
            saved.add(new String[] {m.group(1) != null ? m.group(1) : m.group(2), m.group(3)});
        }
        return saved;
    }

    /** @return the id the host printed after "created " (the first one) */
    String createdId() {
        Matcher m = Pattern.compile("created (snapshot_\\w+)").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no snapshot created in:\n" + out);
        }
        return m.group(1);
    }

    @Override
    public String toString() {
        return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
    }
}
