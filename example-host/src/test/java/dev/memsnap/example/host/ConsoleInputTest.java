package dev.memsnap.example.host;

import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console at a terminal (JLine, on a virtual terminal here) and not at one (plain reading). */
class ConsoleInputTest {
    /** The Up arrow as a terminal sends it once JLine has turned on its keypad mode (xterm's kcuu1). */
    private static final String UP = "\033OA";
    /** What it sends otherwise, which the console without JLine took for a message. */
    private static final String RAW_UP = "\033[A";

    @TempDir
    Path dir;

    private static List<String> complete(String typed) {
        List<Candidate> candidates = new ArrayList<>();
        new ConsoleInput.CommandCompleter().complete(null, new DefaultParser().parse(typed, typed.length()),
                candidates);
        return candidates.stream().map(Candidate::value).filter(v -> v.startsWith(typed.strip())).toList();
    }

    @Test
    void tabCompletesSlashCommandsOnlyAtTheStart() {
        assertEquals(List.of("/snapshot", "/save", "/show", "/stats"), complete("/s"));
        assertEquals(List.of("/undo", "/unpin"), complete("/un"));
        assertEquals(List.of("/memory", "/memories"), complete("/mem"));
        assertEquals(List.of("/history"), complete("/hi"));
        assertEquals(SnapshotCommands.COMMANDS.size(), complete("/").size());
        assertEquals(List.of(), complete("I like"), "a message gets no completion");
        assertEquals(List.of(), complete("/show /s"), "only the command's name");
    }

    /**
     * Runs the host on a virtual terminal and types each of {@code lines} once the console reads, as a person would
     * (keys typed ahead would reach the terminal before JLine puts it in raw mode, and be handled as cooked input).
     *
     * @return what the host printed, then the screen
     */
    private String typed(String... lines) throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "memory:\n  snapshot_dir: " + dir + "\n");
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream keys = new PipedInputStream(keyboard, 1 << 16);
        Terminal terminal = TerminalBuilder.builder().system(false).type("xterm").encoding(StandardCharsets.UTF_8)
                .streams(keys, screen).build();
        Thread typist = new Thread(() -> {
            try {
                for (int i = 0; i < lines.length; i++) {
                    // Type when JLine reads (the terminal in raw mode), then wait for the host's answer.
                    await(() -> !terminal.getAttributes().getLocalFlag(Attributes.LocalFlag.ICANON));
                    int before = out.size();
                    keyboard.write(lines[i].getBytes(StandardCharsets.UTF_8));
                    keyboard.flush();
                    if (i < lines.length - 1) { // the last, /quit, answers nothing
                        await(() -> out.size() > before);
                    }
                }
                Thread.sleep(100);
                keyboard.close(); // so that the terminal's reader stops at once when the host closes it
            } catch (IOException | InterruptedException e) {
                // the host stopped reading
            }
        }, "typist");
        typist.setDaemon(true);
        typist.start();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            int status = ExampleHost.run(new String[] {"--config", config.toString()},
                    () -> ConsoleInput.jline(terminal), o, System.err);
            assertEquals(0, status);
        }
        typist.join(10_000);
        return out.toString(StandardCharsets.UTF_8) + "\n--- screen\n" + screen.toString(StandardCharsets.UTF_8);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void upRecallsTheLastLineInsteadOfSendingItsEscapeSequence() throws Exception {
        String out = typed("My name is Ann\r", UP + "\r", "/memories\r", "/quit\r");

        assertEquals(2, out.split("Nice to meet you, Ann!", -1).length - 1, "the line ran twice: " + out);
        assertFalse(out.contains("[A"), "no escape sequence became a message: " + out);
        assertFalse(out.contains("> My name"), "typed lines are on the screen, not echoed: " + out);
    }

    @Test
    void thePromptNamesTheCurrentMemory() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "memory:\n  snapshot_dir: " + dir + "\n");
        java.util.Iterator<String> lines = List.of("/memory ann", "My name is Ann", "/memory default").iterator();
        List<String> prompts = new ArrayList<>();
        ConsoleInput recording = new ConsoleInput() {
            @Override
            public String readLine(String prompt) {
                prompts.add(prompt);
                return lines.hasNext() ? lines.next() : null;
            }

            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            assertEquals(0, ExampleHost.run(new String[] {"--config", config.toString()}, () -> recording, o,
                    System.err));
        }
        assertEquals(List.of("> ", "ann> ", "ann> ", "> "), prompts, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void editingKeysAndApostrophesWork() throws Exception {
        // A backspace fixes a typo; Left three times, an insertion and End fix another; an apostrophe is text.
        String out = typed("I like tex\u007fa\r", "I lve \033OD\033OD\033ODo\033OFcoffee\r",
                "I don't like mornings\r", "/quit\r");

        assertTrue(out.contains("The user likes tea."), out);
        assertTrue(out.contains("The user loves coffee."), out);
        assertTrue(out.contains("The user dislikes mornings."), out);
    }

    @Test
    void withoutATerminalLinesAreReadPlainlyAndEchoed() throws IOException {
        Path config = Files.writeString(dir.resolve("config.yaml"), "memory:\n  snapshot_dir: " + dir + "\n");
        HostRun run = HostRun.run("My name is Ann\n" + RAW_UP + "\n", "--config", config.toString());
        assertTrue(run.out().contains("> My name is Ann\n"), run.toString());
        assertTrue(run.out().contains("> " + RAW_UP + "\n"), "a pipe's bytes are taken as they are: " + run);
    }
}
