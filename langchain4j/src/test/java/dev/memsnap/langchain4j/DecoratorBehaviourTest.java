package dev.memsnap.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import dev.langchain4j.store.memory.chat.InMemoryChatMemoryStore;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the decorator adds to a ChatMemoryStore, and that it changes nothing else. */
class DecoratorBehaviourTest {
    @TempDir
    Path dir;
    private Memsnap memsnap;
    private MemoryManagers memories;

    @BeforeEach
    void start() {
        memsnap = Memsnap.start(ConfigFile.parse("t", "memory:\n  snapshot_dir: "
                + dir.toString().replace("\\", "/") + "\n"));
        memories = memsnap.memories();
    }

    @AfterEach
    void stop() {
        memsnap.close();
    }

    @Test
    void keepsTheWholeConversationBeyondTheWindowOnceEach() {
        MemsnapChatMemoryStore store = MemsnapChatMemoryStore.inMemory(memories);
        MessageWindowChatMemory memory = MessageWindowChatMemory.builder().id("u").maxMessages(4)
                .chatMemoryStore(store).build();
        List<ChatMessage> all = new ArrayList<>();
        all.add(SystemMessage.from("Be brief."));
        memory.add(all.get(0));
        for (int i = 0; i < 10; i++) {
            ChatMessage question = UserMessage.from("same question");   // repeated messages are kept, each once
            ChatMessage call = AiMessage.from(ToolExecutionRequest.builder().id("c" + i).name("lookup")
                    .arguments("{}").build());
            ChatMessage result = ToolExecutionResultMessage.from("c" + i, "lookup", "42");
            ChatMessage answer = AiMessage.from("same answer");
            for (ChatMessage m : List.of(question, call, result, answer)) {
                memory.add(m);
                all.add(m);
            }
        }
        assertEquals(all, MessageTurns.toMessages(memories.get("u").turns()));
        assertEquals(4, store.delegate().getMessages("u").size());

        memory.add(SystemMessage.from("Be verbose."));   // a replaced system message is recorded where it came
        memory.add(UserMessage.from("next"));
        List<ChatMessage> turns = MessageTurns.toMessages(memories.get("u").turns());
        assertEquals(List.of(SystemMessage.from("Be verbose."), UserMessage.from("next")),
                turns.subList(turns.size() - 2, turns.size()));
        assertEquals(0, store.failures());
    }

    @Test
    void aSystemMessageIsRecordedOnceAndAgainEachTimeItChanges() {
        MemsnapChatMemoryStore store = MemsnapChatMemoryStore.inMemory(memories);
        MessageWindowChatMemory memory = MessageWindowChatMemory.builder().id("s").maxMessages(3)
                .alwaysKeepSystemMessageFirst(true).chatMemoryStore(store).build();
        List<ChatMessage> expected = new ArrayList<>();
        for (String system : List.of("A", "A", "B", "B", "A")) {
            memory.add(SystemMessage.from(system));
            memory.add(UserMessage.from("q"));
            memory.add(AiMessage.from("a"));
            if (!SystemMessage.from(system).equals(lastSystem(expected))) {
                expected.add(SystemMessage.from(system));
            }
            expected.add(UserMessage.from("q"));
            expected.add(AiMessage.from("a"));
        }
        assertEquals(expected, MessageTurns.toMessages(memories.get("s").turns()));
        String snapshot = memories.get("s").createSnapshot();
        memory.add(SystemMessage.from("C"));
        memories.get("s").applySnapshot(snapshot);
        memory.add(SystemMessage.from("A"));   // the applied conversation's system message: nothing new
        memory.add(UserMessage.from("after"));
        List<ChatMessage> turns = MessageTurns.toMessages(memories.get("s").turns());
        assertEquals(expected.size() + 1, turns.size());
        assertEquals(SystemMessage.from("A"), store.delegate().getMessages("s").get(0));
    }

