package dev.memsnap.example.audit;

import dev.memsnap.api.plugin.EventListenerFactory;
import dev.memsnap.api.plugin.MemsnapPlugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code audit-log} plugin: an event backend that appends every snapshot event (create, save, load, apply, list,
 * automatic ones included) to a JSON-lines file, one event per line. Drop its jar into the host's plugin directory
 * and, optionally, say where the file goes:
 * <pre>
 * plugins:
 *   directory: plugins
 * audit:
 *   file: data/memory/audit.jsonl   # the default; relative to the working directory
 * </pre>
 * memsnap finds this class through {@code META-INF/services/dev.memsnap.api.plugin.MemsnapPlugin}, which names it.
 * It is written against {@code memsnap-api} alone: no memsnap internals, no Guice.
 */
public final class AuditLogPlugin implements MemsnapPlugin {
    /** The plugin's name, as {@code plugins.required} and the logs refer to it; also its event backend's name. */
    public static final String NAME = "audit-log";
    /** Where the audit goes when {@code audit.file} is not set. */
    public static final Path DEFAULT_FILE = AuditSettings.DEFAULT_FILE;

    /** Called by {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
    public AuditLogPlugin() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * One event backend. Binding the {@code audit:} section here, while memsnap is built, means a wrong value stops
     * start-up naming the file and the key. The factory opens nothing: the listener opens the file in its
     * {@code start()}, which memsnap calls once everything is wired, and closes it in {@code stop()}.
     */
    @Override
    public List<EventListenerFactory> eventListenerFactories() {
        return List.of(EventListenerFactory.of(NAME, (config, context) -> {
            AuditSettings audit = config.bind("audit", AuditSettings.class);
            return audit.enabled()
                    ? Optional.of(new AuditLogListener(audit.file(), context.format()))
                    : Optional.empty();
        }));
    }

    @Override
    public String toString() {
        return "AuditLogPlugin";
    }
}
