package dev.memsnap.spring;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.store.postgres.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.memory.repository.jdbc.JdbcChatMemoryRepository;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.MimeTypeUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spring AI application as its users write it — a {@code ChatClient} with {@code MessageChatMemoryAdvisor} over a
 * {@code MessageWindowChatMemory} over the auto-configured {@code JdbcChatMemoryRepository} on a real PostgreSQL
 * server — with memsnap added as one dependency and a few properties; memsnap's snapshots go to the same server
 * ({@code memsnap.store=postgres}). The model is the only double. Each test uses conversation ids of its own, so
 * the tests share one context.
 */
@SpringBootTest(classes = ChatMemoryThroughChatClientTest.App.class)
class ChatMemoryThroughChatClientTest {
    /** Small, so that the tests see the window evict. */
    static final int WINDOW = 6;

    @TempDir
    static Path dir;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        ScriptedChatModel chatModel() {
            return new ScriptedChatModel();
        }

        @Bean
        ChatMemory chatMemory(ChatMemoryRepository repository) {
            return MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(WINDOW).build();
        }

        @Bean
        ChatClient chatClient(ScriptedChatModel model, ChatMemory memory) {
            return ChatClient.builder(model).defaultAdvisors(MessageChatMemoryAdvisor.builder(memory).build()).build();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresServer server = PostgresServer.shared();
        String database = server.createDatabase();
        registry.add("spring.datasource.url", () -> server.url(database));
        registry.add("spring.datasource.username", () -> PostgresServer.USER);
        registry.add("spring.datasource.password", PostgresServer::password);
        registry.add("spring.ai.chat.memory.repository.jdbc.initialize-schema", () -> "always");
        registry.add("memsnap.store", () -> "postgres");
        registry.add("memsnap.postgres.url", () -> server.url(database));
        registry.add("memsnap.postgres.user", () -> PostgresServer.USER);
        registry.add("memsnap.postgres.password-env", () -> PostgresServer.PASSWORD_ENV);
        registry.add("memsnap.postgres.schema", () -> "memsnap");
        registry.add("memsnap.snapshot-dir", () -> dir.toString());
    }

    @Autowired
    ChatClient chat;
    @Autowired
    ScriptedChatModel model;
    @Autowired
    ChatMemory chatMemory;
    @Autowired
    ChatMemoryRepository repository;
    @Autowired
    MemoryManagers memories;
    @Autowired
    SnapshotStore store;

    private String say(String conversation, String text) {
        return chat.prompt().user(text).advisors(a -> a.param(ChatMemory.CONVERSATION_ID, conversation)).call()
                .content();
    }

    private List<String> stored(String conversation) {
        return repository.findByConversationId(conversation).stream()
                .map(m -> m.getMessageType().getValue() + ": " + m.getText()).toList();
    }

    @Test
    void theRepositoryBeanIsTheJdbcOneWrapped() {
        MemsnapChatMemoryRepository wrapped = assertInstanceOf(MemsnapChatMemoryRepository.class, repository);
        assertInstanceOf(JdbcChatMemoryRepository.class, wrapped.delegate());
    }

    @Test
    void applyMakesTheNextCallSeeTheSnapshotsMessagesAndLeavesTheOtherConversationAlone() {
        say("alice", "I live in Paris");
        say("bob", "I like tea");
        EnhancedMemoryManager alice = memories.get("alice");
        String paris = alice.createSnapshot();
        alice.saveSnapshot(paris);
        say("alice", "I moved to Rome");
        List<String> bobBefore = stored("bob");
        List<Turn> bobTurns = memories.get("bob").turns();

        assertTrue(alice.applySnapshot(paris));
        say("alice", "Where do I live?");

        assertEquals(List.of("user: I live in Paris", "assistant: noted: I live in Paris", "user: Where do I live?"),
                model.lastPrompt(), "the model saw the snapshot's conversation, and nothing of Rome");
        assertEquals(bobBefore, stored("bob"));
        assertEquals(bobTurns, memories.get("bob").turns());

        alice.undoApply();
        assertEquals(List.of("user: I live in Paris", "assistant: noted: I live in Paris", "user: I moved to Rome",
                "assistant: noted: I moved to Rome"), stored("alice"), "undo brings Rome back into the repository");
    }

