package dev.memsnap.example.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit plugin jar, built by plugin-example, dropped into a plugin directory: the host, unchanged, installs it
 * and its backend receives every snapshot event. Without the jar the same host runs on its defaults.
 */
class DropInPluginTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = """
            My name is Alice.
            /snapshot
            /save
            /load last
            /apply last
            /auto on 2
            I like tea.
            /auto off
            /list
            """;

    @TempDir
    Path dir;

    @Test
    void thePluginIsNotOnTheClassPathSoOnlyTheDirectoryCanProvideIt() {
        assertTrue(Files.exists(PluginJar.built()), PluginJar.built().toString());
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.memsnap.example.audit.AuditLogPlugin"));
    }

    @Test
    void theDroppedInJarsBackendReceivesEverySnapshotEvent() throws IOException {
        PluginJar.copyTo(dir.resolve("plugins/memsnap-audit-plugin.jar"));

        HostRun run = HostRun.script(dir, HostRun.config(dir, ""), SCRIPT);

        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("plugins:   audit-log, example-directory-store; off: websocket, dashboard (turn "
                + "on with websocket.enabled: true, dashboard.enabled: true)\n"), run.toString());
        assertFalse(run.out().contains("plugin problem"), run.toString());
        String manual = run.createdId();
        List<String[]> saved = run.saved();
        assertEquals(2, saved.size(), run.toString());
        String automatic = saved.get(1)[0];
        assertNotEquals(manual, automatic);

        List<JsonNode> audit = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("audit.jsonl"))) {
            audit.add(JSON.readTree(line).get("memory_snapshot")); // each line is memsnap's event JSON
        }
        assertEquals(List.of("create", "save", "load", "apply", "create (automatic)", "save (automatic)", "list"),
                audit.stream().map(e -> e.get("action").asText()
                        + (e.get("automatic").asBoolean() ? " (automatic)" : "")).toList(), run.toString());
        for (JsonNode event : audit.subList(0, 4)) {
            assertEquals(manual, event.get("snapshot_id").asText());
        }
        for (JsonNode event : audit.subList(4, 6)) {
            assertEquals(automatic, event.get("snapshot_id").asText());
        }
        assertTrue(audit.get(1).get("filepath").asText().endsWith(manual + ".json"));
        assertTrue(audit.get(5).get("filepath").asText().endsWith(automatic + ".json"));
        assertTrue(audit.get(3).get("success").asBoolean());
        assertEquals(2, audit.get(6).get("snapshots").size(), "the manual snapshot and the automatic one");
    }

    @Test
    void withoutTheJarTheSameHostRunsOnItsDefaults() throws IOException {
        Files.createDirectories(dir.resolve("plugins")); // the same config, the directory empty

        HostRun run = HostRun.script(dir, HostRun.config(dir, ""), SCRIPT);

        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("plugins:   none enabled; off: websocket, dashboard (turn on with "
                + "websocket.enabled: true, dashboard.enabled: true)\n"), run.toString());
        assertFalse(run.out().contains("plugin problem"), run.toString());
        assertFalse(Files.exists(dir.resolve("audit.jsonl")), "no plugin, no audit");
        assertEquals(2, run.saved().size(), run.toString());
    }
}
