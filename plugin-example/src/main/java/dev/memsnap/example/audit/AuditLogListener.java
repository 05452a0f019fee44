package dev.memsnap.example.audit;

import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.format.SnapshotFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Appends each snapshot event to a file as one line of JSON: the event exactly as memsnap's
 * {@link SnapshotFormat#eventJson} writes it (the seed's {@code memory_snapshot} event, which the websocket module also
 * streams), for example:
 * <pre>
 * {"memory_snapshot":{"action":"save","snapshot_id":"snapshot_20250426_123456_abcd1234",
 *  "filepath":"/srv/data/memory/snapshots/snapshot_20250426_123456_abcd1234.json",
 *  "metadata":{"snapshot_id":"snapshot_20250426_123456_abcd1234","timestamp":"2025-04-26T12:34:56.789012",
 *  "short_term_turns":10,"long_term_memories":4,"topics":5},"automatic":false,"occurred_at":"2025-04-26T12:34:56.790114"}}
 * </pre>
 * (shown on several lines here; in the file each event is exactly one line: the JSON escapes newlines in strings).
 *
 * <p>memsnap calls {@link #onEvent} on whichever thread did the operation: the host's thread for what it asks, the
 * background save thread for automatic saves. So writes take a lock, and each line is flushed whole. An audit log
 * must never break the assistant: a write that fails is logged and the operation it describes still succeeds.
 */
final class AuditLogListener implements SnapshotEventListener {
    private static final Logger log = LoggerFactory.getLogger(AuditLogListener.class);

    private final Path file;
    private final SnapshotFormat format;
    private final Object lock = new Object();
    /** Open between start() and stop(); null otherwise, or when the file could not be opened. */
    private Writer out;

    /**
     * @param file   the file to append to; nothing is opened before {@link #start()}
     * @param format memsnap's format, which writes each event in the one JSON vocabulary memsnap uses everywhere
     */
    AuditLogListener(Path file, SnapshotFormat format) {
        this.file = Objects.requireNonNull(file, "file");
        this.format = Objects.requireNonNull(format, "format");
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
        String line;
        try {
            // Raw line breaks in valid JSON can only be whitespace between tokens (inside strings they are escaped), so
            // this keeps one event to a line even if the format were ever pretty-printed.
            line = format.eventJson(event).replace('\n', ' ').replace('\r', ' ');
        } catch (RuntimeException e) {
            log.warn("Could not write {} {} as JSON: {}", event.action().wireName(), event.snapshotId(), e.toString());
            return;
        }
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

    @Override
    public String toString() {
        return "AuditLogListener[" + file + "]";
    }
}
