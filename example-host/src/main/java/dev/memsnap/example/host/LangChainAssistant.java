package dev.memsnap.example.host;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.memory.chat.ChatMemoryProvider;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.input.PromptTemplate;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import dev.langchain4j.rag.content.injector.ContentInjector;
import dev.langchain4j.rag.content.injector.DefaultContentInjector;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.langchain4j.MemsnapChatMemoryStore;

import java.time.Duration;
import java.util.Map;

/**
 * The host's assistant, a LangChain4j {@link AiServices} service with a {@code @MemoryId} per user (the console's
 * {@code /memory ID}, which is the memsnap memory id): its chat memory is a {@link MessageWindowChatMemory} of
 * {@value #WINDOW} messages over {@link MemsnapChatMemoryStore} (over LangChain4j's in-memory store), and it retrieves
 * from the user's facts ({@link Knowledge}, over {@code MemsnapEmbeddingStore}) on every message. So memsnap's
 * snapshots hold both the conversation and the facts, and an apply changes what the next answer sees: the chat memory
 * store and the embedding store are rewritten to the snapshot's.
 *
 * <p>The model is {@link RuleChatModel} unless {@code OPENAI_API_KEY} is set: then LangChain4j's
 * {@link OpenAiChatModel}, at {@code OPENAI_BASE_URL} (any OpenAI-compatible server: Ollama, vLLM, ...) with
 * {@code OPENAI_MODEL}. Either way the host's {@link FactRules} turn the user's statements into facts.
 */
final class LangChainAssistant implements AutoCloseable {
    static final String SYSTEM_PROMPT = "You are a small assistant whose memory is kept by memsnap. With each message "
            + "you are given the facts you learned about the user; when two disagree, the one learned last holds.";
    /** Between the user's message and the retrieved facts, in the message the model is sent. */
    static final String INFORMATION = "\n\nAnswer using the following information:\n";
    /** Messages the chat memory holds: the system message and the last 9 (memsnap keeps them all). */
    static final int WINDOW = 10;
    static final String API_KEY = "OPENAI_API_KEY";
    static final String BASE_URL = "OPENAI_BASE_URL";
    static final String MODEL = "OPENAI_MODEL";
    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    static final String DEFAULT_MODEL = "gpt-4o-mini";

    /** The AiServices interface: one conversation per {@code @MemoryId}. */
    interface Chat {
        @dev.langchain4j.service.SystemMessage(SYSTEM_PROMPT)
        String chat(@MemoryId String user, @UserMessage String message);
    }

    /**
     * @param chatModel   the model the service calls
     * @param description what the banner says of it
     */
    record Model(ChatModel chatModel, String description) {
    }

    private final MemsnapChatMemoryStore chatStore;
    private final ChatMemoryProvider chatMemories;
    private final Knowledge knowledge;
    private final Chat chat;
    private final Model model;

    LangChainAssistant(MemoryManagers memories, Model model) {
        this.model = model;
        this.chatStore = MemsnapChatMemoryStore.inMemory(memories);
        this.chatMemories = id -> MessageWindowChatMemory.builder().id(id).maxMessages(WINDOW)
                .chatMemoryStore(chatStore).build();
        this.knowledge = new Knowledge(memories);
        this.chat = AiServices.builder(Chat.class)
                .chatModel(model.chatModel())
                .chatMemoryProvider(chatMemories)
                .retrievalAugmentor(DefaultRetrievalAugmentor.builder()
                        .contentRetriever(knowledge)
                        .contentInjector(injector())
                        .build())
                // The chat memory, and so memsnap's turns, keep what the user said, not the facts sent with it.
                .storeRetrievedContentInChatMemory(false)
                .build();
    }

    /**
     * @return how the retrieved facts go into the message the model is sent: after the user's text and
     *         {@link #INFORMATION}, each with the metadata {@link Knowledge#SHOWN_METADATA}
     */
    static ContentInjector injector() {
        return DefaultContentInjector.builder()
                .promptTemplate(PromptTemplate.from("{{userMessage}}" + INFORMATION + "{{contents}}"))
                .metadataKeysToInclude(Knowledge.SHOWN_METADATA)
                .build();
    }

    /**
     * @param env the environment: {@value #API_KEY}, {@value #BASE_URL}, {@value #MODEL}
     * @return {@link OpenAiChatModel} when {@value #API_KEY} is set, else {@link RuleChatModel}
     */
    static Model model(Map<String, String> env) {
        String key = env.get(API_KEY);
        if (key == null || key.isBlank()) {
            return new Model(new RuleChatModel(), RuleChatModel.DESCRIPTION + "; set " + API_KEY
                    + " (and " + BASE_URL + ", " + MODEL + ") for an OpenAI-compatible model");
        }
        String baseUrl = orDefault(env.get(BASE_URL), DEFAULT_BASE_URL);
        String name = orDefault(env.get(MODEL), DEFAULT_MODEL);
        ChatModel openAi = OpenAiChatModel.builder().apiKey(key).baseUrl(baseUrl).modelName(name)
                .timeout(Duration.ofSeconds(60)).maxRetries(1).build();
        return new Model(openAi, "OpenAI-compatible " + name + " at " + baseUrl + " (" + API_KEY + " is set)");
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    /** @return what the banner says of the model */
    String description() {
        return model.description();
    }

    /** Starts a user's conversation the way the service does, with the system message. */
    void begin(String memoryId) {
        chatMemories.get(memoryId).add(SystemMessage.from(SYSTEM_PROMPT));
    }

    /**
     * @param memoryId the user
     * @param message  what they said
     * @return the model's answer; the chat memory (and memsnap's turns) now hold both
     * @throws dev.langchain4j.exception.LangChain4jException when the model does not answer
     */
    String chat(String memoryId, String message) {
        return chat.chat(memoryId, message);
    }

    /**
     * @param memoryId the user
     * @param fact     a fact they stated
     * @return the key of the long-term memory memsnap keeps of it
     */
    String learn(String memoryId, FactRules.Learned fact) {
        return knowledge.learn(memoryId, fact);
    }

    /** @return how many times memsnap's side of the stores failed (each logged) */
    long failures() {
        return chatStore.failures() + knowledge.failures();
    }

    @Override
    public void close() {
        chatStore.close();
        knowledge.close();
    }
}
