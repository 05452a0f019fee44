package dev.memsnap.core.memories;

import dev.memsnap.api.ApplyOptions;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.InvalidMemoryIdException;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.Turn;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Memory ids through the public API: isolation, lineage, undo, selective apply, resume and eviction. */
class ManyMemoriesTest {
    @TempDir
    Path dir;

    private Memsnap start(String store, String extra) {
        return Memsnap.start(ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: " + dir.resolve("snapshots")
                + "\n  store: " + store + "\n" + extra));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "incremental"})
    void twoMemoriesUsedFromEightThreadsNeverSeeEachOther(String store) throws Exception {
        try (Memsnap memsnap = start(store, "  auto_snapshot: true\n  snapshot_interval: 7\n")) {
            MemoryManagers memories = memsnap.memories();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    String id = t % 2 == 0 ? "alice@example.com" : "bob";
                    int thread = t;
                    work.add(pool.submit(() -> {
                        EnhancedMemoryManager m = memories.get(id);
                        for (int i = 0; i < 50; i++) {
                            m.addTurn("user", id + " says " + thread + "/" + i);
                            if (i % 10 == 0) {
                                m.addMemory(id + " fact " + thread + "/" + i, "fact", 0.5, List.of(id));
                                m.saveSnapshot(m.createSnapshot());
                            }
                        }
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            for (String id : List.of("alice@example.com", "bob")) {
                EnhancedMemoryManager m = memories.get(id);
                assertEquals(200, m.turns().size());
                assertTrue(m.turns().stream().allMatch(turn -> turn.content().startsWith(id + " says")), id);
                assertTrue(m.memories().values().stream().allMatch(mem -> mem.content().startsWith(id)), id);
                List<SnapshotMetadata> listing = m.listSnapshots();
                assertTrue(listing.size() >= 20, listing.size() + " snapshots");
                for (SnapshotMetadata meta : listing) {
                    assertEquals(id, meta.memoryId());
                    MemorySnapshot s = m.getSnapshot(meta.snapshotId()).orElseThrow();
                    assertTrue(s.shortTerm().turns().stream().allMatch(t -> t.content().startsWith(id)), id);
                }
            }
            assertEquals(List.of("alice@example.com", "bob", MemoryManagers.DEFAULT), memories.memoryIds());
            assertTrue(memsnap.manager().listSnapshots().isEmpty(), "the default memory saw none of theirs");
        }
    }

    @Test
    void theSameIdGivesTheSameManagerAndTheDefaultIsTheHostsManager() {
        try (Memsnap memsnap = start("file", "")) {
            assertSame(memsnap.memories().get("u-1"), memsnap.memories().get("u-1"));
            assertSame(memsnap.manager(), memsnap.memories().get(MemoryManagers.DEFAULT));
            assertEquals("u-1", memsnap.memories().get("u-1").memoryId());
            assertEquals(MemoryManagers.DEFAULT, memsnap.manager().memoryId());
        }
    }

    @Test
    void theDefaultMemoryKeepsTheSeedLayoutAndOthersLiveUnderMemories() throws Exception {
        try (Memsnap memsnap = start("file", "")) {
            memsnap.manager().addTurn("user", "hi");
            String defaultId = memsnap.manager().createSnapshot();
            memsnap.manager().saveSnapshot(defaultId);
            EnhancedMemoryManager carol = memsnap.memories().get("Carol");
            carol.addTurn("user", "hello");
            Path carolFile = Path.of(carol.saveSnapshot(carol.createSnapshot()));
            Path snapshots = dir.resolve("snapshots").toRealPath();
            assertTrue(Files.exists(snapshots.resolve(defaultId + ".json")));
            assertFalse(Files.readString(snapshots.resolve(defaultId + ".json")).contains("memory_id"),
                    "the default memory's file is the seed's format");
            assertEquals(snapshots.resolve("memories"), carolFile.toRealPath().getParent().getParent());
            assertTrue(Files.readString(carolFile).contains("\"memory_id\": \"Carol\""), Files.readString(carolFile));
        }
    }

    @Test
    void invalidMemoryIdsAreRefused() {
        try (Memsnap memsnap = start("file", "")) {
            for (String bad : new String[] {"", "x".repeat(201), "a\u0000b", "line\nbreak", "\u001b[31m"}) {
                assertThrows(InvalidMemoryIdException.class, () -> memsnap.memories().get(bad), bad);
            }
            memsnap.memories().get("x".repeat(200)).addTurn("user", "the longest id works");
        }
    }

    @Test
    void everySnapshotRecordsItsParentAndHistoryWalksBack() {
        try (Memsnap memsnap = start("file", "")) {
            EnhancedMemoryManager m = memsnap.memories().get("dave");
            m.addTurn("user", "one");
            String a = m.createSnapshot();
            m.addTurn("user", "two");
            String b = m.createSnapshot();
            m.saveSnapshot(a);
            m.saveSnapshot(b);
            assertTrue(m.applySnapshot(a));
            m.addTurn("user", "branch");
            String c = m.createSnapshot();
            assertEquals(a, m.getSnapshot(c).orElseThrow().parentSnapshotId(), "applying a and going on branches");
            assertEquals(List.of(c, a), m.history(c).stream().map(SnapshotMetadata::snapshotId).toList());
            assertEquals(List.of(b, a), m.history(b).stream().map(SnapshotMetadata::snapshotId).toList());
            assertEquals(null, m.getSnapshot(a).orElseThrow().parentSnapshotId());
        }
    }

    @Test
    void undoApplyReturnsToTheStateBeforeTheApply() {
        try (Memsnap memsnap = start("file", "")) {
            EnhancedMemoryManager m = memsnap.memories().get("erin");
            assertFalse(m.undoApply(), "nothing to undo yet");
            m.addTurn("user", "I live in Paris");
            m.addMemory("Erin lives in Paris", "fact", 0.9, List.of("home"));
            String paris = m.createSnapshot();
            m.addTurn("user", "I moved to Rome");
            m.addMemory("Erin lives in Rome", "fact", 0.9, List.of("home"));
            List<Turn> before = m.turns();
            var memoriesBefore = m.memories();

            assertTrue(m.applySnapshot(paris));
            assertEquals(1, m.turns().size());
            assertTrue(m.undoApply());
            assertEquals(before, m.turns());
            assertEquals(memoriesBefore, m.memories());
            assertFalse(m.undoApply(), "one undo per apply");
            // the state the apply replaced was kept as a stored snapshot
            assertTrue(memsnap.store().list("erin").stream().anyMatch(s -> s.shortTermTurns() == 2));
        }
    }

    @Test
    void selectiveApplyRestoresOnlyWhatTheOptionsSay() {
        try (Memsnap memsnap = start("file", "")) {
            EnhancedMemoryManager m = memsnap.memories().get("frank");
            m.addTurn("user", "hello");
            m.addMemory("home is Oslo", "fact", 0.9, List.of("home"));
            m.addMemory("likes tea", "preference", 0.5, List.of("food"));
            String snap = m.createSnapshot();
            m.addTurn("user", "more");
            m.addMemory("home is Bergen", "fact", 0.9, List.of("home"));
            m.addMemory("likes jazz", "preference", 0.5, List.of("music"));
            String bergen = m.memories().entrySet().stream().filter(e -> e.getValue().content().contains("Bergen"))
                    .findFirst().orElseThrow().getKey();

            assertTrue(m.applySnapshot(snap, ApplyOptions.shortTermOnly()));
            assertEquals(1, m.turns().size());
            assertEquals(4, m.memories().size(), "long-term untouched");

            m.addTurn("user", "again");
            assertTrue(m.applySnapshot(snap, ApplyOptions.longTermOnly().withTopics(Set.of("home"))));
            assertEquals(2, m.turns().size(), "the conversation untouched");
            Set<String> contents = Set.copyOf(m.memories().values().stream().map(x -> x.content()).toList());
            assertEquals(Set.of("home is Oslo", "likes tea", "likes jazz"), contents,
                    "home memories replaced by the snapshot's, the others kept");
            assertFalse(m.memories().containsKey(bergen));

            m.addMemory("home is Bergen", "fact", 0.9, List.of("home"));
            assertTrue(m.applySnapshot(snap, ApplyOptions.longTermOnly().merging()));
            assertEquals(4, m.memories().size(), "merging adds and updates, removes nothing");
        }
    }

    @Test
    void applyingAnotherMemorysSnapshotIsRefusedUnlessTheOptionsSaySo() {
        try (Memsnap memsnap = start("file", "")) {
            EnhancedMemoryManager grace = memsnap.memories().get("grace");
            grace.addTurn("user", "grace's secret");
            String id = grace.createSnapshot();
            grace.saveSnapshot(id);
            EnhancedMemoryManager heidi = memsnap.memories().get("heidi");
            assertTrue(heidi.getSnapshot(id).isEmpty(), "heidi cannot see grace's snapshots");
            SnapshotException e = assertThrows(SnapshotException.class, () -> heidi.applySnapshot(id));
            assertTrue(e.getMessage().contains("belongs to memory \"grace\"") && e.getMessage().contains(
                    "fromAnyMemory"), e.getMessage());
            assertTrue(heidi.turns().isEmpty());
            assertTrue(heidi.applySnapshot(id, ApplyOptions.all().fromAnyMemory()));
            assertEquals(List.of(new Turn("user", "grace's secret")), heidi.turns());
        }
    }

    @Test
    void aRestartedHostResumesEachMemoryFromItsNewestSnapshot() {
        try (Memsnap memsnap = start("file", "  resume: latest\n")) {
            for (String id : List.of("ivan", "judy")) {
                EnhancedMemoryManager m = memsnap.memories().get(id);
                m.addTurn("user", id + " 1");
                m.saveSnapshot(m.createSnapshot());
                m.addTurn("user", id + " 2");
                m.saveSnapshot(m.createSnapshot());
            }
            memsnap.memories().get("judy").addTurn("user", "judy 3, never snapshotted");
            memsnap.manager().addTurn("user", "the default memory too");
        }
        try (Memsnap again = start("file", "  resume: latest\n")) {
            assertEquals(List.of(new Turn("user", "ivan 1"), new Turn("user", "ivan 2")),
                    again.memories().get("ivan").turns());
            assertEquals(3, again.memories().get("judy").turns().size(), "what changed since is saved at stop");
            assertEquals(List.of(new Turn("user", "the default memory too")), again.manager().turns());
        }
        try (Memsnap seedBehaviour = start("file", "")) {
            assertTrue(seedBehaviour.memories().get("ivan").turns().isEmpty(), "resume: none starts empty");
        }
    }

    @Test
    void evictionKeepsAtMostTheLimitLiveAndLosesNothing() {
        try (Memsnap memsnap = start("file", "  max_live_memories: 3\n")) {
            List<EnhancedMemoryManager> held = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                EnhancedMemoryManager m = memsnap.memories().get("user-" + i);
                m.addTurn("user", "I am user " + i);
                m.addMemory("user " + i + " likes " + i, "preference", 0.4, List.of("likes"));
                held.add(m);
            }
            for (int i = 0; i < 20; i++) {
                EnhancedMemoryManager m = memsnap.memories().get("user-" + i);
                assertSame(held.get(i), m, "the same instance, evicted or not");
                assertEquals(List.of(new Turn("user", "I am user " + i)), m.turns());
                assertEquals(1, m.memories().size());
            }
            assertEquals(21, memsnap.memories().memoryIds().size());
        }
        // what was evicted was saved: at least the 17 that did not fit the second time round
        try (Memsnap again = start("file", "")) {
            long saved = again.store().memoryIds().stream().filter(id -> id.startsWith("user-")).count();
            assertTrue(saved >= 17, saved + " memories saved by eviction");
        }
    }

    @Test
    void forgetDropsAMemoryAndOptionallyItsSnapshots() {
        try (Memsnap memsnap = start("file", "")) {
            EnhancedMemoryManager m = memsnap.memories().get("kim");
            m.addTurn("user", "remember me");
            m.saveSnapshot(m.createSnapshot());
            assertTrue(memsnap.memories().forget("kim", false));
            assertTrue(memsnap.memories().get("kim").turns().isEmpty());
            assertEquals(1, memsnap.store().list("kim").size(), "snapshots kept");
            assertTrue(memsnap.memories().forget("kim", true));
            assertTrue(memsnap.store().list("kim").isEmpty());
            assertFalse(memsnap.memories().memoryIds().contains("kim"));
            assertFalse(memsnap.memories().forget("nobody", true));
        }
    }

    @Test
    void hostileMemoryIdsNeverReachOutsideTheSnapshotDirectory() throws Exception {
        Path sentinelDir = Files.createDirectories(dir.resolve("outside"));
        Path sentinel = Files.writeString(sentinelDir.resolve("etc"), "untouched");
        List<String> hostile = new ArrayList<>(List.of("../../outside", "../outside/etc", "..", ".", "/etc/passwd",
                "C:\\x", "\\\\server\\share", "%2e%2e", "%2e%2e%2fetc", ".".repeat(200), "memories", "memory_id",
                "default ", "DEFAULT", "Default", "a/../../b", "~root", "$HOME", "nul", "CON", "aux.txt",
                "\u202eevil", "\uFEFF", "é", "e\u0301", "\uD83D\uDE00", "x".repeat(200)));
        java.util.Random random = new java.util.Random(42);
        String alphabet = "./\\%:~$*?\"<>|abcAB012 \u00e9\u202e";
        for (int i = 0; i < 200; i++) {
            StringBuilder id = new StringBuilder();
            for (int n = 1 + random.nextInt(40); n > 0; n--) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            hostile.add(id.toString());
        }
        hostile = List.copyOf(new java.util.LinkedHashSet<>(hostile));
        Path snapshots = dir.resolve("snapshots");
        try (Memsnap memsnap = start("file", "")) {
            for (String id : hostile) {
                EnhancedMemoryManager m = memsnap.memories().get(id);
                m.addTurn("user", "hello from " + id);
                m.saveSnapshot(m.createSnapshot());
            }
            for (String id : hostile) {
                List<SnapshotMetadata> own = memsnap.memories().get(id).listSnapshots();
                assertEquals(1, own.size(), id);
                assertEquals(id, own.get(0).memoryId());
            }
            assertTrue(memsnap.memories().memoryIds().containsAll(hostile));
        }
        assertEquals("untouched", Files.readString(sentinel));
        try (Stream<Path> outside = Files.list(sentinelDir)) {
            assertEquals(List.of(sentinel), outside.toList());
        }
        try (Stream<Path> all = Files.list(dir)) {
            assertEquals(Set.of(snapshots, sentinelDir), Set.copyOf(all.toList()),
                    "nothing written beside the snapshot directory");
        }
        try (Stream<Path> dirs = Files.list(snapshots.resolve("memories"))) {
            List<String> names = dirs.map(p -> p.getFileName().toString()).toList();
            assertEquals(hostile.stream().distinct().count(), names.size(), "one directory per id");
            assertTrue(names.stream().allMatch(n -> n.matches("[a-z0-9_-]{0,40}-[0-9a-f]{20}")), names.toString());
            assertNotEquals(names.size(), 0);
        }
    }
}
