package dev.memsnap.websocket;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The decorator delegates every method, the manager interface's defaults included, so none falls back to them. */
class DecoratorForwardsEveryMethodTest {
    @TempDir
    Path dir;

    @Test
    void everyDefaultMethodOfTheManagerIsOverridden() {
        List<String> missing = new ArrayList<>();
        for (Method m : EnhancedMemoryManager.class.getMethods()) {
            if (!m.isDefault()) {
                continue;
            }
            try {
                WebSocketEnhancedMemoryManager.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.toString());
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void memoriesUnderKeysReachTheDelegate() {
        try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("t", "memory:\n  snapshot_dir: "
                + dir.toString().replace("\\", "/") + "\n"))) {
            EnhancedMemoryManager core = memsnap.memories().get("alice");
            WebSocketEnhancedMemoryManager decorated = new WebSocketEnhancedMemoryManager(core, event -> { });
            Memory paris = Memory.of("lives in Paris", LocalDateTime.of(2026, 1, 1, 0, 0), 0.5, "fact", List.of());
            decorated.putMemory("paris", paris);
            decorated.putMemory("rome", paris);
            assertEquals(1, decorated.removeMemories(List.of("rome")));
            assertEquals(List.of("paris"), List.copyOf(core.memories().keySet()));
        }
    }
}
