package dev.memsnap.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Module;
import com.google.inject.multibindings.Multibinder;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.MemorySnapshotModule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Shared helpers of the acceptance suite: building managers the way the issue says, the seed fixture, JSON trees. */
final class Acceptance {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern ID = Pattern.compile("snapshot_\\d{8}_\\d{6}_[0-9a-f]{8}");
    static final String SEED_ID = "snapshot_20250426_123456_abcd1234";

    private Acceptance() {
    }

    static MemoryConfig config(Path snapshotDir) {
        return MemoryConfig.defaults().withSnapshotDir(snapshotDir);
    }

    /** Exactly as the issue says: {@code Guice.createInjector(new MemorySnapshotModule(cfg)).getInstance(...)}. */
    static EnhancedMemoryManager manager(Path snapshotDir) {
        return Guice.createInjector(new MemorySnapshotModule(config(snapshotDir)))
                .getInstance(EnhancedMemoryManager.class);
    }

    /** A manager with extra host bindings (OptionalBinder.setBinding / Multibinder). */
    static EnhancedMemoryManager manager(MemoryConfig cfg, Module... host) {
        List<Module> modules = new ArrayList<>();
        modules.add(new MemorySnapshotModule(cfg));
        modules.addAll(List.of(host));
        return Guice.createInjector(modules).getInstance(EnhancedMemoryManager.class);
    }

    static Module listener(SnapshotEventListener listener) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                Multibinder.newSetBinder(binder(), SnapshotEventListener.class).addBinding().toInstance(listener);
            }
        };
    }

    static String seedText() {
        try (InputStream in = Acceptance.class.getResourceAsStream("/fixtures/seed-snapshot.json")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /fixtures/seed-snapshot.json");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode seedTree() {
        return tree(seedText());
    }

    static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The seed fixture with its id and timestamp replaced. */
    static String seedWith(String id, String timestamp) {
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) seedTree();
        root.put("snapshot_id", id);
        root.put("timestamp", timestamp);
        return root.toPrettyString();
    }

    /** Jackson tree equality where numbers are compared numerically (2100.0 == 2100) and all else exactly. */
    static final Comparator<JsonNode> NUMERIC = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
        }
        return a.equals(b) ? 0 : 1;
    };

    static boolean sameTree(JsonNode a, JsonNode b) {
        return a.equals(NUMERIC, b);
    }

    /** Every regular file and directory under {@code root} with size and modification time, for "nothing touched". */
    static Map<String, String> inventory(Path root) {
        Map<String, String> result = new TreeMap<>();
        if (!Files.exists(root)) {
            return result;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                result.put(root.relativize(p).toString(),
                        (a.isDirectory() ? "dir " : "file " + a.size() + " ") + a.lastModifiedTime().toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /**
     * The regular files directly in {@code dir}, sorted: where {@code <id>.json} snapshots live. Subdirectories
     * (a store's own bookkeeping, say) are not snapshots and are left out; {@link #temporaries} still searches them.
     */
    static List<String> fileNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under {@code root}, at any depth, whose name looks like a temporary or backup file. */
    static List<String> temporaries(Path root) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString())
                    .filter(name -> {
                        String n = name.toLowerCase(java.util.Locale.ROOT);
                        return n.contains("tmp") || n.contains("temp") || n.endsWith("~") || n.endsWith(".part")
                                || n.endsWith(".partial") || n.endsWith(".bak") || n.endsWith(".swp");
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records every event with the thread that delivered it; can count down a latch for matching events. */
    static final class Recorder implements SnapshotEventListener {
        final List<SnapshotEvent> events = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        private volatile Predicate<SnapshotEvent> watched = e -> false;
        private volatile CountDownLatch latch = new CountDownLatch(0);

        @Override
        public void onEvent(SnapshotEvent event) {
            events.add(event);
            threads.add(Thread.currentThread());
            if (watched.test(event)) {
                latch.countDown();
            }
        }

        CountDownLatch expect(int count, Predicate<SnapshotEvent> which) {
            CountDownLatch l = new CountDownLatch(count);
            latch = l;
            watched = which;
            return l;
        }

        List<SnapshotEvent> of(SnapshotEvent.Action action) {
            return events.stream().filter(e -> e.action() == action).toList();
        }
    }
}
