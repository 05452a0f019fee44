package dev.memsnap.example.audit;

import com.google.inject.Module;
import com.google.inject.multibindings.Multibinder;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemsnapPlugin;

import java.nio.file.Path;

/**
 * The {@code audit-log} plugin: an event backend that appends every snapshot event (create, save, load, apply, list,
 * automatic ones included) to a JSON-lines file, one object per line. Drop its jar into the host's plugin directory
 * and, optionally, say where the file goes:
 * <pre>
 * plugins:
 *   directory: plugins
 * audit:
 *   file: data/memory/audit.jsonl   # the default; relative to the working directory
 * </pre>
 * memsnap finds this class through {@code META-INF/services/dev.memsnap.core.MemsnapPlugin}, which names it.
 */
public final class AuditLogPlugin implements MemsnapPlugin {
    /** The plugin's name, as {@code plugins.required} and the logs refer to it. */
    public static final String NAME = "audit-log";
    /** Where the audit goes when {@code audit.file} is not set. */
    public static final Path DEFAULT_FILE = Path.of("data", "memory", "audit.jsonl");

    /** Called by {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
    public AuditLogPlugin() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Reads the {@code audit:} section and adds the audit log to memsnap's set of event listeners. Reading config
     * here, not in the listener, means a wrong value stops start-up with the file and key named.
     */
    @Override
    public Module module(ConfigFile config) {
        Path file = config.section("audit").path("file", DEFAULT_FILE);
        // A module only declares bindings: no files are opened here. memsnap calls the listener's start() (which
        // opens the file) once everything is wired, and stop() at shutdown.
        // Multibinder, not bind(): every listener in the set receives every event, so this one is added beside
        // memsnap's own (and the websocket module's) instead of replacing them. toInstance gives exactly one
        // listener, so the object memsnap starts is the object that receives the events.
        return binder -> Multibinder.newSetBinder(binder, SnapshotEventListener.class)
                .addBinding().toInstance(new AuditLogListener(file));
    }

    @Override
    public String toString() {
        return "AuditLogPlugin";
    }
}
