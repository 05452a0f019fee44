package dev.memsnap.example.host;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Where the console's lines come from. At a terminal that is JLine: the arrows move in the line and through the
 * history of this run, Ctrl-R searches it, Tab completes {@code /} commands, Ctrl-C drops the line and Ctrl-D ends
 * the input. Anything else (a pipe, a file, a test) is read plainly, line by line, and echoed so that the output
 * reads as a transcript.
 */
interface ConsoleInput extends AutoCloseable {
    String PROMPT = "> ";

    /**
     * @return the next line, without its line end, or {@code null} at the end of the input
     * @throws IOException when the input cannot be read
     */
    default String readLine() throws IOException {
        return readLine(PROMPT);
    }

    /**
     * @param prompt what a terminal shows before the line; plain reading shows nothing
     * @return the next line, without its line end, or {@code null} at the end of the input
     * @throws IOException when the input cannot be read
     */
    String readLine(String prompt) throws IOException;

    /** @return whether the lines read are already on the screen (typed at a terminal), or must be echoed */
    boolean interactive();

    @Override
    void close();

    /** @return plain reading of {@code in}, UTF-8, for pipes, files and tests */
    static ConsoleInput plain(InputStream in) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        return new ConsoleInput() {
            @Override
            public String readLine(String prompt) throws IOException {
                return reader.readLine();
            }

            @Override
            public boolean interactive() {
                return false;
            }

            @Override
            public void close() {
                // standard input is not ours to close
            }
        };
    }

    /** @return JLine on the process's terminal */
    static ConsoleInput terminal() {
        try {
            return jline(TerminalBuilder.builder().system(true).build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
        }
    }

    /**
     * @param terminal a terminal, closed with the input
     * @return JLine line editing on it, with history and completion of {@code /} commands
     */
    static ConsoleInput jline(Terminal terminal) {
        DefaultParser parser = new DefaultParser();
        // A message is free text: "I don't like mornings" has no closing quote, and a backslash is just a character.
        parser.setQuoteChars(new char[0]);
        parser.setEscapeChars(new char[0]);
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("memsnap-example-host")
                .parser(parser)
                .completer(new CommandCompleter())
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // "!" is punctuation, not history
                .build();
        return new ConsoleInput() {
            @Override
            public String readLine(String prompt) {
                while (true) {
                    try {
                        return reader.readLine(prompt);
                    } catch (UserInterruptException ctrlC) {
                        // as in a shell: the line is dropped and a new prompt shown
                    } catch (EndOfFileException ctrlD) {
                        return null;
                    }
                }
            }

            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public void close() {
                try {
                    terminal.close();
                } catch (IOException e) {
                    // nothing left to do with it
                }
            }
        };
    }

    /** Tab after {@code /} or a part of a command completes the command's name; a message gets no completion. */
    final class CommandCompleter implements Completer {
        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            if (line.wordIndex() != 0 || !line.word().startsWith("/")) {
                return;
            }
            for (String command : SnapshotCommands.COMMANDS) {
                candidates.add(new Candidate("/" + command, "/" + command, null, null, null, null, true));
            }
        }
    }
}
