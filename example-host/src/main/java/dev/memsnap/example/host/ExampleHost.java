package dev.memsnap.example.host;

import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.api.plugin.PluginRuntime;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.Memsnap;
import dev.memsnap.dashboard.DashboardEndpoint;
import dev.memsnap.websocket.WebSocketEndpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A console assistant on LangChain4j whose memory memsnap keeps: an {@code AiServices} assistant with a chat memory per
 * user over {@code MemsnapChatMemoryStore} and retrieval over {@code MemsnapEmbeddingStore}, answered by a rule model
 * (offline) or, with {@code OPENAI_API_KEY} set, an OpenAI-compatible one; memsnap snapshots, saves, loads and restores
 * its conversations and facts.
 * <pre>
 * java -jar example-host/target/memsnap-example-host.jar --demo                  # the built-in demo
 * java -jar example-host/target/memsnap-example-host.jar                         # talk to it
 * java -jar example-host/target/memsnap-example-host.jar --config my.yaml --script chat.txt
 * </pre>
 * It reads {@code config.yaml} from the working directory when there is one, else runs on the embedded defaults
 * (snapshots in {@code data/memory/snapshots}). It installs the plugins memsnap finds on the class path and in
 * {@code plugins.directory}, reports jars that did not load, and prints where dashboards connect when
 * {@code websocket.enabled} is true. Exit status: 0, or 1 when it could not start or a script line failed, 2 for
 * wrong arguments.
 */
public final class ExampleHost {
    static final String DEMO_SCRIPT = "demo.txt";
    private static final Path DEFAULT_CONFIG = Path.of("config.yaml");

    private ExampleHost() {
    }

