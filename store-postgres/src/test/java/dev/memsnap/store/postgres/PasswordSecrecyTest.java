package dev.memsnap.store.postgres;

import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The password is read from the environment and shown nowhere: not in logs, messages, descriptions or locations. */
class PasswordSecrecyTest {
    private static final String WRONG = "not-the-password-5e1f";

    private final PostgresServer server = PostgresServer.shared();

    @Test
    void thePasswordAppearsInNoLogLineMessageOrDescription() {
        String database = server.createDatabase();
        String password = PostgresServer.password();
        PostgresStoreConfig config = server.config(database, "secrets");
        StringBuilder shown = new StringBuilder();

        String logged = captureStandardStreams(() -> {
            PostgresSnapshotStore store = PostgresServer.started(config, SnapshotCodec.plain());
            shown.append(store.save(TestSnapshots.snapshot("snapshot_20250101_000000_00000001",
                    LocalDateTime.of(2025, 1, 1, 0, 0), 1, 1))).append(store).append(config);
            store.stop();

            PostgresSnapshotStore wrong = new PostgresSnapshotStore(config, Contexts.of(SnapshotCodec.plain()),
                    Map.of(PostgresServer.PASSWORD_ENV, WRONG)::get);
            SnapshotStoreException e = assertThrows(SnapshotStoreException.class, wrong::start);
            assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
            shown.append(e.getMessage());
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                shown.append(t.getMessage());
            }
            wrong.stop();

            String yaml = """
                    memory:
                      store: postgres
                      postgres: {url: '%s', user: %s, password_env: %s, schema: secrets}
                    """.formatted(server.url(database), PostgresServer.USER, PostgresServer.PASSWORD_ENV);
            try (Memsnap memsnap = Memsnap.start(ConfigFile.parse("config.yaml", yaml))) {
                memsnap.manager().saveSnapshot(memsnap.manager().createSnapshot());
            }
        });

        assertTrue(logged.contains("PostgreSQL snapshot store ready"), "the capture saw the store's log:\n" + logged);
        assertTrue(logged.contains("memsnap started with store PostgresSnapshotStore["), logged);
        for (String secret : new String[] {password, WRONG}) {
            assertFalse(logged.contains(secret), "a password was logged:\n" + logged);
            assertFalse(shown.toString().contains(secret), "a password was shown: " + shown);
        }
    }

    /** slf4j-simple writes to whatever {@code System.err} is at the time, so swapping it captures every logger. */
    private static String captureStandardStreams(Runnable work) {
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(capture);
        System.setOut(capture);
        try {
            work.run();
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        err.print(text);
        return text;
    }
}
