package dev.memsnap.spring.vectorstore;

import dev.memsnap.api.ConfigException;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.spring.MemsnapAutoConfiguration;
import dev.memsnap.spring.MemsnapProperties;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Spring AI vector stores as memsnap long-term memory: every {@link VectorStore} bean is wrapped in a
 * {@link MemsnapVectorStore}, by {@code memsnap.vector-store.memory-id-key} (default {@code conversationId}, as
 * {@code VectorStoreChatMemoryAdvisor} writes) or, with {@code memsnap.vector-store.memory-id}, into that one memory
 * id. On when Spring AI's vector store is on the class path, unless {@code memsnap.vector-store.enabled=false}. The
 * wrapper is a {@code VectorStore}: inject the store by that interface (a bean injected as {@code SimpleVectorStore}
 * or {@code PgVectorStore} no longer matches; {@link MemsnapVectorStore#delegate()} gives the store itself).
 */
@AutoConfiguration(after = MemsnapAutoConfiguration.class)
@ConditionalOnClass(VectorStore.class)
@ConditionalOnBooleanProperty(name = "memsnap.vector-store.enabled", matchIfMissing = true)
public class MemsnapVectorStoreAutoConfiguration {
    /**
     * Static, as a post-processor must be, so that it is made before the beans it wraps; it looks the memories up
     * when it wraps the first store.
     *
     * @param memories    memsnap's memories, looked up on first use
     * @param environment where {@code memsnap.vector-store.*} is read
     * @return the post-processor that wraps every {@code VectorStore} bean
     */
    @Bean
    public static BeanPostProcessor memsnapVectorStoreWrapper(ObjectProvider<MemoryManagers> memories,
                                                             Environment environment) {
        return new StoreWrapper(memories, environment);
    }

    /** Wraps each store bean once; a bean that already is a memsnap store stays as it is. */
    static final class StoreWrapper implements BeanPostProcessor {
        private static final String PREFIX = MemsnapProperties.PREFIX + ".vector-store";

        private final ObjectProvider<MemoryManagers> memories;
        private final Environment environment;

        StoreWrapper(ObjectProvider<MemoryManagers> memories, Environment environment) {
            this.memories = memories;
            this.environment = environment;
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!(bean instanceof VectorStore store) || bean instanceof MemsnapVectorStore) {
                return bean;
            }
            MemsnapProperties.VectorStore settings = Binder.get(environment)
                    .bind(PREFIX, MemsnapProperties.VectorStore.class)
                    .orElseGet(MemsnapProperties.VectorStore::new);
            if (settings.getMemoryId() != null) {
                try {
                    return MemsnapVectorStore.wrap(store, memories.getObject(), settings.getMemoryId());
                } catch (SnapshotException e) {
                    throw new ConfigException(PREFIX + ".memory-id: " + e.getMessage(), e);
                }
            }
            String key = settings.getMemoryIdKey();
            if (key == null || key.isBlank()) {
                throw new ConfigException(PREFIX + ".memory-id-key: expected a document metadata key, such as "
                        + "conversationId, got \"" + (key == null ? "" : key) + "\"");
            }
            return MemsnapVectorStore.byMetadataKey(store, memories.getObject(), key);
        }
    }
}