    /**
     * Runs the console.
     *
     * @param args {@code [--config FILE] [--script FILE | --demo]}
     */
    public static void main(String[] args) {
        // Prompt only at a terminal; piped input is echoed instead, so the output reads as a transcript.
        boolean terminal = System.console() != null;
        int status = run(args, terminal ? ConsoleInput::terminal : () -> ConsoleInput.plain(System.in), System.out,
                System.err, System.getenv());
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, in, out, err, false);
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        // At a terminal, JLine: line editing, history, completion. Opened only when the input is read.
        return run(args, terminal ? ConsoleInput::terminal : () -> ConsoleInput.plain(in), out, err);
    }

    /** With no environment: the rule model, whatever the environment of the tests. */
    static int run(String[] args, java.util.function.Supplier<ConsoleInput> input, PrintStream out, PrintStream err) {
        return run(args, input, out, err, Map.of());
    }

    /**
     * @param input where messages and commands come from when there is no {@code --script} or {@code --demo}
     * @param env   the environment, for the model: {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code OPENAI_MODEL}
     */
    static int run(String[] args, java.util.function.Supplier<ConsoleInput> input, PrintStream out, PrintStream err,
                   Map<String, String> env) {
        HostOptions options;
        try {
            options = HostOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(HostOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(HostOptions.USAGE);
            return 0;
        }
        ConfigFile config;
        List<String> script;
        Memsnap memsnap;
        AutomaticSnapshotFeed feed = new AutomaticSnapshotFeed();
        Knowledge.warmUp(); // the embedding model loads while memsnap starts and the banner prints
        try {
            config = config(options);
            script = options.demo() ? demoScript() : options.script() == null ? null : readScript(options.script());
            // The host's own module goes last: it adds a listener beside those of memsnap and the plugins.
            memsnap = Memsnap.start(config, new HostModule(feed));
        } catch (SnapshotException | UncheckedIOException e) { // ConfigException is a SnapshotException
            err.println("error: " + e.getMessage());
            return 1;
        }

        LangChainAssistant assistant = new LangChainAssistant(memsnap.memories(), LangChainAssistant.model(env));
        Session session = new Session(memsnap, assistant, config, feed, out);
        try {
            banner(memsnap, assistant, config, options, out);
            session.begin();
            if (script != null) {
                for (String line : script) {
                    echo(line, session.prompt(), out);
                    if (!line.startsWith("#") && !session.handle(line)) {
                        break;
                    }
                }
            } else {
                try (ConsoleInput console = input.get()) {
                    converse(session, console, out);
                }
            }
        } finally {
            session.end();
        }
        return script != null && session.failures() > 0 ? 1 : 0;
    }

    private static ConfigFile config(HostOptions options) {
        if (options.config() != null) {
            return ConfigFile.load(options.config());
        }
        return ConfigFile.loadOrDefaults(DEFAULT_CONFIG);
    }

    private static void banner(Memsnap memsnap, LangChainAssistant assistant, ConfigFile config, HostOptions options,
                               PrintStream out) {
        MemoryConfig memory = config.memory();
        out.println("memsnap example host: a LangChain4j assistant");
        out.println("  model:     " + assistant.description());
        out.println("  memory:    MessageWindowChatMemory (" + LangChainAssistant.WINDOW + " messages) over "
                + "MemsnapChatMemoryStore; RAG over MemsnapEmbeddingStore, " + Knowledge.MODEL_NAME + " in process");
        out.println("  config:    " + (config.source().equals(ConfigFile.empty().source())
                ? "embedded defaults (no config.yaml here)" : config.source()));
        out.println("  store:     " + memsnap.store());
        out.println("  automatic: " + (memory.autoSnapshot() ? "every " + memory.snapshotInterval() + " turns"
                : "off (memory.auto_snapshot; /auto on N turns it on)"));
        // The websocket and dashboard plugins are always on the class path, and bind nothing unless enabled.
        PluginRuntime plugins = memsnap.injector().getInstance(PluginContext.class).runtime();
        boolean websocketOn = plugins.service(WebSocketEndpoint.class).isPresent();
        boolean dashboardOn = plugins.service(DashboardEndpoint.class).isPresent();
        List<String> enabled = new ArrayList<>();
        List<String> off = new ArrayList<>();
        for (MemsnapPlugin plugin : memsnap.plugins()) {
            String name = plugin.name();
            boolean disabled = name.equals("websocket") && !websocketOn || name.equals("dashboard") && !dashboardOn;
            (disabled ? off : enabled).add(name);
        }
        out.println("  plugins:   " + (enabled.isEmpty() ? "none enabled" : String.join(", ", enabled))
                + (off.isEmpty() ? "" : "; off: " + String.join(", ", off) + " (turn on with "
                + off.stream().map(n -> n + ".enabled: true").collect(Collectors.joining(", ")) + ")"));
        for (String problem : memsnap.problems()) {
            out.println("  plugin problem: " + problem);
        }
        // The endpoint is a service only when the websocket plugin is enabled (websocket.enabled: true).
        PluginRuntime runtime = memsnap.injector().getInstance(PluginContext.class).runtime();
        runtime.service(WebSocketEndpoint.class).ifPresent(endpoint -> out.println("Dashboard events: "
                + endpoint.uri()
                + (config.section("websocket").has("token") ? " (clients present websocket.token)" : "")));
        // Likewise the dashboard page, when dashboard.enabled: true.
        runtime.service(DashboardEndpoint.class).ifPresent(dashboard -> out.println("Dashboard page:   "
                + dashboard.uri()
                + (config.section("dashboard").has("token") || config.section("websocket").has("token")
                ? "?token=<your token>" : "")));
        out.println(options.demo() ? "Running the built-in demo script."
                : options.script() != null ? "Running " + options.script() + "."
                : "Talk to the assistant; /help lists the commands, /quit stops.");
        out.println();
    }

    /** Script lines are echoed; lines starting with # are narration, shown and not run. */
    private static void echo(String line, String prompt, PrintStream out) {
        out.println(line.isBlank() || line.startsWith("#") ? line : prompt + line);
    }

    private static void converse(Session session, ConsoleInput input, PrintStream out) {
        try {
            while (true) {
                out.flush(); // what the last line printed comes before the next prompt
                String line = input.readLine(session.prompt());
                if (line == null) {
                    return;
                }
                if (!input.interactive()) {
                    echo(line, session.prompt(), out);
                }
                if (!line.startsWith("#") && !session.handle(line)) {
                    return;
                }
            }
        } catch (IOException e) {
            out.println("error: cannot read standard input: " + e.getMessage());
        }
    }

    private static List<String> demoScript() {
        try (InputStream in = ExampleHost.class.getResourceAsStream(DEMO_SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("the demo script " + DEMO_SCRIPT + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readScript(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String reason = e instanceof NoSuchFileException ? "no such file" : e.getMessage();
            throw new UncheckedIOException("cannot read script " + file + ": " + reason, e);
        }
    }
}
