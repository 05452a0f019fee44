package dev.memsnap.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Content round-trips exactly through save, a fresh manager, load and apply. */
class ContentRoundTripAcceptanceTest {

    @TempDir
    Path tmp;

    static final List<String> TRICKY = List.of(
            "emoji 😀👍🏽 family 👨‍👩‍👧‍👦 flag 🇯🇵 and 𝄞 (outside the BMP)",
            "CJK 漢字 かな カナ 한국어 中文",
            "RTL שלום עולם مرحبا بالعالم with \u200F marks \u202Eoverride\u202C",
            "combining e\u0301 a\u0308 o\u0302\u0323 and precomposed é ä — not normalized",
            "newlines\nunix\r\nwindows\rold mac\n\n\ttab\u2028line sep\u2029para sep",
            "quotes \" double ' single ` back “curly” «guillemets»",
            "backslashes \\ \\\\ \\n \\u0041 \\\" C:\\path\\to\\file",
            "control \u0000 \u0001 \u0007 \u0008 \u000B \u000C \u001B \u001F \u007F \u0085 \u009F",
            "bom \uFEFF zero width \u200B\u200C\u200D noncharacter \uFFFF \uFFFE",
            "json-looking {\"snapshot_id\": \"../../x\"} ]}\"",
            "",
            " leading and trailing spaces ");

    private static String big() {
        StringBuilder sb = new StringBuilder(2 * 1024 * 1024 + 64);
        String chunk = "Lorem ipsum \"dolor\" \\ sit\namet 😀 漢字 e\u0301 \u0001|";
        while (sb.length() < 2 * 1024 * 1024) {
            sb.append(chunk).append(sb.length()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void trickyStringsRoundTripThroughSaveFreshManagerLoadAndApply() {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager first = Acceptance.manager(dir);
        for (String s : TRICKY) {
            first.addTurn("user " + s.substring(0, Math.min(5, s.length())), s);
            first.addMemory(s, "source " + s.substring(0, Math.min(3, s.length())), 0.1 + 0.2,
                    List.of(s, "topic ✓"));
        }
        roundTrip(first, dir);
    }

    @Test
    void twoMegabyteStringsRoundTrip() {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager first = Acceptance.manager(dir);
        String big = big();
        assertTrue(big.length() >= 2 * 1024 * 1024);
        first.addTurn("user", big);
        first.addTurn("assistant", "short");
        first.addMemory(big, "fact", 1e-7, List.of("big"));
        roundTrip(first, dir);
    }

    @Test
    void importanceValuesRoundTripExactly() {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager first = Acceptance.manager(dir);
        for (double d : new double[] {0.30000000000000004, 0.1, 1.0 / 3, 0, 1, -0.5, 1e-300, 123456.789, 0.75,
                Double.MAX_VALUE, Double.MIN_VALUE, -Double.MAX_VALUE, 1e21, 12345678901234567.0}) {
            first.addMemory("v" + d, "fact", d, List.of());
        }
        roundTrip(first, dir);
    }

    /** Any finite importance is kept (Memory's contract); statistics over huge ones must not make a file unreadable. */
    @Test
    void hugeImportancesWhoseSumOverflowsStillRoundTrip() {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager first = Acceptance.manager(dir);
        first.addMemory("huge 1", "fact", Double.MAX_VALUE, List.of());
        first.addMemory("huge 2", "fact", Double.MAX_VALUE, List.of());
        roundTrip(first, dir);
    }

    /**
     * A Java string may hold an unpaired surrogate, which is not Unicode text and has no exact UTF-8 form. Either it
     * round-trips exactly (as a JSON escape) or saving fails with a SnapshotException and leaves no file: it is never
     * silently altered.
     */
    @Test
    void anUnpairedSurrogateIsNeverSilentlyAltered() throws Exception {
        Path dir = tmp.resolve("snapshots");
        EnhancedMemoryManager first = Acceptance.manager(dir);
        String lone = "lone high \uD83D and lone low \uDE00 end";
        first.addTurn("user", lone);
        String id = first.createSnapshot();
        URI uri;
        try {
            uri = first.saveSnapshot(id);
        } catch (dev.memsnap.api.SnapshotException refused) {
            assertEquals(List.of(), Acceptance.fileNames(dir), "a refused save leaves nothing behind");
            assertEquals(List.of(), Acceptance.temporaries(dir), "a refused save leaves nothing behind");
            return;
        }
        EnhancedMemoryManager fresh = Acceptance.manager(tmp(dir));
        assertEquals(id, fresh.loadSnapshot(Path.of(uri)));
        assertTrue(fresh.applySnapshot(id));
        assertEquals(lone, fresh.turns().get(0).content(), "unpaired surrogate altered on the way through the file");
    }

    private static void roundTrip(EnhancedMemoryManager first, Path dir) {
        List<Turn> turns = first.turns();
        Map<String, Memory> memories = first.memories();
        String id = first.createSnapshot();
        MemorySnapshot original = first.getSnapshot(id).orElseThrow();
        URI uri = first.saveSnapshot(id);

        // What is on disk is the same text, read with an independent JSON parser.
        JsonNode tree = Acceptance.tree(Path.of(uri));
        JsonNode fileTurns = tree.path("short_term").path("turns");
        assertEquals(turns.size(), fileTurns.size());
        for (int i = 0; i < turns.size(); i++) {
            assertEquals(turns.get(i).content(), fileTurns.get(i).path("content").textValue(), "turn " + i + " on disk");
            assertEquals(turns.get(i).role(), fileTurns.get(i).path("role").textValue(), "role " + i + " on disk");
        }
        List<String> fileContents = new ArrayList<>();
        tree.path("long_term").path("memories").forEach(n -> fileContents.add(n.path("content").textValue()));
        assertEquals(memories.values().stream().map(Memory::content).toList(), fileContents, "memories on disk");

        EnhancedMemoryManager fresh = Acceptance.manager(tmp(dir));
        assertEquals(id, fresh.loadSnapshot(Path.of(uri)));
        assertEquals(original, fresh.getSnapshot(id).orElseThrow(), "the loaded snapshot equals the original");
        assertTrue(fresh.applySnapshot(id));
        assertEquals(turns, fresh.turns());
        assertEquals(memories, fresh.memories());
    }

    private static Path tmp(Path dir) {
        return dir.resolveSibling("fresh-manager-dir");
    }
}
