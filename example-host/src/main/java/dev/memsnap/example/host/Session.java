package dev.memsnap.example.host;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.core.tools.SnapshotTools;

import java.io.PrintStream;
import java.util.List;

/**
 * One run of the console assistant: each line is either a message to the assistant or a {@code /} command. A
 * message and the reply are two turns of short-term memory; what the user states becomes long-term memory. After each
 * line the console reports the automatic snapshots memsnap took meanwhile.
 */
final class Session {
    static final String SYSTEM_PROMPT = "You are a small rule-based assistant whose memory is kept by memsnap.";

    private final Memsnap memsnap;
    private final EnhancedMemoryManager memory;
    private final Responder responder = new Responder();
    private final SnapshotCommands commands;
    private final AutomaticSnapshotFeed feed;
    private final PrintStream out;
    private int failures;

    Session(Memsnap memsnap, ConfigFile config, AutomaticSnapshotFeed feed, PrintStream out) {
        this.memsnap = memsnap;
        this.memory = memsnap.manager();
        this.feed = feed;
        this.out = out;
        this.commands = new SnapshotCommands(memory, memsnap.injector().getInstance(SnapshotTools.class),
                config.memory(), feed, out);
    }

    /** Starts the conversation the way assistants do, with a system turn. */
    void begin() {
        memory.addTurn("system", SYSTEM_PROMPT);
        reportAutomaticSnapshots();
    }

    /**
     * @param line a message or a command
     * @return false when the user asked to quit
     */
    boolean handle(String line) {
        String text = line.strip();
        if (text.isEmpty()) {
            return true;
        }
        boolean goOn = true;
        try {
            if (text.startsWith("/")) {
                goOn = commands.run(text);
            } else {
                commands.message();
                converse(text);
            }
        } catch (SnapshotException | IllegalArgumentException | UnsupportedOperationException e) {
            // memsnap's exceptions say what is wrong and guarantee nothing changed: report and carry on.
            failures++;
            out.println("  error: " + e.getMessage());
        }
        reportAutomaticSnapshots();
        return goOn;
    }

    private void converse(String message) {
        memory.addTurn("user", message);
        Responder.Reply reply = responder.respond(message, memory.memories());
        String[] lines = reply.text().split("\n");
        out.println("  assistant: " + lines[0]);
        for (int i = 1; i < lines.length; i++) {
            out.println("             " + lines[i]);
        }
        for (Responder.Learned learned : reply.learned()) {
            String id = memory.addMemory(learned.content(), learned.sourceType(), learned.importance(),
                    learned.topics());
            out.println("  remembered " + Show.memory(id, memory.memories().get(id)));
        }
        memory.addTurn("assistant", reply.text());
    }

    private void reportAutomaticSnapshots() {
        for (SnapshotEvent e : feed.drain()) {
            switch (e.action()) {
                case CREATE -> {
                    commands.automaticSnapshot(e.snapshotId());
                    out.println("  automatic snapshot " + e.snapshotId() + " taken at turn "
                            + e.metadata().shortTermTurns() + " (" + Show.counts(e.metadata())
                            + "); saving in the background");
                }
                case SAVE -> out.println("  automatic snapshot " + e.snapshotId() + " saved to "
                        + Show.where(e.location()));
                default -> { } // automatic snapshots are only ever created and saved
            }
        }
    }

    /**
     * Says which snapshots created this session are lost unsaved (unless a /quit said so already), then stops
     * memsnap, which first finishes the automatic saves still queued, and says how they went.
     */
    void end() {
        if (!commands.lossReported()) { // the input ended (end of script, of a pipe, Ctrl-D) without a /quit
            List<String> unsaved = commands.unsaved();
            if (!unsaved.isEmpty()) {
                out.println("  input ended: " + Show.count(unsaved.size(), "snapshot") + " not saved, now gone: "
                        + String.join(", ", unsaved));
            }
        }
        memsnap.close();
        reportAutomaticSnapshots();
        ManagerStats s = memory.stats();
        if (s.automaticSnapshots() > 0) {
            out.printf("automatic snapshots this run: %d taken, %d saved, %d failed, %d skipped%n",
                    s.automaticSnapshots(), s.automaticSavesCompleted(), s.automaticSavesFailed(),
                    s.automaticSavesSkipped());
        }
    }

    /** @return how many lines failed */
    int failures() {
        return failures;
    }
}
