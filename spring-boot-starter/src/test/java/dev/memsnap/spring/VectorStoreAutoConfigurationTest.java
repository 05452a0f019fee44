package dev.memsnap.spring;

import dev.memsnap.api.MemoryManagers;
import dev.memsnap.spring.vectorstore.MemsnapVectorStore;
import dev.memsnap.spring.vectorstore.MemsnapVectorStoreAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every VectorStore bean is wrapped, by memsnap.vector-store.*; a wrong setting fails the start naming it. */
class VectorStoreAutoConfigurationTest {
    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MemsnapAutoConfiguration.class,
                        MemsnapVectorStoreAutoConfiguration.class))
                .withPropertyValues("memsnap.snapshot-dir=" + dir)
                .withBean("vectorStore", VectorStore.class,
                        () -> SimpleVectorStore.builder(new WordEmbeddingModel()).build());
    }

    @Test
    void aVectorStoreBeanIsWrappedByConversationIdByDefault() {
        runner().run(context -> {
            VectorStore store = context.getBean(VectorStore.class);
            assertInstanceOf(SimpleVectorStore.class, assertInstanceOf(MemsnapVectorStore.class, store).delegate());
            store.add(List.of(new Document("d1", "cats", Map.of("conversationId", "alice"))));
            assertEquals(Set.of("d1"), context.getBean(MemoryManagers.class).get("alice").memories().keySet());
        });
    }

    @Test
    void oneMemoryIdForTheWholeStore() {
        runner().withPropertyValues("memsnap.vector-store.memory-id=knowledge").run(context -> {
            context.getBean(VectorStore.class).add(List.of(new Document("d1", "cats", Map.of())));
            assertEquals(Set.of("d1"), context.getBean(MemoryManagers.class).get("knowledge").memories().keySet());
        });
    }

    @Test
    void switchedOffTheStoreStaysAsItIs() {
        runner().withPropertyValues("memsnap.vector-store.enabled=false").run(context ->
                assertInstanceOf(SimpleVectorStore.class, context.getBean(VectorStore.class)));
    }

    @Test
    void aWrongSettingFailsTheStartNamingTheProperty() {
        runner().withPropertyValues("memsnap.vector-store.memory-id=").run(context -> {
            assertNotNull(context.getStartupFailure());
            String message = rootMessage(context.getStartupFailure());
            assertTrue(message.startsWith("memsnap.vector-store.memory-id: "), message);
        });
        runner().withPropertyValues("memsnap.vector-store.memory-id-key= ").run(context -> {
            String message = rootMessage(context.getStartupFailure());
            assertTrue(message.startsWith("memsnap.vector-store.memory-id-key: "), message);
        });
    }

    static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && !(t instanceof dev.memsnap.api.ConfigException)) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
