package dev.memsnap.dashboard;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.format.Snapshots;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small, realistic memory to take snapshots of. */
final class Fixtures {
    private Fixtures() {
    }

    /** Two turns and three memories of two source types and three topics. */
    static void converse(EnhancedMemoryManager memory) {
        memory.addTurn("user", "Hi! I'm planning a trip to Lisbon in May.");
        memory.addTurn("assistant", "Lovely. Shall I sketch a three-day itinerary?");
        memory.addMemory("User is planning a trip to Lisbon in May", "fact", 0.82, List.of("travel", "lisbon"));
        memory.addMemory("User prefers window seats on flights", "preference", 0.55, List.of("travel"));
        memory.addMemory("User's sister lives in Porto", "fact", 0.31, List.of("family"));
    }

    /** A little more: one turn each way and two memories, one a new source type with a new topic. */
    static void continueConversation(EnhancedMemoryManager memory) {
        memory.addTurn("user", "Yes please, and I drink a lot of coffee.");
        memory.addTurn("assistant", "Noted: I'll include the best cafés near Chiado.");
        memory.addMemory("User drinks a lot of coffee", "preference", 0.67, List.of("food", "coffee"));
        memory.addMemory("Suggested cafés near Chiado", "assistant_note", 0.2, List.of("lisbon", "coffee"));
    }

    /**
     * Writes a snapshot derived from {@code base} to a file, for {@code loadSnapshot}: the last turn replaced, the
     * memory {@code memory_2} removed, {@code memory_4} rewritten (content, importance, topics) and a new
     * {@code memory_9} added (where {@code base} has them). Comparing {@code base} with it shows every kind of change.
     */
    static Path edited(MemorySnapshot base, String newId, Path file) throws IOException {
        List<Turn> turns = new ArrayList<>(base.shortTerm().turns());
        turns.set(turns.size() - 1, new Turn("assistant", "Change of plan: a day trip to Sintra instead."));
        Map<String, Memory> memories = new LinkedHashMap<>(base.longTerm().memories());
        memories.remove("memory_2");
        Memory coffee = memories.get("memory_4");
        if (coffee != null) {
            memories.put("memory_4", Memory.of("User has cut down to one coffee a day", coffee.timestamp(), 0.9,
                    coffee.sourceType(), List.of("food", "health")));
        }
        memories.put("memory_9", Memory.of("User wants to see Pena Palace", base.timestamp(), 0.74, "goal",
                List.of("travel", "sintra")));
        MemorySnapshot edited = Snapshots.of(newId, base.timestamp().plusSeconds(1), turns,
                base.shortTerm().sessionStart(), memories, null);
        try (OutputStream out = Files.newOutputStream(file)) {
            new SnapshotJson().write(edited, out);
        }
        return file;
    }
}
