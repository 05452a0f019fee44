package dev.memsnap.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.memory.ChatMemoryAccess;
import dev.langchain4j.store.memory.chat.InMemoryChatMemoryStore;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.Turn;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real AiServices assistant over the wrapped store: apply and undo change what the model is given next. */
class ApplyMakesTheAssistantForgetTest {
    private static final int WINDOW = 6;

    interface Assistant extends ChatMemoryAccess {
        @SystemMessage("You are a helpful assistant.")
        String chat(@MemoryId String user, @UserMessage String message);
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"file", "incremental"})
    void applyRestoresTheSnapshotsMessagesForOneUserAndUndoBringsTheChangeBack(String store) {
        String yaml = "memory:\n  snapshot_dir: " + dir.toString().replace("\\", "/") + "\n  store: " + store + "\n";
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("t", yaml))) {
            MemoryManagers memories = memsnap.memories();
            InMemoryChatMemoryStore applicationStore = new InMemoryChatMemoryStore();
            MemsnapChatMemoryStore chatStore = MemsnapChatMemoryStore.wrap(applicationStore, memories);
            RecordingChatModel model = new RecordingChatModel();
            Assistant assistant = AiServices.builder(Assistant.class)
                    .chatModel(model)
                    .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(WINDOW)
                            .chatMemoryStore(chatStore).build())
                    .build();

            assistant.chat("alice", "Hello");
            assistant.chat("alice", "I live in Paris");
            assistant.chat("bob", "I live in Oslo");
            assistant.chat("alice", "I like tea");
            assistant.chat("alice", "I like walks");
            EnhancedMemoryManager alice = memories.get("alice");
            // the whole conversation, beyond the window: the system message once, then 4 questions and 4 answers
            assertEquals(9, alice.turns().size());
            assertEquals(List.of("system", "user", "assistant"),
                    alice.turns().subList(0, 3).stream().map(Turn::role).toList());
            String paris = alice.createSnapshot();
            alice.saveSnapshot(paris);
            List<ChatMessage> snapshotMessages = MessageTurns.toMessages(alice.getSnapshot(paris).orElseThrow()
                    .shortTerm().turns());

            assistant.chat("alice", "I live in Rome");
            assertEquals("You live in Rome.", assistant.chat("alice", RecordingChatModel.WHERE));
            int bobTurns = memories.get("bob").turns().size();

            assertTrue(alice.applySnapshot(paris));
            assertEquals(MemsnapChatMemoryStore.conversation(alice.turns()), applicationStore.getMessages("alice"));

            String answer = assistant.chat("alice", RecordingChatModel.WHERE);
            assertEquals(expectedWindow(snapshotMessages, RecordingChatModel.WHERE), model.lastRequest());
            // the window no longer holds "I live in Paris", but nothing of Rome either
            assertTrue(model.lastRequest().stream().noneMatch(m -> m.toString().contains("Rome")), answer);

            assertEquals("You live in Oslo.", assistant.chat("bob", RecordingChatModel.WHERE));
            assertEquals(bobTurns + 2, memories.get("bob").turns().size());
            assertTrue(model.lastRequest().stream().noneMatch(m -> m.toString().contains("alice")
                    || m.toString().contains("Paris") || m.toString().contains("Rome")));

            assertTrue(alice.undoApply());
            assertTrue(applicationStore.getMessages("alice").stream().anyMatch(m -> m.toString().contains("Rome")));
            assertEquals("You live in Rome.", assistant.chat("alice", RecordingChatModel.WHERE));

            String latest = alice.createSnapshot();
            assertTrue(alice.history(latest).stream().map(SnapshotMetadata::snapshotId).toList().size() >= 2);
            assertEquals(0, chatStore.failures());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "incremental"})
    void anAppliedSnapshotWithTheWindowStillHoldingTheFactIsAnsweredFromIt(String store) {
        String yaml = "memory:\n  snapshot_dir: " + dir.toString().replace("\\", "/") + "\n  store: " + store + "\n";
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("t", yaml))) {
            MemsnapChatMemoryStore chatStore = MemsnapChatMemoryStore.inMemory(memsnap.memories());
            RecordingChatModel model = new RecordingChatModel();
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
                    .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(WINDOW)
                            .chatMemoryStore(chatStore).build())
                    .build();
            assistant.chat("alice", "I live in Paris");
            String paris = memsnap.memories().get("alice").createSnapshot();
            assistant.chat("alice", "I live in Rome");
            assertEquals("You live in Rome.", assistant.chat("alice", RecordingChatModel.WHERE));

            memsnap.memories().get("alice").applySnapshot(paris);
            assertEquals("You live in Paris.", assistant.chat("alice", RecordingChatModel.WHERE));
            assertTrue(model.lastRequest().stream().noneMatch(m -> m.toString().contains("Rome")));
            // the proxy's cached ChatMemory reads the store on every call: nothing to evict
            assertTrue(assistant.getChatMemory("alice").messages().stream()
                    .noneMatch(m -> m.toString().contains("Rome")));
        }
    }

    /**
     * What a LangChain4j assistant whose store holds exactly a conversation gives the model for one more question:
     * the same AiServices and window, over a plain store seeded with it.
     */
    private static List<ChatMessage> expectedWindow(List<ChatMessage> conversation, String question) {
        InMemoryChatMemoryStore seeded = new InMemoryChatMemoryStore();
        seeded.updateMessages("alice", MemsnapChatMemoryStore.conversation(
                conversation.stream().map(MessageTurns::toTurn).toList()));
        RecordingChatModel control = new RecordingChatModel();
        AiServices.builder(Assistant.class).chatModel(control)
                .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(WINDOW)
                        .chatMemoryStore(seeded).build())
                .build()
                .chat("alice", question);
        return control.lastRequest();
    }
}
