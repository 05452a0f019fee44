package dev.memsnap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Terminal escapes from a hostile file never reach stderr raw, whichever command reports the file. */
class HostileTextInMessagesTest {
    /** ESC, BEL and RIGHT-TO-LEFT OVERRIDE: clear the screen, ring, and show text reversed. */
    static final String HOSTILE = "\u001b[2J\u0007\u202e";

    @TempDir
    Path dir;

    private static void assertTerminalSafe(String text, String what) {
        for (char c : text.toCharArray()) {
            assertFalse(c < 0x20 && c != '\n' || c == 0x7f || c == '\u202e',
                    what + " prints U+" + Integer.toHexString(c) + ": " + text.replace("\u001b", "<ESC>"));
        }
    }

    /** @return the text with every character outside printable ASCII as a JSON escape */
    private static String json(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    @Test
    void showAndDiffEscapeAHostileIdAndTimestamp() throws Exception {
        for (String field : List.of("snapshot_id", "timestamp")) {
            Path file = dir.resolve(field + ".json");
            String id = field.equals("snapshot_id") ? "snapshot_" + HOSTILE : "snapshot_20250301_120000_00000001";
            String time = field.equals("timestamp") ? "2025-03-01T12:00:00" + HOSTILE : "2025-03-01T12:00:00";
            Files.writeString(file, "{\"snapshot_id\":\"" + json(id)
                    + "\",\"timestamp\":\"" + json(time) + "\",\"short_term\":{\"turns\":[]},"
                    + "\"long_term\":{\"memories\":{}}}", StandardCharsets.UTF_8);
            for (List<String> args : List.of(List.of("show", file.toString()),
                    List.of("diff", file.toString(), file.toString()))) {
                Cli.Result result = new Cli().workDir(dir).run(args.toArray(String[]::new));
                assertNotEquals(0, result.code(), args + ": " + result);
                assertTrue(result.err().contains("\\u001b") || result.err().contains("\\u202e"),
                        "the hostile value is shown escaped: " + result.err().replace("\u001b", "<ESC>"));
                assertTerminalSafe(result.err(), String.join(" ", args));
                assertTerminalSafe(result.out(), String.join(" ", args));
            }
        }
    }
}
