package dev.memsnap.cli;

import dev.memsnap.api.InvalidMemoryIdException;
import dev.memsnap.api.MemoryManagers;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * Which memory a command works on: {@code --memory ID} (a user, a conversation, an agent: whatever the host keys its
 * memories by), the host's one memory {@code default} when not given. An id that is not a memory id (empty, over 200
 * characters, a control character) is a usage error (exit 2) before anything is opened.
 */
final class MemoryOptions {
    private MemoryOptions() {
    }

    /** {@code --memory ID}, for commands that work on one memory. */
    static final class One {
        @Option(names = "--memory", paramLabel = "ID", defaultValue = MemoryManagers.DEFAULT,
                converter = MemoryId.class, order = 90,
                description = "The memory whose snapshots to use. Default: ${DEFAULT-VALUE}.")
        String memoryId;
    }

    /** {@code --memory ID} or {@code --all-memories}, for commands that can work on every memory. */
    static final class OneOrAll {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--memory", paramLabel = "ID", converter = MemoryId.class, order = 90,
                description = "The memory whose snapshots to use. Default: " + MemoryManagers.DEFAULT + ".")
        String memoryId;

        @Option(names = "--all-memories", order = 91, description = "Every memory's snapshots.")
        boolean all;

        /** @return the memory asked for, or {@code null} for every memory */
        String memoryId() {
            if (all && memoryId != null) {
                throw new ParameterException(mixee.commandLine(), "give --memory ID or --all-memories, not both");
            }
            return all ? null : memoryId == null ? MemoryManagers.DEFAULT : memoryId;
        }
    }

    /** A memory id, checked as the stores check it. */
    static final class MemoryId implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!MemoryManagers.isValidMemoryId(value)) {
                throw new TypeConversionException(new InvalidMemoryIdException(value).getMessage());
            }
            return value;
        }
    }

    /** @return a memory id for messages: quoted, control characters escaped */
    static String quote(String memoryId) {
        return "\"" + Text.line(memoryId) + "\"";
    }
}
