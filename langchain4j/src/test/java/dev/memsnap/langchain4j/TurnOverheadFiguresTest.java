package dev.memsnap.langchain4j;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import dev.langchain4j.store.memory.chat.InMemoryChatMemoryStore;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Measures what the decorator adds to one AiServices turn (window of 10, automatic snapshots every 10 turns saved to
 * a file store in the background), against the bare store, interleaved so both see the same machine. It checks only
 * correctness, never timings, so a slow machine cannot fail it; the figures go to the log and to
 * {@code target/langchain4j-overhead.txt}.
 */
class TurnOverheadFiguresTest {
    private static final Logger log = LoggerFactory.getLogger(TurnOverheadFiguresTest.class);
    private static final int WARMUP = 1000;
    private static final int TURNS = 2000;

    interface Assistant {
        @SystemMessage("You are a helpful assistant.")
        String chat(@MemoryId String user, @UserMessage String message);
    }

    @TempDir
    Path dir;

    @Test
    void oneTurnWithAndWithoutMemsnap() throws IOException {
        String yaml = "memory:\n  snapshot_dir: " + dir.toString().replace("\\", "/")
                + "\n  auto_snapshot: true\n  snapshot_interval: 10\n";
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("t", yaml))) {
            MemsnapChatMemoryStore wrapped = MemsnapChatMemoryStore.inMemory(memsnap.memories());
            Assistant bare = assistant(new InMemoryChatMemoryStore());
            Assistant decorated = assistant(wrapped);
            long[] bareNanos = new long[TURNS];
            long[] decoratedNanos = new long[TURNS];
            for (int i = 0; i < WARMUP + TURNS; i++) {
                long a = time(bare, "warm-bare", i);
                long b = time(decorated, i < WARMUP ? "warm" : "user", i);
                if (i >= WARMUP) {
                    bareNanos[i - WARMUP] = a;
                    decoratedNanos[i - WARMUP] = b;
                }
            }
            assertEquals(1 + 2 * TURNS, memsnap.memories().get("user").turns().size());
            assertEquals(0, wrapped.failures());
            String figures = String.format(Locale.ROOT,
                    "one AiServices turn (window 10, auto snapshot every 10 turns, file store), %d turns:%n"
                            + "  bare InMemoryChatMemoryStore: p50 %.1f us, p99 %.1f us%n"
                            + "  MemsnapChatMemoryStore:       p50 %.1f us, p99 %.1f us%n",
                    TURNS, percentile(bareNanos, 50), percentile(bareNanos, 99),
                    percentile(decoratedNanos, 50), percentile(decoratedNanos, 99));
            log.info("{}", figures);
            Files.writeString(Path.of("target", "langchain4j-overhead.txt"), figures);
        }
    }

    private static Assistant assistant(ChatMemoryStore store) {
        return AiServices.builder(Assistant.class).chatModel(new RecordingChatModel())
                .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(10)
                        .chatMemoryStore(store).build())
                .build();
    }

    private static long time(Assistant assistant, String user, int i) {
        long start = System.nanoTime();
        assistant.chat(user, "message " + i);
        return System.nanoTime() - start;
    }

    private static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
    }
}
