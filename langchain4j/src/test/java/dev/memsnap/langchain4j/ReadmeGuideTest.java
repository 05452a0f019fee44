package dev.memsnap.langchain4j;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import dev.langchain4j.store.memory.chat.InMemoryChatMemoryStore;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's five-minute guide, step by step, with the test model in place of the application's. */
class ReadmeGuideTest {
    interface Assistant {
        String chat(@MemoryId String user, @UserMessage String message);
    }

    @TempDir
    Path dir;

    @Test
    void theGuideRunsAsWritten() {
        String yaml = "memory:\n  snapshot_dir: " + dir.toString().replace("\\", "/") + "\n";
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("config.yaml", yaml))) {
            MemoryManagers memories = memsnap.memories();
            ChatMemoryStore yours = new InMemoryChatMemoryStore();
            try (MemsnapChatMemoryStore store = MemsnapChatMemoryStore.wrap(yours, memories)) {
                Assistant assistant = AiServices.builder(Assistant.class)
                        .chatModel(new RecordingChatModel())
                        .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(10)
                                .chatMemoryStore(store).build())
                        .build();

                assistant.chat("alice", "I live in Paris");
                assistant.chat("bob", "I live in Oslo");
                EnhancedMemoryManager alice = memories.get("alice");
                String paris = alice.createSnapshot();
                alice.saveSnapshot(paris);
                assistant.chat("alice", "I moved to Rome");

                alice.applySnapshot(paris);
                assertEquals("You live in Paris.", assistant.chat("alice", "Where do I live?"));
                assertEquals("You live in Oslo.", assistant.chat("bob", "Where do I live?"));
                alice.undoApply();
                assertEquals("You live in Rome.", assistant.chat("alice", "Where do I live?"));

                List<SnapshotMetadata> history = alice.history(alice.createSnapshot());
                assertEquals(true, history.size() >= 2, history.toString());
                alice.enableAutoSnapshot(10);
                assertEquals(0, store.failures());
            }
        }
    }
}
