package dev.memsnap.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memsnap.api.ConfigException;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import dev.memsnap.core.SnapshotStores;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar ({@code target/memsnap-audit-plugin.jar}, which failsafe names in {@value #JAR_PROPERTY}) dropped
 * into a plugin directory, the way a user drops it, and a host that has memsnap but not this module: the jar's store
 * keeps the snapshots, its event backend audits them, and the store passes the store contract loaded from the jar.
 */
class DropInJarIT {
    public static final String JAR_PROPERTY = "memsnap.plugin.jar";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * Skips the class unless failsafe runs it: {@code mvn verify} sets {@value #JAR_PROPERTY} to the packaged jar;
     * surefire (which a {@code -Dtest} pattern such as {@code dev.memsnap.example.**} makes pick up ITs) runs before
     * the jar exists and does not set it.
     */
    @BeforeAll
    static void onlyWhenThePackagedJarIsNamed() {
        String built = System.getProperty(JAR_PROPERTY);
        Assumptions.assumeTrue(built != null && !built.isBlank(), "not run by failsafe: no packaged jar named in "
                + JAR_PROPERTY + " (mvn verify runs these)");
    }

    /** @return the packaged jar, copied into {@code plugins/} under {@code parent} */
    public static Path dropIn(Path parent) throws IOException {
        String built = System.getProperty(JAR_PROPERTY);
        if (built == null || built.isBlank() || !Files.isRegularFile(Path.of(built))) {
            throw new IllegalStateException("run through `mvn verify`, which packages the jar and names it in "
                    + JAR_PROPERTY + " (got " + built + ")");
        }
        Path plugins = Files.createDirectories(parent.resolve("plugins"));
        return Files.copy(Path.of(built), plugins.resolve("memsnap-audit-plugin.jar"));
    }

    @Test
    void theJarHoldsOnlyThePluginsClassesAndItsServicesFile() throws IOException {
        List<String> entries = new ArrayList<>();
        try (JarFile jar = new JarFile(System.getProperty(JAR_PROPERTY))) {
            jar.stream().filter(e -> !e.isDirectory()).forEach(e -> entries.add(e.getName()));
        }
        assertTrue(entries.contains("META-INF/services/dev.memsnap.api.plugin.MemsnapPlugin"), entries.toString());
        for (String entry : entries) {
            assertTrue(entry.startsWith("dev/memsnap/example/") || entry.startsWith("META-INF/"), entry);
        }
    }

    @Test
    void theHostWithoutThisModuleSeesNoPluginUntilTheJarIsDroppedIn() throws IOException {
        ClassLoader host = new HostWithoutThisModule();
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("dev.memsnap.example.audit.AuditLogPlugin", false, host));
        Files.createDirectories(dir.resolve("plugins"));
        ConfigFile defaults = ConfigFile.parse("config.yaml", "plugins:\n  directory: " + dir.resolve("plugins")
                + "\nmemory:\n  snapshot_dir: " + dir.resolve("snapshots") + "\n");
        try (Memsnap memsnap = Memsnap.start(defaults, host)) {
            assertEquals(List.of(), memsnap.plugins());
            assertEquals(List.of(), memsnap.problems());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> Memsnap.start(config(""), host));
        assertTrue(e.getMessage().contains("no store named \"example-directory\""), e.getMessage());
    }

    @Test
    void theDroppedInJarAddsAStoreAndAnEventBackend() throws IOException {
        dropIn(dir);
        ConfigFile config = config("");
        ClassLoader host = new HostWithoutThisModule();
        String id;
        URI location;
        try (Memsnap memsnap = Memsnap.start(config, host)) {
            assertEquals(List.of("audit-log", "example-directory-store"),
                    memsnap.plugins().stream().map(MemsnapPlugin::name).toList());
            assertEquals(List.of(), memsnap.problems());
            SnapshotStore store = memsnap.store();
            assertEquals("dev.memsnap.example.store.DirectorySnapshotStore", store.getClass().getName());
            assertNotSame(host, store.getClass().getClassLoader(), "loaded from the jar, in its own class loader");
            assertTrue(store.getClass().getClassLoader().getName().contains("memsnap-audit-plugin.jar"),
                    store.getClass().getClassLoader().getName());

            EnhancedMemoryManager memory = memsnap.manager();
            memory.addTurn("user", "My name is Alice.");
            memory.addMemory("The user is called Alice.", "fact", 0.9, List.of("name"));
            id = memory.createSnapshot();
            location = memory.saveSnapshot(id);
            assertTrue(Files.exists(dir.resolve("store").resolve(id + ".snapshot")), location.toString());
            memory.addTurn("user", "Forget that.");
            memory.loadSnapshot(location);
            assertTrue(memory.applySnapshot(id));
            // apply keeps the state it replaced ("Forget that.") as a snapshot of its own, for undoApply()
            List<String> listed = memory.listSnapshots().stream().map(SnapshotMetadata::snapshotId).toList();
            assertEquals(2, listed.size(), listed.toString());
            assertTrue(listed.contains(id), listed.toString());
        }

        List<JsonNode> audit = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("audit.jsonl"))) {
            audit.add(JSON.readTree(line).get("memory_snapshot"));
        }
        String kept = listedIds(audit.get(audit.size() - 1)).stream().filter(s -> !s.equals(id)).findFirst()
                .orElseThrow(); // the state apply replaced, kept as a snapshot (and saved) for undoApply()
        assertEquals(List.of("create " + id, "save " + id, "load " + id, "create " + kept, "save " + kept,
                        "apply " + id, "list null"),
                audit.stream().map(e -> e.get("action").asText() + " " + e.path("snapshot_id").asText("null"))
                        .toList());
        assertEquals(Path.of(location).toString(), audit.get(1).get("filepath").asText());
        assertEquals(2, listedIds(audit.get(6)).size());

        // Every tool opens the store the same way: a restarted host, or the command line, reads what was saved.
        ConfigFile again = config("");
        try (SnapshotStores.Opened opened = SnapshotStores.open(again, again.memory(), host)) {
            MemorySnapshot read = opened.store().read(id).orElseThrow();
            assertEquals(1, read.longTerm().memories().size());
            assertEquals(read, opened.store().read(location));
        }
    }

    private static List<String> listedIds(JsonNode listEvent) {
        List<String> ids = new ArrayList<>();
        listEvent.get("snapshots").forEach(m -> ids.add(m.get("snapshot_id").asText()));
        return ids;
    }

    /**
     * A host that opens a tool with the configuration it started with: the tool loads the jar again, in a class loader
     * of its own, and binds the store's section to that loader's record class, not to the runtime's.
     */
    @Test
    void oneConfigurationServesTheRuntimeAndAToolEachWithItsOwnLoadOfTheJar() throws IOException {
        dropIn(dir);
        ConfigFile config = config("");
        ClassLoader host = new HostWithoutThisModule();
        String id;
        try (Memsnap memsnap = Memsnap.start(config, host)) {
            id = memsnap.manager().createSnapshot();
            memsnap.manager().saveSnapshot(id);
            try (SnapshotStores.Opened tool = SnapshotStores.open(config, config.memory(), host)) {
                assertNotSame(memsnap.store().getClass(), tool.store().getClass(), "two loads of the jar");
                assertEquals(id, tool.store().read(id).orElseThrow().snapshotId());
            }
        }
    }

    private ConfigFile config(String extra) {
        return ConfigFile.parse("config.yaml", "plugins:\n  directory: " + dir.resolve("plugins")
                + "\nmemory:\n  store: example-directory\n  example_directory:\n    path: " + dir.resolve("store")
                + "\n" + extra + "audit:\n  file: " + dir.resolve("audit.jsonl") + "\n");
    }

    /**
     * The test class path minus this module's own classes: a host that has memsnap (api, core) but not the plugin,
     * which it can then only find in the plugin directory.
     */
    public static final class HostWithoutThisModule extends ClassLoader {
        private static final String OWN_PACKAGE = "dev.memsnap.example.";
        private static final String SERVICES = "META-INF/services/";
        private final List<String> ownLocations;

        public HostWithoutThisModule() {
            super("host-without-plugin-example", DropInJarIT.class.getClassLoader());
            // where this module's classes are on the test class path: target/classes, or the packaged jar
            ownLocations = List.of(
                    dev.memsnap.example.audit.AuditLogPlugin.class.getProtectionDomain().getCodeSource()
                            .getLocation().toString(),
                    DropInJarIT.class.getProtectionDomain().getCodeSource().getLocation().toString());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(OWN_PACKAGE)) {
                throw new ClassNotFoundException(name + " is this module's, which the host does not have");
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            Enumeration<URL> all = getResources(name);
            return all.hasMoreElements() ? all.nextElement() : null;
        }

        @Override
        public Enumeration<URL> getResources(String name) {
            try {
                List<URL> kept = new ArrayList<>();
                for (URL url : Collections.list(getParent().getResources(name))) {
                    if (!name.startsWith(SERVICES) || !isOwn(url)) {
                        kept.add(url);
                    }
                }
                return Collections.enumeration(kept);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private boolean isOwn(URL url) {
            String location = url.toString();
            try {
                if ("jar".equals(url.getProtocol())) {
                    location = new URI(location.substring(4, location.indexOf("!/"))).toString();
                }
            } catch (URISyntaxException e) {
                return false;
            }
            String finalLocation = location;
            return ownLocations.stream().anyMatch(finalLocation::startsWith);
        }
    }
}
