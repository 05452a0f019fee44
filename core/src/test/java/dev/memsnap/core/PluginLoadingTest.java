package dev.memsnap.core;

import dev.memsnap.api.ConfigException;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.plugin.EventListenerFactory;
import dev.memsnap.api.plugin.MemsnapPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginLoadingTest {
    @TempDir
    Path dir;

    /** Events seen by {@link RecordingPlugin}'s listener, across instances. */
    static final List<SnapshotEvent> RECORDED = new CopyOnWriteArrayList<>();

    /** Its config section, bound as plugins bind theirs. */
    public record RecordingSettings(String marker) {
        public RecordingSettings {
            marker = marker == null ? "none" : marker;
        }
    }

    static volatile String boundMarker;

    public static final class RecordingPlugin implements MemsnapPlugin {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public List<EventListenerFactory> eventListenerFactories() {
            return List.of(EventListenerFactory.of("recording", (config, context) -> {
                boundMarker = config.bind("recording", RecordingSettings.class).marker();
                return Optional.of(RECORDED::add);
            }));
        }
    }

    public static final class SameNamePlugin implements MemsnapPlugin {
        @Override
        public String name() {
            return "recording";
        }
    }

    private ClassLoader loaderListing(String... providers) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.write(services.resolve(MemsnapPlugin.class.getName()), List.of(providers));
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    private ConfigFile config() {
        return ConfigFile.parse("test", "memory:\n  snapshot_dir: " + dir.resolve("snapshots") + "\n"
                + "recording:\n  marker: seen\n");
    }

    @Test
    void aPluginOnTheClassPathIsInstalledWithItsConfigSection() throws IOException {
        RECORDED.clear();
        try (Memsnap memsnap = Memsnap.start(config(), loaderListing(RecordingPlugin.class.getName()))) {
            assertEquals(List.of("recording"), memsnap.plugins().stream().map(MemsnapPlugin::name).toList());
            assertEquals("seen", boundMarker);
            String id = memsnap.manager().createSnapshot();
            memsnap.manager().saveSnapshot(id);
        }
        assertEquals(List.of(SnapshotEvent.Action.CREATE, SnapshotEvent.Action.SAVE),
                RECORDED.stream().map(SnapshotEvent::action).toList());
    }

    @Test
    void withNoPluginCoreRunsAlone() throws IOException {
        try (Memsnap memsnap = Memsnap.start(config(), loaderListing())) {
            assertEquals(List.of(), memsnap.plugins());
            memsnap.manager().addTurn("user", "hi");
            assertEquals(1, memsnap.manager().turns().size());
        }
    }

    @Test
    void aBrokenProviderIsNamed() throws IOException {
        ClassLoader loader = loaderListing("com.example.NoSuchPlugin");
        ConfigException e = assertThrows(ConfigException.class, () -> Memsnap.start(config(), loader));
        assertTrue(e.getMessage().contains("com.example.NoSuchPlugin"), e.getMessage());
    }

    @Test
    void twoPluginsOfOneNameAreRefused() throws IOException {
        ClassLoader loader = loaderListing(RecordingPlugin.class.getName(), SameNamePlugin.class.getName());
        ConfigException e = assertThrows(ConfigException.class, () -> Memsnap.start(config(), loader));
        assertTrue(e.getMessage().contains("two memsnap plugins are named \"recording\""), e.getMessage());
        assertTrue(e.getMessage().contains(SameNamePlugin.class.getName()), e.getMessage());
    }
}
