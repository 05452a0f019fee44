package dev.memsnap.cli;

import picocli.CommandLine.Option;

/** {@code --progress}/{@code --no-progress}, for the commands that can take long. */
final class ProgressOption {
    @Option(names = "--progress", negatable = true,
            description = "Show a progress bar on stderr. Default: only when run in a terminal, so never when "
                    + "output goes to a pipe or file.")
    Boolean progress;
}
