package dev.memsnap.core.manager;

import com.google.inject.Guice;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.MemorySnapshotModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MemoryIdsTest {
    @TempDir
    Path dir;

    @Test
    void aMemoryAddedAfterARollbackNeverTakesTheIdOfOneTheRollbackForgot() {
        EnhancedMemoryManager memory = Guice.createInjector(new MemorySnapshotModule(
                MemoryConfig.defaults().withSnapshotDir(dir))).getInstance(EnhancedMemoryManager.class);
        assertEquals("memory_1", memory.addMemory("Alice", "fact", 0.8, List.of("name")));
        String before = memory.createSnapshot();
        assertEquals("memory_2", memory.addMemory("Bob", "fact", 0.8, List.of("name")));
        memory.applySnapshot(before);
        assertEquals("memory_3", memory.addMemory("jazz", "preference", 0.7, List.of("music")));
        assertEquals(List.of("memory_1", "memory_3"), List.copyOf(memory.memories().keySet()));
    }
}
