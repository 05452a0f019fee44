package dev.memsnap.spring.actuate;

import dev.memsnap.api.ConfigException;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.spring.MemsnapAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * The {@code memsnap} actuator endpoint ({@link MemsnapEndpoint}), where actuator is on the class path and the
 * endpoint is available ({@code management.endpoint.memsnap.*}, {@code management.endpoints.web.exposure.include}).
 * Its write operations follow {@code memsnap.actuator.*} ({@link MemsnapActuatorProperties}); with Spring Security on
 * the class path they need the role {@code memsnap.actuator.write-role}.
 */
@AutoConfiguration(after = MemsnapAutoConfiguration.class)
@ConditionalOnClass({WebEndpoint.class, ConditionalOnAvailableEndpoint.class})
@EnableConfigurationProperties(MemsnapActuatorProperties.class)
public class MemsnapEndpointAutoConfiguration {
    /** The class whose presence means Spring Security guards the application. */
    static final String SPRING_SECURITY = "org.springframework.security.core.Authentication";

    /**
     * @param memories   memsnap's memories
     * @param store      their store
     * @param properties {@code memsnap.actuator.*}
     * @return the endpoint
     * @throws ConfigException when writes are on, Spring Security is there, and the role is blank
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({MemoryManagers.class, SnapshotStore.class})
    @ConditionalOnAvailableEndpoint
    public MemsnapEndpoint memsnapEndpoint(MemoryManagers memories, SnapshotStore store,
                                           MemsnapActuatorProperties properties) {
        String role = null;
        if (ClassUtils.isPresent(SPRING_SECURITY, MemsnapEndpointAutoConfiguration.class.getClassLoader())) {
            role = properties.getWriteRole();
            if (properties.isWrite() && (role == null || role.isBlank())) {
                throw new ConfigException(MemsnapActuatorProperties.PREFIX + ".write-role: must name a role when "
                        + MemsnapActuatorProperties.PREFIX + ".write is true and Spring Security is on the class path");
            }
        }
        return new MemsnapEndpoint(memories, store, properties.isWrite(), role);
    }
}
