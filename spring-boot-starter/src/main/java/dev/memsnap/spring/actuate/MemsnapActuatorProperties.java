package dev.memsnap.spring.actuate;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code memsnap.actuator.*} properties: whether the {@code memsnap} actuator endpoint's write operations
 * (snapshot, apply, undo, label, pin) run, and, when Spring Security is on the class path, the role a caller needs
 * for them. Read operations are the actuator's to expose ({@code management.endpoints.web.exposure.include}).
 */
@ConfigurationProperties(prefix = MemsnapActuatorProperties.PREFIX)
public class MemsnapActuatorProperties {
    /** The prefix of these properties. */
    public static final String PREFIX = "memsnap.actuator";

    /**
     * Whether the memsnap endpoint's write operations (snapshot, apply, undo, label, pin) run; while false they are
     * refused with 403. Default false.
     */
    private boolean write;

    /**
     * The role a caller needs for write operations when Spring Security is on the class path (without the ROLE_
     * prefix). Default MEMSNAP_ADMIN.
     */
    private String writeRole = "MEMSNAP_ADMIN";

    public boolean isWrite() {
        return write;
    }

    public void setWrite(boolean write) {
        this.write = write;
    }

    public String getWriteRole() {
        return writeRole;
    }

    public void setWriteRole(String writeRole) {
        this.writeRole = writeRole;
    }
}
