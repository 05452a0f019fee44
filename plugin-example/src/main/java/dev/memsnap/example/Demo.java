package dev.memsnap.example;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The seed's usage, run end to end on the embedded defaults: a short conversation, two memories, a snapshot saved
 * and loaded, the memory changed and then restored, and automatic snapshots. Reads {@code config.yaml} from the
 * working directory when there is one.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        Path configFile = Path.of(args.length > 0 ? args[0] : "config.yaml");
        ConfigFile config = Files.exists(configFile) ? ConfigFile.load(configFile) : ConfigFile.empty();
        System.out.println("memsnap demo, snapshots in " + config.memory().snapshotDir().toAbsolutePath());

        try (Memsnap memsnap = Memsnap.start(config)) {
            EnhancedMemoryManager memory = memsnap.manager();

            memory.addTurn("system", "You are Coda.");
            memory.addTurn("user", "Hello, who are you?");
            memory.addTurn("assistant", "I'm Coda, your voice assistant.");
            memory.addMemory("The user's name is Alice.", "fact", 0.8, List.of("user", "name"));
            memory.addMemory("The user prefers brief responses.", "preference", 0.7,
                    List.of("user", "preference", "communication"));
            show("memory now", memory);

            String snapshotId = memory.createSnapshot();
            System.out.println("created  " + snapshotId);
            URI location = memory.saveSnapshot(snapshotId);
            System.out.println("saved    " + location);
            String loadedId = memory.loadSnapshot(location);
            System.out.println("loaded   " + loadedId + " back from disk");

            memory.addTurn("user", "Actually, call me Bob.");
            memory.addMemory("The user's name is Bob.", "fact", 0.9, List.of("user", "name"));
            show("after more talk", memory);

            boolean applied = memory.applySnapshot(snapshotId);
            System.out.println("applied  " + snapshotId + ": " + applied);
            show("restored", memory);

            memory.enableAutoSnapshot(2);
            for (int i = 1; i <= 4; i++) {
                memory.addTurn(i % 2 == 1 ? "user" : "assistant", "message " + i);
            }
            memory.disableAutoSnapshot();

            memsnap.close(); // waits for the automatic saves queued in the background
            ManagerStats stats = memory.stats();
            System.out.printf("automatic snapshots: %d taken, %d saved, %d failed%n",
                    stats.automaticSnapshots(), stats.automaticSavesCompleted(), stats.automaticSavesFailed());

            System.out.println("snapshots, newest first:");
            for (SnapshotMetadata s : memory.listSnapshots()) {
                System.out.printf("  %s  %s  %d turns, %d memories, %d topics%n", s.snapshotId(), s.timestamp(),
                        s.shortTermTurns(), s.longTermMemories(), s.topics());
            }
        }
    }

    private static void show(String label, EnhancedMemoryManager memory) {
        System.out.printf("%-16s %d turns, %d memories: %s%n", label + ":", memory.turns().size(),
                memory.memories().size(),
                memory.memories().values().stream().map(m -> m.content()).toList());
    }
}
