package dev.memsnap.example.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every long-term memory is an embedded segment that keeps its 384-float vector in its metadata; the console still
 * shows memories as a person reads them, in /longterm, /show, /apply and /diff, even when a memory changed in place.
 */
class ReadableMemoriesTest {
    @TempDir
    Path dir;

    @Test
    void aMemoryThatChangedInPlaceIsDiffedWithoutItsVector() throws IOException {
        // memory_1 is Ann in the second snapshot; after going back to the first, the next fact is memory_1 again.
        HostRun run = HostRun.script(dir, HostRun.config(dir, ""), """
                /memory ann
                /snapshot
                My name is Ann.
                /snapshot
                /apply latest~1
                My name is Bo.
                /longterm
                /show last
                /diff latest live
                """);

        assertEquals(0, run.status(), run.toString());
        String out = run.out();
        assertTrue(out.contains("    memory_1   fact       0.8  [user, name]                         "
                + "The user's name is Bo.\n"), run.toString());
        assertTrue(out.contains("  ~ memory_1: content \"The user's name is Ann.\" -> \"The user's name is Bo.\"; "),
                run.toString());
        // the segment's metadata as it is (its order is LangChain4j's), the vector as its size
        String changed = out.lines().filter(l -> l.startsWith("    ~ memory_1: ")).findFirst().orElseThrow();
        assertTrue(changed.matches(".*; metadata\\.langchain4j \\{vector=<384 floats: [^>]+>, metadata=\\{[^}]*}.*"
                + " -> \\{vector=<384 floats: [^>]+>, metadata=\\{[^}]*}.*"), changed);
        assertTrue(changed.contains("source_type=fact") && changed.contains("topics=user,name"), changed);
        out.lines().forEach(line -> assertTrue(line.length() < 600, () -> "a line of " + line.length()
                + " characters: " + line.substring(0, 200) + "..."));
    }
}
