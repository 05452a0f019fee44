package dev.memsnap.acceptance;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEvent.Action;
import dev.memsnap.api.event.SnapshotEventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.memsnap.acceptance.Acceptance.SEED_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A host's event backend, bound with Multibinder, receives create/save/load/apply/list events, automatic ones too. */
class EventsAcceptanceTest {

    @TempDir
    Path tmp;

    private SnapshotEvent only(Acceptance.Recorder r, Action action) {
        List<SnapshotEvent> events = r.of(action);
        assertEquals(1, events.size(), action + " events: " + r.events);
        return events.get(0);
    }

    @Test
    void createSaveLoadApplyListEachEmitAnEventOnTheCallingThread() {
        Acceptance.Recorder r = new Acceptance.Recorder();
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m = Acceptance.manager(Acceptance.config(dir), Acceptance.listener(r));
        m.addTurn("user", "hello");
        m.addMemory("fact", "fact", 0.5, List.of("a", "b"));
        assertTrue(r.events.isEmpty(), "turns and memories are not snapshot events: " + r.events);

        String id = m.createSnapshot();
        SnapshotEvent create = only(r, Action.CREATE);
        assertEquals(id, create.snapshotId());
        assertEquals(m.getSnapshot(id).orElseThrow().metadata(), create.metadata());
        assertEquals(new SnapshotMetadata(id, create.metadata().timestamp(), 1, 1, 2), create.metadata());
        assertFalse(create.automatic());
        assertEquals("create", create.action().wireName());

        URI uri = m.saveSnapshot(id);
        SnapshotEvent save = only(r, Action.SAVE);
        assertEquals(id, save.snapshotId());
        assertEquals(uri, save.location());
        assertEquals(create.metadata(), save.metadata());
        assertFalse(save.automatic());

        Path seed = Acceptance.write(tmp.resolve("in").resolve("seed.json"), Acceptance.seedText());
        String loaded = m.loadSnapshot(seed);
        SnapshotEvent load = only(r, Action.LOAD);
        assertEquals(SEED_ID, load.snapshotId());
        assertEquals(loaded, load.snapshotId());
        assertEquals(3, load.metadata().shortTermTurns());
        assertEquals(2, load.metadata().longTermMemories());
        assertEquals(4, load.metadata().topics());
        assertTrue(load.location() != null && load.location().toString().endsWith("seed.json"),
                "load location: " + load.location());

        assertTrue(m.applySnapshot(loaded));
        SnapshotEvent apply = only(r, Action.APPLY);
        assertEquals(SEED_ID, apply.snapshotId());
        assertEquals(Boolean.TRUE, apply.success());
        assertEquals(load.metadata(), apply.metadata());

        List<SnapshotMetadata> listing = m.listSnapshots();
        SnapshotEvent list = only(r, Action.LIST);
        assertEquals(listing, list.snapshots());
        assertNull(list.snapshotId());

        for (Thread t : r.threads) {
            assertSame(Thread.currentThread(), t, "events are delivered on the thread that did the operation");
        }
        assertEquals(List.of(Action.CREATE, Action.SAVE, Action.LOAD, Action.APPLY, Action.LIST),
                r.events.stream().map(SnapshotEvent::action).toList());
    }

    @Test
    void failedOperationsEmitNoSuccessEvents() {
        Acceptance.Recorder r = new Acceptance.Recorder();
        EnhancedMemoryManager m = Acceptance.manager(Acceptance.config(tmp.resolve("snapshots")),
                Acceptance.listener(r));
        Path bad = Acceptance.write(tmp.resolve("in").resolve("bad.json"), "{");
        assertThrows(SnapshotFormatException.class, () -> m.loadSnapshot(bad));
        assertThrows(RuntimeException.class, () -> m.saveSnapshot("snapshot_20240101_000000_00000000"));
        assertTrue(r.of(Action.LOAD).isEmpty(), r.events.toString());
        assertTrue(r.of(Action.SAVE).isEmpty(), r.events.toString());
        assertFalse(m.applySnapshot("snapshot_20240101_000000_00000000"));
        assertTrue(r.of(Action.APPLY).stream().noneMatch(e -> Boolean.TRUE.equals(e.success())), r.events.toString());
    }

    @Test
    void automaticSnapshotsEmitAutomaticCreateAndSaveEvents() throws Exception {
        Acceptance.Recorder r = new Acceptance.Recorder();
        CountDownLatch saves = r.expect(2, e -> e.action() == Action.SAVE && e.automatic());
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager m = Acceptance.manager(Acceptance.config(dir), Acceptance.listener(r));
        m.enableAutoSnapshot(2);
        for (int i = 0; i < 4; i++) {
            m.addTurn("user", "t" + i);
        }
        assertTrue(saves.await(20, TimeUnit.SECONDS), "events: " + r.events);
        List<SnapshotEvent> creates = r.of(Action.CREATE);
        assertEquals(2, creates.size(), r.events.toString());
        assertTrue(creates.stream().allMatch(SnapshotEvent::automatic), creates.toString());
        List<SnapshotEvent> autoSaves = r.of(Action.SAVE);
        assertEquals(creates.stream().map(SnapshotEvent::snapshotId).sorted().toList(),
                autoSaves.stream().map(SnapshotEvent::snapshotId).sorted().toList());
        for (SnapshotEvent e : autoSaves) {
            assertTrue(e.automatic());
            assertEquals(dir.resolve(e.snapshotId() + ".json").toRealPath(), Path.of(e.location()).toRealPath());
        }
        // A manual one afterwards is not automatic.
        m.createSnapshot();
        assertFalse(r.of(Action.CREATE).get(2).automatic());
    }

    @Test
    void aThrowingListenerDoesNotBreakOperationsOrOtherListeners() {
        Acceptance.Recorder r = new Acceptance.Recorder();
        SnapshotEventListener throwing = e -> {
            throw new IllegalStateException("listener bug");
        };
        EnhancedMemoryManager m = Acceptance.manager(Acceptance.config(tmp.resolve("snapshots")),
                Acceptance.listener(throwing), Acceptance.listener(r));
        m.addTurn("user", "x");
        String id = m.createSnapshot();
        m.saveSnapshot(id);
        assertTrue(m.applySnapshot(id));
        assertEquals(1, m.listSnapshots().size());
        assertEquals(List.of(Action.CREATE, Action.SAVE, Action.APPLY, Action.LIST),
                r.events.stream().map(SnapshotEvent::action).toList());
    }
}
