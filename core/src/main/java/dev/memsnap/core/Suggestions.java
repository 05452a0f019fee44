package dev.memsnap.core;

import java.util.Collection;
import java.util.Optional;

/**
 * The nearest known name to a mistyped one, for "did you mean" hints: configuration errors and warnings here, and the
 * command line's unknown commands. One edit distance for every such hint.
 */
public final class Suggestions {
    private Suggestions() {
    }

    /**
     * @param typed   what was written
     * @param known   the names that exist
     * @param maxEdit how many single-character edits (insert, delete, replace, swap) apart still counts as a typo
     * @return the nearest known name within that distance; the first in {@code known}'s order on a tie
     */
    public static Optional<String> nearest(String typed, Collection<String> known, int maxEdit) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(typed, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= maxEdit ? Optional.ofNullable(best) : Optional.empty();
    }

    /**
     * Optimal string alignment distance: Levenshtein plus adjacent transpositions, case-insensitive.
     *
     * @param a one name
     * @param b another
     * @return the number of single-character edits between them; {@link Integer#MAX_VALUE} when they are far apart
     *         in length or either is over 200 characters
     */
    public static int distance(String a, String b) {
        a = a.toLowerCase(java.util.Locale.ROOT);
        b = b.toLowerCase(java.util.Locale.ROOT);
        if (Math.abs(a.length() - b.length()) > 8 || a.length() > 200 || b.length() > 200) {
            return Integer.MAX_VALUE; // far apart, and keeps a hostile key from costing time
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /**
     * @param typed what was written
     * @param known the names that exist
     * @return {@code "; did you mean X?"}, or {@code ""} when nothing is near
     */
    public static String hint(String typed, Collection<String> known) {
        return nearest(typed, known, Math.max(2, typed.length() / 3)).map(s -> "; did you mean " + s + "?").orElse("");
    }
}
