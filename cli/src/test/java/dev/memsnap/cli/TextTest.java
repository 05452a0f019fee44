package dev.memsnap.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Terminal-safe text, sizes, tables. */
class TextTest {
    @Test
    void controlAndBidiCharactersAreEscapedNewlinesKeptWhereAsked() {
        assertEquals("plain \u4E2D\u6587 \uD83D\uDE00", Text.line("plain \u4E2D\u6587 \uD83D\uDE00"));
        assertEquals("a\\u001b[2Jb\\u0007\\u202e\\n\\t", Text.line("a\u001b[2Jb\u0007\u202e\n\t"));
        assertEquals("a\n  b\\u0000", Text.block("a\nb\u0000", "  "));
        assertEquals("\\u009b\\u007f", Text.line("\u009b\u007f"));
    }

    @Test
    void sizesAreInSiUnits() {
        assertEquals("?", Text.size(-1));
        assertEquals("999 B", Text.size(999));
        assertEquals("1.0 KB", Text.size(1000));
        assertEquals("1.5 MB", Text.size(1_500_000));
        assertEquals("1.0 MB", Text.size(999_999));
        assertEquals("2.0 GB", Text.size(2_000_000_000L));
    }

    @Test
    void tablesAlignColumns() {
        assertEquals("A    NUM  C\nxyz    1  -\nx     22  long\n",
                Text.table(List.of("A", "NUM", "C"), new boolean[] {false, true, false},
                        List.of(List.of("xyz", "1", "-"), List.of("x", "22", "long"))));
    }
}
