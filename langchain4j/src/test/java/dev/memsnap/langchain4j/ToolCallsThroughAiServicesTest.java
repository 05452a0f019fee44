package dev.memsnap.langchain4j;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tool calls made through AiServices are recorded and restored as LangChain4j's own messages. */
class ToolCallsThroughAiServicesTest {

    interface Assistant {
        String chat(@MemoryId String user, @dev.langchain4j.service.UserMessage String message);
    }

    static final class Weather {
        @Tool("the weather in a city")
        String weather(String city) {
            return "sunny in " + city;
        }
    }

    /** Calls the weather tool for "weather X", then answers with the tool's result; otherwise echoes. */
    static final class ToolCallingModel implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            ChatMessage last = messages.get(messages.size() - 1);
            if (last instanceof ToolExecutionResultMessage result) {
                return ChatResponse.builder().aiMessage(AiMessage.from("It is " + result.text() + ".")).build();
            }
            String text = ((UserMessage) last).singleText();
            if (text.startsWith("weather ")) {
                ToolExecutionRequest call = ToolExecutionRequest.builder().id("call-" + messages.size())
                        .name("weather").arguments("{\"arg0\":\"" + text.substring(8) + "\"}").build();
                return ChatResponse.builder().aiMessage(AiMessage.builder().thinking("need the tool")
                        .toolExecutionRequests(List.of(call)).build()).build();
            }
            return ChatResponse.builder().aiMessage(AiMessage.from("echo " + text)).build();
        }
    }

    @TempDir
    Path dir;

    @Test
    void toolCallsAndResultsAreRecordedAndApplyRestoresThem() {
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("t", "memory:\n  snapshot_dir: "
                + dir.toString().replace("\\", "/") + "\n  store: incremental\n"))) {
            MemsnapChatMemoryStore store = MemsnapChatMemoryStore.inMemory(memsnap.memories());
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(new ToolCallingModel())
                    .tools(new Weather())
                    .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(3)
                            .chatMemoryStore(store).build())
                    .build();
            assertEquals("It is sunny in Paris.", assistant.chat("u", "weather Paris"));
            EnhancedMemoryManager memory = memsnap.memories().get("u");
            List<ChatMessage> recorded = MessageTurns.toMessages(memory.turns());
            assertEquals(4, recorded.size(), recorded.toString());
            assertInstanceOf(AiMessage.class, recorded.get(1));
            assertEquals("need the tool", ((AiMessage) recorded.get(1)).thinking());
            assertEquals("tool", memory.turns().get(2).role());
            assertEquals("sunny in Paris", memory.turns().get(2).content());
            String snapshot = memory.createSnapshot();
            memory.saveSnapshot(snapshot);

            assistant.chat("u", "weather Oslo");
            assistant.chat("u", "hello");
            assertEquals(10, memory.turns().size());   // beyond the window of 3: every message, once

            assertTrue(memory.applySnapshot(snapshot));
            assertEquals(recorded, store.delegate().getMessages("u"));
            assertEquals(0, store.failures());
        }
    }

    @Test
    void usersChattingAtOnceEachGetTheirOwnWholeHistory() throws Exception {
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("t", "memory:\n  snapshot_dir: "
                + dir.toString().replace("\\", "/") + "\n"))) {
            MemsnapChatMemoryStore store = MemsnapChatMemoryStore.inMemory(memsnap.memories());
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(new ToolCallingModel())
                    .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(4)
                            .chatMemoryStore(store).build())
                    .build();
            int users = 8;
            int turns = 25;
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int u = 0; u < users; u++) {
                    String user = "user-" + u;
                    done.add(pool.submit(() -> {
                        for (int t = 0; t < turns; t++) {
                            assistant.chat(user, user + " says " + t);
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            for (int u = 0; u < users; u++) {
                String user = "user-" + u;
                List<ChatMessage> history = MessageTurns.toMessages(memsnap.memories().get(user).turns());
                assertEquals(2 * turns, history.size(), user);
                for (int t = 0; t < turns; t++) {
                    assertEquals(UserMessage.from(user + " says " + t), history.get(2 * t));
                    assertEquals(AiMessage.from("echo " + user + " says " + t), history.get(2 * t + 1));
                }
            }
            assertEquals(0, store.failures());
        }
    }
}
