package dev.memsnap.spring;

import dev.memsnap.api.MemoryManagers;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Spring AI chat memory as memsnap memory: every {@link ChatMemoryRepository} bean (Spring AI's in-memory and JDBC
 * ones, or the application's) is wrapped in a {@link MemsnapChatMemoryRepository}, so that each conversation id is a
 * memsnap memory id. On when Spring AI's chat memory is on the class path, unless
 * {@code memsnap.chat-memory.enabled=false}.
 */
@AutoConfiguration(after = MemsnapAutoConfiguration.class)
@ConditionalOnClass(ChatMemoryRepository.class)
@ConditionalOnBooleanProperty(name = "memsnap.chat-memory.enabled", matchIfMissing = true)
public class MemsnapChatMemoryAutoConfiguration {
    /**
     * Static, as a post-processor must be, so that it is made before the beans it wraps; it looks the memories up
     * when it wraps the first repository.
     *
     * @param memories    memsnap's memories, looked up on first use
     * @param environment where {@code memsnap.chat-memory.restore-max-messages} is read
     * @return the post-processor that wraps every {@code ChatMemoryRepository} bean
     */
    @Bean
    public static BeanPostProcessor memsnapChatMemoryRepositoryWrapper(ObjectProvider<MemoryManagers> memories,
                                                                      Environment environment) {
        return new RepositoryWrapper(memories, environment);
    }

    /** Wraps each repository bean once; a bean that already is a memsnap repository stays as it is. */
    static final class RepositoryWrapper implements BeanPostProcessor {
        private final ObjectProvider<MemoryManagers> memories;
        private final Environment environment;

        RepositoryWrapper(ObjectProvider<MemoryManagers> memories, Environment environment) {
            this.memories = memories;
            this.environment = environment;
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!(bean instanceof ChatMemoryRepository repository) || bean instanceof MemsnapChatMemoryRepository) {
                return bean;
            }
            Integer restoreMax = Binder.get(environment)
                    .bind(MemsnapProperties.PREFIX + ".chat-memory.restore-max-messages", Integer.class)
                    .orElse(null);
            return MemsnapChatMemoryRepository.wrapBean(repository, memories.getObject(), restoreMax);
        }
    }
}
