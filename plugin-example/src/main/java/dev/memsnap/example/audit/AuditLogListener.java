package dev.memsnap.example.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.core.format.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends each snapshot event to a file as one line of JSON, for example:
 * <pre>
 * {"action":"save","snapshot_id":"snapshot_20250426_123456_abcd1234","automatic":false,
 *  "location":"file:///srv/data/memory/snapshots/snapshot_20250426_123456_abcd1234.json","success":null,
 *  "occurred_at":"2025-04-26T12:34:56.790114Z","metadata":{"snapshot_id":"...","timestamp":"2025-04-26T12:34:56.789012",
 *  "short_term_turns":10,"long_term_memories":4,"topics":5}}
 * </pre>
 * (shown on several lines here; in the file each event is exactly one line). A {@code list} event also has
 * {@code snapshot_count}.
 *
 * <p>memsnap calls {@link #onEvent} on whichever thread did the operation: the host's thread for what it asks, the
 * background save thread for automatic saves. So writes take a lock, and each line is flushed whole. An audit log
 * must never break the assistant: a write that fails is logged and the operation it describes still succeeds.
 */
final class AuditLogListener implements SnapshotEventListener {
    private static final Logger log = LoggerFactory.getLogger(AuditLogListener.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Object lock = new Object();
    /** Open between start() and stop(); null otherwise, or when the file could not be opened. */
    private Writer out;

    AuditLogListener(Path file) {
        this.file = file;
    }

    @Override
    public void start() {
        synchronized (lock) {
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                // APPEND: a restarted host adds to the audit instead of overwriting what earlier runs recorded.
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                log.info("Auditing snapshot events to {}", file.toAbsolutePath());
            } catch (IOException e) {
                log.error("Cannot open the audit file {}; snapshot events will not be audited: {}",
                        file.toAbsolutePath(), e.toString());
            }
        }
    }

    @Override
    public void onEvent(SnapshotEvent event) {
        String line = toJson(event);
        synchronized (lock) {
            if (out == null) {
                return; // not started, already stopped, or the file could not be opened (logged at start)
            }
            try {
                out.write(line);
                out.write('\n');
                // Flush every line so that `tail -f` and a crash see whole events; no fsync, which would make every
                // turn that takes an automatic snapshot wait for the disk.
                out.flush();
            } catch (IOException e) {
                log.warn("Could not audit {} {} to {}: {}", event.action().wireName(), event.snapshotId(), file,
                        e.toString());
            }
        }
    }

    @Override
    public void stop() {
        synchronized (lock) {
            if (out == null) {
                return;
            }
            try {
                out.close();
            } catch (IOException e) {
                log.warn("Could not close the audit file {}: {}", file, e.toString());
            }
            out = null;
        }
    }

    /** One event as one line of JSON: Jackson escapes newlines inside strings, so a line is always one event. */
    static String toJson(SnapshotEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("action", event.action().wireName());
        node.put("snapshot_id", event.snapshotId());
        node.put("automatic", event.automatic());
        node.put("location", event.location() == null ? null : event.location().toString());
        node.put("success", event.success());
        node.put("occurred_at", event.occurredAt().toString());
        SnapshotMetadata m = event.metadata();
        if (m == null) {
            node.putNull("metadata");
        } else {
            ObjectNode metadata = node.putObject("metadata");
            metadata.put("snapshot_id", m.snapshotId());
            metadata.put("timestamp", Timestamps.format(m.timestamp())); // the snapshot format's own timestamps
            metadata.put("short_term_turns", m.shortTermTurns());
            metadata.put("long_term_memories", m.longTermMemories());
            metadata.put("topics", m.topics());
        }
        if (event.action() == SnapshotEvent.Action.LIST) {
            node.put("snapshot_count", event.snapshots().size());
        }
        return node.toString();
    }

    @Override
    public String toString() {
        return "AuditLogListener[" + file + "]";
    }
}
