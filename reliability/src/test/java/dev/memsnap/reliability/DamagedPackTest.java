package dev.memsnap.reliability;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A damaged pack file of the incremental store (a flipped byte anywhere, a cut-off tail, garbage appended) is never a
 * false all-clear: every snapshot either reads back exactly as saved and verifies, or fails to read with a
 * {@link SnapshotException} and fails verification; listing never breaks, and the store still starts.
 */
class DamagedPackTest {
    private static final LocalDateTime T = LocalDateTime.of(2025, 4, 26, 12, 0);

    @ParameterizedTest
    @ValueSource(strings = {"flip", "truncate", "append", "header"})
    void aDamagedPackIsReportedNeverTakenForWhole(String damage, @TempDir Path dir) throws Exception {
        List<MemorySnapshot> saved = new ArrayList<>();
        SnapshotStore store = Stores.started(Stores.Kind.INCREMENTAL, dir, SnapshotCodec.plain());
        for (int i = 0; i < 4; i++) {
            MemorySnapshot s = TestSnapshots.snapshot(String.format("snapshot_20250426_12000%d_%08x", i, i),
                    T.plusSeconds(i), 2, 40 + 30 * i);
            store.save(s);
            saved.add(s);
        }
        List<Path> packs;
        try (Stream<Path> files = Files.list(dir.resolve("packs"))) {
            packs = files.filter(f -> f.toString().endsWith(".pack")).sorted().toList();
        }
        assertFalse(packs.isEmpty());
        Random random = new Random(damage.hashCode());
        for (int trial = 0; trial < 20; trial++) {
            Path pack = packs.get(random.nextInt(packs.size()));
            byte[] original = Files.readAllBytes(pack);
            byte[] damaged = switch (damage) {
                case "flip" -> {
                    byte[] b = original.clone();
                    b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                    yield b;
                }
                case "truncate" -> java.util.Arrays.copyOf(original, random.nextInt(original.length));
                case "append" -> {
                    byte[] b = java.util.Arrays.copyOf(original, original.length + 50);
                    for (int k = original.length; k < b.length; k++) {
                        b[k] = (byte) random.nextInt();
                    }
                    yield b;
                }
                default -> { // a length in a chunk header
                    byte[] b = original.clone();
                    b[8 + 33 + random.nextInt(4)] ^= (byte) (1 + random.nextInt(255));
                    yield b;
                }
            };
            Files.write(pack, damaged);
            SnapshotStore reopened = Stores.started(Stores.Kind.INCREMENTAL, dir, SnapshotCodec.plain());
            assertEquals(saved.size(), reopened.list().size(), "listing is whole: " + damage);
            for (MemorySnapshot s : saved) {
                Optional<MemorySnapshot> read;
                try {
                    read = reopened.read(s.snapshotId());
                } catch (SnapshotException e) {
                    read = Optional.empty();
                }
                boolean intact = reopened.verify(s.snapshotId()).intact();
                if (read.isPresent()) {
                    assertEquals(s, read.get(), damage + ": a damaged pack gave a different snapshot");
                    assertTrue(intact, damage + ": read whole, yet verify failed");
                } else {
                    assertFalse(intact, damage + ": unreadable, yet verify passed");
                }
            }
            Files.write(pack, original);
        }
    }
}
