package dev.memsnap.core.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;

import java.io.IOException;

/**
 * The layout of Python's {@code json.dump(indent=2)}, which the seed's files have: a newline and two spaces a level
 * before every entry and element, {@code "key": value}, empty objects and arrays as {@code {}} and {@code []}. The
 * same bytes as Jackson's {@code DefaultPrettyPrinter} configured so, with fewer calls: a separator and the next
 * line's indentation are written as one run of characters. Holds the nesting level, so one instance per document.
 */
final class PythonIndent implements PrettyPrinter {
    private static final int SPACES = 254;
    /** A comma, a newline and spaces: the separator and the indentation of the next line from offset 0, or 1. */
    private static final char[] LINE = (",\n" + " ".repeat(SPACES)).toCharArray();
    private static final char[] COLON_SPACE = {':', ' '};

    private int nesting;

    /** Writes the separator (when {@code comma}) and the newline and indentation of the current level. */
    private void newLine(JsonGenerator g, boolean comma) throws IOException {
        int from = comma ? 0 : 1;
        int spaces = 2 * nesting;
        if (spaces <= SPACES) {
            g.writeRaw(LINE, from, 2 - from + spaces);
        } else {
            g.writeRaw(LINE, from, 2 - from);
            for (int i = 0; i < nesting; i++) {
                g.writeRaw(LINE, 2, 2);
            }
        }
    }

    @Override
    public void writeRootValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(' ');
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
        g.writeRaw('{');
        nesting++;
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        newLine(g, false);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(COLON_SPACE, 0, 2); // not the String overload, which copies the characters out first
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        newLine(g, true);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
        end(g, entries, '}');
    }

    /** Closes an object or array: its closing bracket on a line of its own unless it is empty. */
    private void end(JsonGenerator g, int written, char bracket) throws IOException {
        nesting--;
        if (written > 0) {
            newLine(g, false);
        }
        g.writeRaw(bracket);
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
        nesting++;
        g.writeRaw('[');
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
        newLine(g, false);
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        newLine(g, true);
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
        end(g, values, ']');
    }
}
