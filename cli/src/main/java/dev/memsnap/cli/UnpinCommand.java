package dev.memsnap.cli;

import picocli.CommandLine.Command;

/** {@code memsnap unpin}: lets the retention rules decide again. */
@Command(name = "unpin", header = "Let the retention rules decide again.",
        description = "Unpins a stored snapshot: prune keeps it only if a rule does.")
final class UnpinCommand extends PinCommand {
    @Override
    boolean pinning() {
        return false;
    }
}
