package dev.memsnap.cli;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Text output for people: terminal-safe strings, sizes, aligned tables. */
final class Text {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);
    private Text() {
    }

    /**
     * Snapshot text is whatever a conversation held, and a terminal executes escape sequences: control characters,
     * and the bidirectional overrides that make text display as something else, are shown as {@code \\uXXXX}.
     *
     * @param text      any text
     * @param multiline whether to keep newlines (else they show as {@code \\n})
     * @return it, safe to print to a terminal
     */
    static String safe(String text, boolean multiline) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = null;
            if (c == '\n') {
                replacement = multiline ? null : "\\n";
            } else if (c == '\t') {
                replacement = multiline ? null : "\\t";
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)
                    || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029) {
                replacement = String.format("\\u%04x", (int) c);
            }
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** @return {@code text} on one line, terminal-safe */
    static String line(String text) {
        return safe(text, false);
    }

    /**
     * @param text  a value for one line
     * @param width the most characters to show
     * @return the text, or its start and how long it is when it is longer
     */
    static String abridged(String text, int width) {
        if (text.length() <= width) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(width - 1)) ? width - 1 : width;
        return text.substring(0, end) + "... (" + String.format(java.util.Locale.ROOT, "%,d", text.length())
                + " characters; --json shows it whole)";
    }

    /**
     * @param text   possibly several lines
     * @param indent what to put before every line after the first
     * @return the text, terminal-safe, continuation lines indented
     */
    static String block(String text, String indent) {
        return safe(text, true).replace("\n", "\n" + indent);
    }

    /**
     * @param bytes a size, or a negative number when unknown
     * @return it for people, in SI units as {@code --max-total-size} reads them: {@code 980 B}, {@code 1.2 MB}
     */
    static String size(long bytes) {
        if (bytes < 0) {
            return "?";
        }
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = -1;
        while (value >= 999.95 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /**
     * @param header the column names
     * @param right  which columns are right-aligned (numbers)
     * @param rows   the cells, already terminal-safe
     * @return the table, columns two spaces apart, one line per row, no trailing spaces
     */
    static String table(List<String> header, boolean[] right, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], row.get(c).codePointCount(0, row.get(c).length()));
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < width.length; c++) {
                String cell = row.get(c);
                int pad = width[c] - cell.codePointCount(0, cell.length());
                if (c > 0) {
                    line.append("  ");
                }
                if (right[c]) {
                    line.append(" ".repeat(pad)).append(cell);
                } else {
                    line.append(cell).append(" ".repeat(pad));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /**
     * @param t a timestamp, UTC as snapshots store them
     * @return it for people, to the second with its zone: {@code 2025-04-26 12:34:56 UTC}, the one style of every
     *         time in text output, the example host's too ({@code --json} keeps the snapshot format's)
     */
    static String time(LocalDateTime t) {
        return TIME.format(t);
    }

    /**
     * @param count a count
     * @param noun  its noun, singular
     * @return for example {@code 1 snapshot}, {@code 3 snapshots}, {@code 2 memories}
     */
    static String count(long count, String noun) {
        if (count == 1) {
            return count + " " + noun;
        }
        return count + " " + (noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s");
    }
}
