package dev.memsnap.spring.actuate;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.spring.MemsnapAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The health of memsnap's snapshot store, as the health contributor {@code memsnap}
 * ({@code /actuator/health/memsnap}): up with what the store holds, down with the reason it cannot be read. Off with
 * {@code management.health.memsnap.enabled=false}.
 */
@AutoConfiguration(after = MemsnapAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnEnabledHealthIndicator("memsnap")
public class MemsnapHealthAutoConfiguration {
    /**
     * @param store memsnap's store
     * @return its health indicator, named {@code memsnap} by its bean name
     */
    @Bean
    @ConditionalOnBean(SnapshotStore.class)
    @ConditionalOnMissingBean(name = "memsnapHealthIndicator")
    public HealthIndicator memsnapHealthIndicator(SnapshotStore store) {
        return new MemsnapHealthIndicator(store);
    }
}
