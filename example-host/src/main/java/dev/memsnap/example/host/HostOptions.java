package dev.memsnap.example.host;

import java.nio.file.Path;

/**
 * The command line: {@code [--config FILE] [--script FILE | --demo]}.
 *
 * @param config the config file, or {@code null} for {@code config.yaml} when present, else the embedded defaults
 * @param script a script of messages and commands to run, or {@code null}
 * @param demo   whether to run the built-in demo script
 * @param help   whether only the usage was asked for
 */
record HostOptions(Path config, Path script, boolean demo, boolean help) {
    static final String USAGE = """
            usage: java -jar memsnap-example-host.jar [--config FILE] [--script FILE | --demo]
              --config FILE   read FILE instead of ./config.yaml (without either: the embedded defaults)
              --script FILE   run the messages and commands in FILE, one per line, then stop
              --demo          run the built-in demo script
            Without --script or --demo, read messages and commands from standard input; /help lists the commands.""";

    /**
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException when they are wrong; the message says why
     */
    static HostOptions parse(String... args) {
        Path config = null;
        Path script = null;
        boolean demo = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = Path.of(value(args, ++i, "--config"));
                case "--script" -> script = Path.of(value(args, ++i, "--script"));
                case "--demo" -> demo = true;
                case "--help", "-h" -> {
                    return new HostOptions(null, null, false, true);
                }
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (demo && script != null) {
            throw new IllegalArgumentException("give --script or --demo, not both");
        }
        return new HostOptions(config, script, demo, false);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a file");
        }
        return args[i];
    }
}
