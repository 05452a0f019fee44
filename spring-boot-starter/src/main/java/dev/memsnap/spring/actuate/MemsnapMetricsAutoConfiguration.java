package dev.memsnap.spring.actuate;

import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.spring.MemsnapAutoConfiguration;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/**
 * memsnap's Micrometer meters ({@code memsnap.snapshots.*}, {@code memsnap.store.*}), as a {@link MeterBinder} bean
 * that Spring Boot binds to every {@code MeterRegistry}; where Micrometer is on the class path.
 */
@AutoConfiguration(after = MemsnapAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
public class MemsnapMetricsAutoConfiguration {
    /**
     * @param memories memsnap's memories, whose totals the meters read
     * @param store    their store, whose size the gauges read
     * @return the meters
     */
    @Bean
    @ConditionalOnBean({MemoryManagers.class, SnapshotStore.class})
    @ConditionalOnMissingBean(name = "memsnapMetrics")
    public MeterBinder memsnapMetrics(MemoryManagers memories, SnapshotStore store) {
        return new MemsnapMetrics(memories, store, Clock.systemUTC());
    }
}
