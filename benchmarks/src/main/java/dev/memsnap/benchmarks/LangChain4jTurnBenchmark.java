package dev.memsnap.benchmarks;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import dev.langchain4j.store.memory.chat.InMemoryChatMemoryStore;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.langchain4j.MemsnapChatMemoryStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What {@code MemsnapChatMemoryStore} adds to one LangChain4j {@code AiServices} turn: a {@code chat} call through a
 * real AiServices proxy with a {@code MessageWindowChatMemory} of 10 messages, over the bare
 * {@code InMemoryChatMemoryStore} ({@value #BARE}) or over the decorator wrapping one ({@value #MEMSNAP}), memsnap
 * taking an automatic snapshot every 10 turns (messages; about every 5 calls) saved to a file store in the background.
 * The model is an in-process deterministic one, so the figure is the framework's and memsnap's own cost; a real
 * model's call takes hundreds of milliseconds. Sampled per call ({@link Mode#SampleTime}: the report reads p50, p99).
 *
 * <p>Pacing, outside the measurement, as in {@link AutoSnapshotTurnBenchmark}: before each call the benchmark waits
 * until no automatic save is queued or running, since a real conversation's turns arrive seconds apart. Every
 * {@value #RESET_EVERY} calls the conversation moves to a new memory id and the old one is forgotten with its
 * snapshots (untimed), so the recorded history stays a few hundred turns long.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@State(Scope.Benchmark)
public class LangChain4jTurnBenchmark {
    /** The plain LangChain4j store. */
    public static final String BARE = "bare";
    /** The same store wrapped by {@code MemsnapChatMemoryStore}. */
    public static final String MEMSNAP = "memsnap";
    static final int RESET_EVERY = 300;
    static final int WINDOW = 10;
    static final int SNAPSHOT_INTERVAL = 10;
    private static final long SAVE_WAIT_NANOS = TimeUnit.MINUTES.toNanos(2);

    /** The assistant, as an application declares it. */
    public interface Assistant {
        @SystemMessage("You are a helpful assistant.")
        String chat(@MemoryId String user, @dev.langchain4j.service.UserMessage String message);
    }

    /** A deterministic model: acknowledges the last user message. */
    static final class EchoModel implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            String last = messages.get(messages.size() - 1) instanceof UserMessage u && u.hasSingleText()
                    ? u.singleText() : "";
            return ChatResponse.builder().aiMessage(AiMessage.from("Noted: " + last)).build();
        }
    }

    @Param({BARE, MEMSNAP})
    public String store;

    private Path dir;
    private Memsnap memsnap;
    private MemsnapChatMemoryStore wrapped;
    private Assistant assistant;
    private List<String> messages;
    private String user = "user-0";
    private int users;
    private int sinceReset;
    private long calls;
    private long waits;

    @Setup(Level.Trial)
    public void setUp() {
        ChatMemoryStore chatStore = new InMemoryChatMemoryStore();
        if (store.equals(MEMSNAP)) {
            dir = BenchEnv.newDir("langchain4j");
            memsnap = Memsnap.start(ConfigFile.parse("bench", "memory:\n  snapshot_dir: "
                    + dir.toString().replace("\\", "/") + "\n  auto_snapshot: true\n  snapshot_interval: "
                    + SNAPSHOT_INTERVAL + "\n"));
            wrapped = MemsnapChatMemoryStore.wrap(chatStore, memsnap.memories());
            chatStore = wrapped;
        } else if (!store.equals(BARE)) {
            throw new IllegalArgumentException("store is " + BARE + " or " + MEMSNAP + ", not " + store);
        }
        ChatMemoryStore memoryStore = chatStore;
        assistant = AiServices.builder(Assistant.class)
                .chatModel(new EchoModel())
                .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(WINDOW)
                        .chatMemoryStore(memoryStore).build())
                .build();
        messages = new DataGenerator(7).turns(1_000).stream().filter(t -> t.role().equals("user"))
                .map(t -> t.content()).toList();
    }

    @Setup(Level.Invocation)
    public void pace() {
        if (sinceReset >= RESET_EVERY) {
            String old = user;
            user = "user-" + (++users);
            sinceReset = 0;
            if (memsnap != null) {
                awaitIdle(old);
                memsnap.memories().forget(old, true);
            }
        }
        if (memsnap != null) {
            awaitIdle(user);
        }
    }

    @Benchmark
    public String chat() {
        sinceReset++;
        return assistant.chat(user, messages.get((int) (calls++ % messages.size())));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchEnv.fact("langchain4j." + store + ".calls", calls);
        if (memsnap != null) {
            BenchEnv.fact("langchain4j." + store + ".waits", waits);
            BenchEnv.fact("langchain4j." + store + ".failures", wrapped.failures());
            wrapped.close();
            memsnap.close();
            BenchEnv.deleteTree(dir);
        }
    }

    private void awaitIdle(String memoryId) {
        MemoryManagers memories = memsnap.memories();
        long deadline = System.nanoTime() + SAVE_WAIT_NANOS;
        ManagerStats stats = memories.get(memoryId).stats();
        if (stats.pendingAutomaticSaves() > 0) {
            waits++;
        }
        while (stats.pendingAutomaticSaves() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            stats = memories.get(memoryId).stats();
        }
    }
}
