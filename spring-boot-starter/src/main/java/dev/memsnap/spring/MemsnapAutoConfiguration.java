package dev.memsnap.spring;

import dev.memsnap.api.ConfigException;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.util.Arrays;
import java.util.List;

/**
 * memsnap's runtime in a Spring Boot application: the {@link Memsnap} runtime, configured from the
 * {@code memsnap.*} properties ({@link MemsnapProperties}) or the {@code config.yaml} that
 * {@code memsnap.config-file} names, started when the bean is made and closed with the context (queued automatic
 * saves drain into the store first); its {@link MemoryManagers}; and its {@link SnapshotStore}. Each bean backs off
 * when the application defines its own: a {@code SnapshotStore} bean of the application's becomes the runtime's
 * store (and the runtime starts and stops it), a {@code Memsnap} bean replaces the runtime altogether.
 *
 * <p>Chat memory is {@link MemsnapChatMemoryAutoConfiguration}'s. The actuator endpoint, health indicator and
 * meters belong beside these, in auto-configurations of their own listed in the same
 * {@code AutoConfiguration.imports}, each ordered after this one.
 */
@AutoConfiguration
@EnableConfigurationProperties(MemsnapProperties.class)
public class MemsnapAutoConfiguration {
    /** The name of the store bean this configuration defines when the application defines none. */
    public static final String STORE_BEAN = "memsnapSnapshotStore";

    /**
     * @param properties the {@code memsnap.*} properties
     * @param beans      where an application's own {@link SnapshotStore} bean is looked up
     * @return the started runtime
     * @throws ConfigException when a setting is wrong, naming the property (or the key of the config file)
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Memsnap memsnap(MemsnapProperties properties, ListableBeanFactory beans) {
        try {
            ConfigFile config = PropertiesConfig.configFile(properties);
            config.memory(); // every memory setting is checked here, before anything starts
            List<String> stores = Arrays.stream(beans.getBeanNamesForType(SnapshotStore.class, true, false))
                    .filter(name -> !name.equals(STORE_BEAN)).toList();
            if (stores.isEmpty()) {
                return Memsnap.start(config);
            }
            if (stores.size() > 1) {
                throw new ConfigException("memsnap takes one SnapshotStore bean, found " + stores);
            }
            SnapshotStore store = beans.getBean(stores.get(0), SnapshotStore.class);
            return Memsnap.start(config, binder -> com.google.inject.multibindings.OptionalBinder
                    .newOptionalBinder(binder, SnapshotStore.class).setBinding().toInstance(store));
        } catch (ConfigException e) {
            throw PropertiesConfig.translate(e, properties);
        }
    }

    /**
     * @param memsnap the runtime
     * @return its memories, one manager per memory id (a Spring AI conversation id is one)
     */
    @Bean
    @ConditionalOnMissingBean
    public MemoryManagers memsnapMemories(Memsnap memsnap) {
        return memsnap.memories();
    }

    /**
     * @param memsnap the runtime
     * @return the store the runtime uses; the runtime, not the context, starts and stops it
     */
    @Bean(name = STORE_BEAN, destroyMethod = "")
    @ConditionalOnMissingBean
    public SnapshotStore memsnapSnapshotStore(Memsnap memsnap) {
        return memsnap.store();
    }
}
