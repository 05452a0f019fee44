package dev.memsnap.example.audit;

import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.core.testing.SnapshotEventListenerContract;
import dev.memsnap.example.Contexts;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The audit log passes core's event-listener contract; what it delivered is the lines of its file. */
class AuditLogListenerContractTest extends SnapshotEventListenerContract {
    @TempDir
    Path dir;

    @Override
    protected SnapshotEventListener createListener() {
        return new AuditLogListener(dir.resolve("audit.jsonl"), Contexts.defaults().format());
    }

    @Override
    protected List<String> delivered(int atLeast) throws IOException {
        Path file = dir.resolve("audit.jsonl");
        return Files.exists(file) ? Files.readAllLines(file) : List.of(); // written and flushed in onEvent
    }
}
