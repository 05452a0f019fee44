package dev.memsnap.example.host;

import dev.langchain4j.exception.LangChain4jException;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;

import java.io.PrintStream;
import java.util.List;

/**
 * One run of the console assistant: each line is either a message to the assistant or a {@code /} command. A message
 * goes to the LangChain4j assistant under the current memory id; the message and the reply are two turns of
 * short-term memory (recorded by {@code MemsnapChatMemoryStore}), and what the user states becomes long-term memory (a
 * segment of the embedding store, recorded by {@code MemsnapEmbeddingStore}). After each line the console reports the
 * automatic snapshots memsnap took meanwhile.
 */
final class Session {
    private final Memsnap memsnap;
    private final LangChainAssistant assistant;
    private final SnapshotCommands commands;
    private final AutomaticSnapshotFeed feed;
    private final PrintStream out;
    private int failures;
    /** How many snapshots applies kept of the state they replaced, which memsnap counts as automatic. */
    private int kept;

    Session(Memsnap memsnap, LangChainAssistant assistant, ConfigFile config, AutomaticSnapshotFeed feed,
            PrintStream out) {
        this.memsnap = memsnap;
        this.assistant = assistant;
        this.feed = feed;
        this.out = out;
        this.commands = new SnapshotCommands(memsnap.memories(), memsnap.store(), config.memory(), feed,
                assistant::begin, out);
    }

    /** @return the current memory's manager: {@code /memory ID} switches it */
    private EnhancedMemoryManager memory() {
        return commands.memory();
    }

    /** @return the prompt: {@code > } on the default memory, {@code alice> } on another */
    String prompt() {
        String id = memory().memoryId();
        if (id.equals(dev.memsnap.api.MemoryManagers.DEFAULT)) {
            return ConsoleInput.PROMPT;
        }
        return (id.length() > 24 ? id.substring(0, 23) + "~" : id).replaceAll("\\p{Cntrl}", "?") + ConsoleInput.PROMPT;
    }

    /** Starts the conversation the way assistants do, with a system turn. */
    void begin() {
        assistant.begin(memory().memoryId());
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
        } catch (LangChain4jException e) {
            failures++; // a model that did not answer (HTTP error, timeout): the conversation goes on without it
            out.println("  error: the model did not answer: " + e.getMessage());
        }
        reportAutomaticSnapshots();
        return goOn;
    }

    private void converse(String message) {
        EnhancedMemoryManager memory = memory();
        String id = memory.memoryId();
        // The fact first: a snapshot taken at this message's turns (an automatic one) then holds what it taught.
        FactRules.Learned fact = FactRules.hear(message).fact();
        String key = fact == null ? null : assistant.learn(id, fact);
        String reply = assistant.chat(id, message);
        String[] lines = reply.split("\n");
        out.println("  assistant: " + lines[0]);
        for (int i = 1; i < lines.length; i++) {
            out.println("             " + lines[i]);
        }
        if (key != null) {
            out.println("  remembered " + Show.memory(key, memory.memories().get(key)));
        }
    }

    private void reportAutomaticSnapshots() {
        for (SnapshotEvent e : feed.drain()) {
            if (feed.keptByApply(e.snapshotId())) {
                switch (e.action()) {
                    case CREATE -> {
                        commands.keptSnapshot(e.memoryId(), e.snapshotId());
                        kept++;
                        out.println("  kept the state it replaced as " + e.snapshotId() + " ("
                                + Show.counts(e.metadata()) + "); /undo returns to it");
                    }
                    case SAVE -> out.println("  kept snapshot " + e.snapshotId() + " saved to "
                            + Show.where(e.location()));
                    default -> { }
                }
                continue;
            }
            switch (e.action()) {
                case CREATE -> {
                    commands.automaticSnapshot(e.memoryId(), e.snapshotId());
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
        assistant.close();
        memsnap.close();
        reportAutomaticSnapshots();
        long taken = 0;
        long savedCount = 0;
        long failed = 0;
        long skipped = 0;
        for (EnhancedMemoryManager m : commands.managers()) {
            ManagerStats s = m.stats();
            taken += s.automaticSnapshots();
            savedCount += s.automaticSavesCompleted();
            failed += s.automaticSavesFailed();
            skipped += s.automaticSavesSkipped();
        }
        taken -= kept; // memsnap counts the snapshots an apply keeps of the state it replaced as automatic too
        if (taken > 0) {
            out.printf("automatic snapshots this run: %d taken, %d saved, %d failed, %d skipped%n",
                    taken, savedCount, failed, skipped);
        }
        if (kept > 0) {
            out.println("states kept by /apply for /undo this run: " + kept);
        }
    }

    /** @return how many lines failed */
    int failures() {
        return failures;
    }
}
