package dev.memsnap.example.host;

import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Commands that take two ids, which a script cannot know in advance. */
class CommandsTest {
    @TempDir
    Path dir;

    @Test
    void diffBetweenTwoSnapshotsAndListShowsLabelsAndPins() {
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: " + dir + "\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String first;
        try (Memsnap memsnap = Memsnap.start(config)) {
            SnapshotCommands commands = new SnapshotCommands(memsnap.memories(), memsnap.store(), config.memory(),
                    new AutomaticSnapshotFeed(), id -> { }, out);
            memsnap.manager().addMemory("The user's name is Ann.", "fact", 0.8, List.of("user", "name"));
            first = memsnap.manager().createSnapshot();
            memsnap.manager().addMemory("The user likes tea.", "preference", 0.7, List.of("user"));
            commands.run("/snapshot");
            commands.run("/save");
            commands.run("/label last after tea");
            commands.run("/pin last");
            commands.run("/diff " + first + " last");
            commands.run("/list");
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("memories: +1 -0 ~0"), text);
        assertTrue(text.contains("+ memory_2 (preference, 0.7): The user likes tea."), text);
        assertTrue(text.contains("labels [after tea]  pinned  (last)"), text);
        assertTrue(text.lines().anyMatch(l -> l.contains(first) && l.contains("in memory only")), text);
    }
}
