package dev.memsnap.spring;

import dev.memsnap.api.MemoryManagers;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The decorator over Spring AI's in-memory repository, without a context: what it records and what it never breaks. */
class RepositoryDecoratorTest {
    @TempDir
    Path dir;
    private Memsnap memsnap;
    private MemoryManagers memories;
    private InMemoryChatMemoryRepository delegate;

    @BeforeEach
    void start() {
        memsnap = Memsnap.start(ConfigFile.of("test", Map.of("memory", Map.of("snapshot_dir", dir.toString()))));
        memories = memsnap.memories();
        delegate = new InMemoryChatMemoryRepository();
    }

    @AfterEach
    void stop() {
        memsnap.close();
    }

    private static List<String> texts(List<Message> messages) {
        return messages.stream().map(m -> m.getMessageType().getValue() + ": " + m.getText()).toList();
    }

    private List<String> recorded(String id) {
        return texts(MessageTurns.toMessages(memories.get(id).turns()));
    }

    @Test
    void aConversationIdMemsnapRefusesLeavesTheCallAsItWasAndIsCounted() {
        MemsnapChatMemoryRepository repository = MemsnapChatMemoryRepository.wrap(delegate, memories);
        String refused = "x".repeat(201);
        repository.saveAll(refused, List.of(new UserMessage("hi")));
        assertEquals(List.of("user: hi"), texts(repository.findByConversationId(refused)));
        assertEquals(1, repository.failures());
    }

    @Test
    void aSaveThatFollowsNoReadAppendsWhatFollowsTheOverlap() {
        MemsnapChatMemoryRepository repository = MemsnapChatMemoryRepository.wrap(delegate, memories);
        SystemMessage system = new SystemMessage("be brief");
        repository.saveAll("a", List.of(system, new UserMessage("1"), new AssistantMessage("one")));
        repository.saveAll("a", List.of(new SystemMessage("be brief"), new AssistantMessage("one"),
                new UserMessage("2"), new AssistantMessage("two")));
        repository.saveAll("a", List.of(new SystemMessage("be kind"), new UserMessage("2"),
                new AssistantMessage("two")));
        assertEquals(List.of("system: be brief", "user: 1", "assistant: one", "user: 2", "assistant: two",
                "system: be kind"), recorded("a"));
    }

    @Test
    void repeatedMessagesAreKeptEachOnceAndAClearedConversationGoesOnInTheSameHistory() {
        ChatMemory memory = MessageWindowChatMemory.builder()
                .chatMemoryRepository(MemsnapChatMemoryRepository.wrap(delegate, memories)).maxMessages(2).build();
        for (int i = 0; i < 3; i++) {
            memory.add("b", List.of(new UserMessage("again")));
            memory.add("b", List.of(new AssistantMessage("same")));
        }
        memory.clear("b");
        memory.add("b", List.of(new UserMessage("again")));
        assertEquals(7, memories.get("b").turns().size());
        assertEquals(List.of("user: again"), texts(delegate.findByConversationId("b")));
    }

    @Test
    void applyWritesTheLatestSystemMessageAndAtMostTheConfiguredWindow() {
        MemsnapChatMemoryRepository repository = MemsnapChatMemoryRepository.wrap(delegate, memories, 3);
        ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(20)
                .build();
        memory.add("c", List.of(new SystemMessage("old rules"), new UserMessage("u1")));
        memory.add("c", List.of(new AssistantMessage("a1"), new SystemMessage("new rules"), new UserMessage("u2"),
                new AssistantMessage("a2"), new UserMessage("u3")));
        String id = memories.get("c").createSnapshot();
        memory.add("c", List.of(new AssistantMessage("a3")));

        memories.get("c").applySnapshot(id);

        assertEquals(List.of("system: new rules", "user: u2", "assistant: a2", "user: u3"),
                texts(delegate.findByConversationId("c")), "the newest 3 from a user message on, and the latest system");
        assertEquals(0, repository.failures());
    }
}
