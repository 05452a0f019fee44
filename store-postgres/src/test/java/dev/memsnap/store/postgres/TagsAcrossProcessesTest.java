package dev.memsnap.store.postgres;

import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.prune.RetentionPolicy;
import dev.memsnap.core.testing.TestSnapshots;
import dev.memsnap.core.tools.SnapshotTools;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two processes on one PostgreSQL store: one pins and labels snapshots while the other labels the same snapshots and
 * prunes everything unpinned. Every pin the pinning process saw succeed keeps its snapshot (a prune that listed it
 * unpinned deletes it only if its tags are still those it listed), and no label either process saw succeed is lost
 * (labels are changed by compare-and-set).
 */
class TagsAcrossProcessesTest {
    private static final LocalDateTime OLD = LocalDateTime.of(2020, 1, 1, 0, 0);
    private static final int SNAPSHOTS = 60;
    private static final String SCHEMA = "two_processes";

    private final PostgresServer server = PostgresServer.shared();

    private static String id(int n) {
        return String.format("snapshot_20200101_000000_%08x", n);
    }

    @Test
    void pinsAndLabelsOfAnotherProcessSurviveConcurrentPrunesAndLabels() throws Exception {
        String database = server.createDatabase();
        PostgresStoreConfig config = server.config(database, SCHEMA);
        PostgresSnapshotStore store = PostgresServer.started(config, SnapshotCodec.plain());
        try {
            for (int i = 0; i < SNAPSHOTS; i++) {
                store.save(TestSnapshots.snapshot(id(i), OLD.plusMinutes(i), 1, 1));
            }
            SnapshotTools tools = new SnapshotTools(store);
            Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), PinningProcess.class.getName(),
                    config.url(), config.schema(), Integer.toString(SNAPSHOTS))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<String> report = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.equals("ready")) {
                            ready.countDown();
                        } else {
                            report.add(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    report.add("read failed: " + e);
                }
            });
            reader.start();
            assertTrue(ready.await(60, TimeUnit.SECONDS), "the pinning process did not start");

            // This process: label every snapshot, and prune all but the newest unpinned one, until the other ends.
            RetentionPolicy keepNewest = new RetentionPolicy(1, null, 0, 0, 0, 0, 0);
            Set<String> labelledHere = new TreeSet<>();
            int prunes = 0;
            while (other.isAlive() || prunes == 0) {
                for (int i = SNAPSHOTS - 1; i >= 0; i--) {
                    try {
                        tools.label(id(i), Set.of("here"), Set.of());
                        labelledHere.add(id(i));
                    } catch (SnapshotNotFoundException pruned) {
                        labelledHere.remove(id(i));
                    }
                    if (i % 10 == 0) {
                        tools.prune(keepNewest, false);
                        prunes++;
                    }
                }
            }
            assertTrue(other.waitFor(60, TimeUnit.SECONDS), "the pinning process did not end");
            reader.join(10_000);
            assertEquals(0, other.exitValue(), "the pinning process failed: " + report);

            int pinned = 0;
            for (String line : List.copyOf(report)) {
                String[] parts = line.split(" ");
                if (parts[0].equals("pinned")) {
                    pinned++;
                    SnapshotTags tags = store.tags(parts[1]);
                    assertTrue(store.read(parts[1]).isPresent(), parts[1] + " was pinned by the other process "
                            + "and then pruned by this one");
                    assertTrue(tags.pinned() && tags.labels().contains("there"), parts[1] + " lost the other "
                            + "process's pin or label: " + tags);
                }
            }
            for (String id : labelledHere) {
                if (store.read(id).isPresent()) {
                    assertTrue(store.tags(id).labels().contains("here"), id + " lost this process's label");
                }
            }
            assertTrue(pinned > 0, "the other process pinned nothing: " + report);
            assertTrue(prunes > 0);
        } finally {
            store.stop();
        }
    }

    /** The other process: pins each snapshot and labels it, printing {@code pinned ID} or {@code gone ID}. */
    static final class PinningProcess {
        public static void main(String[] args) {
            PostgresStoreConfig config = new PostgresStoreConfig(args[0], PostgresServer.USER,
                    PostgresServer.PASSWORD_ENV, 2, args[1], "5s", true);
            SnapshotStore store = PostgresServer.started(config, SnapshotCodec.plain());
            try {
                SnapshotTools tools = new SnapshotTools(store);
                int count = Integer.parseInt(args[2]);
                System.out.println("ready");
                for (int i = 0; i < count; i++) {
                    try {
                        tools.pin(id(i), true);
                        tools.label(id(i), Set.of("there"), Set.of());
                        System.out.println("pinned " + id(i));
                    } catch (SnapshotNotFoundException pruned) {
                        System.out.println("gone " + id(i));
                    }
                }
            } finally {
                store.stop();
            }
        }
    }
}