    @Test
    void memsnapKeepsTheWholeHistoryBeyondTheWindow() {
        for (int i = 1; i <= 5; i++) {
            say("carol", "message " + i);
        }
        assertEquals(WINDOW, stored("carol").size());
        List<Turn> turns = memories.get("carol").turns();
        assertEquals(10, turns.size(), "every message, once");
        assertEquals("message 1", turns.get(0).content());
        assertEquals("noted: message 5", turns.get(9).content());
    }

    @Test
    void automaticSnapshotsCountTheConversationsMessages() {
        EnhancedMemoryManager erin = memories.get("erin");
        erin.enableAutoSnapshot(4);
        for (int i = 1; i <= 5; i++) {
            say("erin", "turn " + i);   // a user and an assistant message each
        }
        assertEquals(2, erin.stats().automaticSnapshots(), "10 messages, one automatic snapshot every 4");
    }

    @Test
    void toolCallsMediaAndMetadataSurviveExactlyThroughMemsnap() {
        Media image = Media.builder().mimeType(MimeTypeUtils.IMAGE_PNG).data(new byte[] {1, 2, 3}).name("dot.png")
                .id("m1").build();
        List<Message> messages = List.of(
                SystemMessage.builder().text("You are terse.").metadata(Map.of("source", "policy")).build(),
                UserMessage.builder().text("What is the weather in Paris?").media(image)
                        .metadata(Map.of("channel", "web", "retries", 2)).build(),
                AssistantMessage.builder().content("").properties(Map.of("finishReason", "TOOL_CALLS"))
                        .toolCalls(List.of(new AssistantMessage.ToolCall("call-1", "function", "weather",
                                "{\"city\":\"Paris\"}"))).build(),
                ToolResponseMessage.builder().responses(List.of(new ToolResponseMessage.ToolResponse("call-1",
                        "weather", "{\"celsius\":21}"))).metadata(Map.of("ms", 12)).build(),
                new AssistantMessage("21 °C in Paris."));
        chatMemory.add("dave", messages);

        EnhancedMemoryManager dave = memories.get("dave");
        String id = dave.createSnapshot();
        dave.saveSnapshot(id);
        List<Message> fromStore = MessageTurns.toMessages(store.read("dave", id).orElseThrow().shortTerm().turns());

        assertSameMessages(messages, MessageTurns.toMessages(dave.turns()));
        assertSameMessages(messages, fromStore);
        assertEquals(List.of("system: You are terse.", "user: What is the weather in Paris?",
                "assistant: 21 °C in Paris."), stored("dave"), "2.0.1's JDBC repository keeps type and text only, and "
                + "drops tool responses and the assistant messages that call tools; memsnap keeps them");
    }

    static void assertSameMessages(List<Message> expected, List<Message> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Message e = expected.get(i);
            Message a = actual.get(i);
            assertEquals(e.getClass(), a.getClass());
            assertEquals(e, a, "type, text and metadata of message " + i);
            if (e instanceof UserMessage u) {
                assertMedia(u.getMedia(), ((UserMessage) a).getMedia());
            }
            if (e instanceof AssistantMessage m) {
                assertEquals(m.getToolCalls(), ((AssistantMessage) a).getToolCalls());
                assertMedia(m.getMedia(), ((AssistantMessage) a).getMedia());
            }
            if (e instanceof ToolResponseMessage t) {
                assertEquals(t.getResponses(), ((ToolResponseMessage) a).getResponses());
            }
        }
    }

    private static void assertMedia(List<Media> expected, List<Media> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).getMimeType(), actual.get(i).getMimeType());
            assertEquals(expected.get(i).getId(), actual.get(i).getId());
            assertEquals(expected.get(i).getName(), actual.get(i).getName());
            if (expected.get(i).getData() instanceof byte[] bytes) {
                assertArrayEquals(bytes, actual.get(i).getDataAsByteArray());
            } else {
                assertEquals(String.valueOf(expected.get(i).getData()), String.valueOf(actual.get(i).getData()));
            }
        }
    }
}