    private static ChatMessage lastSystem(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof SystemMessage) {
                return messages.get(i);
            }
        }
        return null;
    }

    @Test
    void automaticSnapshotsCountTheConversationsTurns() {
        MemsnapChatMemoryStore store = MemsnapChatMemoryStore.inMemory(memories);
        EnhancedMemoryManager manager = memories.get("u");
        manager.enableAutoSnapshot(4);
        MessageWindowChatMemory memory = MessageWindowChatMemory.builder().id("u").maxMessages(3)
                .chatMemoryStore(store).build();
        for (int i = 0; i < 6; i++) {
            memory.add(UserMessage.from("q" + i));
            memory.add(AiMessage.from("a" + i));
        }
        assertEquals(12, manager.turns().size());
        assertEquals(3, manager.stats().automaticSnapshots());
    }

    @Test
    void theDelegatesExceptionsReachTheCallerAndNothingIsRecorded() {
        IllegalStateException refused = new IllegalStateException("read-only");
        ChatMemoryStore failing = new InMemoryChatMemoryStore() {
            @Override
            public void updateMessages(Object memoryId, List<ChatMessage> messages) {
                throw refused;
            }
        };
        MemsnapChatMemoryStore store = MemsnapChatMemoryStore.wrap(failing, memories);
        assertSame(refused, assertThrows(IllegalStateException.class,
                () -> store.updateMessages("u", List.of(UserMessage.from("hi")))));
        assertEquals(0, memories.get("u").turns().size());
        assertEquals(0, store.failures());
    }

    @Test
    void memsnapsOwnFailuresAreCountedNeverThrown() {
        MemsnapChatMemoryStore store = MemsnapChatMemoryStore.inMemory(memories);
        String notAMemoryId = "line\nbreak";   // a control character: LangChain4j takes it, memsnap cannot
        store.updateMessages(notAMemoryId, List.of(UserMessage.from("hi")));
        assertEquals(List.of(UserMessage.from("hi")), store.getMessages(notAMemoryId));
        assertEquals(1, store.failures());
    }

    @Test
    void deleteClearsTheDelegateOnlyAndTheNextMessagesContinueTheHistory() {
        MemsnapChatMemoryStore store = MemsnapChatMemoryStore.inMemory(memories);
        MessageWindowChatMemory memory = MessageWindowChatMemory.builder().id("u").maxMessages(10)
                .chatMemoryStore(store).build();
        memory.add(UserMessage.from("hi"));
        String before = memories.get("u").createSnapshot();
        memory.clear();
        assertEquals(List.of(), store.getMessages("u"));
        assertEquals(1, memories.get("u").turns().size());
        memory.add(UserMessage.from("hi"));   // the same message again, after a clear: a new turn
        assertEquals(2, memories.get("u").turns().size());
        assertTrue(memories.get("u").getSnapshot(before).isPresent());
    }

    @Test
    void anApplyWritesUnderTheMemoryIdObjectLangChain4jUsed() {
        MemsnapChatMemoryStore store = MemsnapChatMemoryStore.inMemory(memories);
        MessageWindowChatMemory memory = MessageWindowChatMemory.builder().id(42).maxMessages(10)
                .chatMemoryStore(store).build();
        memory.add(UserMessage.from("first"));
        String first = memories.get("42").createSnapshot();
        memory.add(UserMessage.from("second"));
        assertTrue(memories.get("42").applySnapshot(first));
        assertEquals(List.of(UserMessage.from("first")), store.delegate().getMessages(42));
        assertEquals(List.of(UserMessage.from("first")), memory.messages());
    }

    @Test
    void anApplyInAProcessThatNeverChattedFillsTheDelegate() {
        MemsnapChatMemoryStore writer = MemsnapChatMemoryStore.inMemory(memories);
        writer.updateMessages("u", List.of(UserMessage.from("hello"), AiMessage.from("hi")));
        EnhancedMemoryManager manager = memories.get("u");
        String id = manager.createSnapshot();
        manager.saveSnapshot(id);
        try (Memsnap other = Memsnap.start(ConfigFile.parse("t2", "memory:\n  snapshot_dir: "
                + dir.toString().replace("\\", "/") + "\n"))) {
            InMemoryChatMemoryStore durable = new InMemoryChatMemoryStore();
            MemsnapChatMemoryStore.wrap(durable, other.memories());
            assertTrue(other.memories().get("u").applySnapshot(id));
            assertEquals(List.of(UserMessage.from("hello"), AiMessage.from("hi")), durable.getMessages("u"));
        }
    }
}
