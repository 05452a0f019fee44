package dev.memsnap.api;

/** A memory id that is empty, longer than 200 characters, or holds a control character. */
public class InvalidMemoryIdException extends SnapshotException {
    /** @param candidate what was given as a memory id */
    public InvalidMemoryIdException(String candidate) {
        super("not a memory id: " + describe(candidate)
                + " (expected 1 to 200 characters, none of them a control character)");
    }

    private static String describe(String candidate) {
        if (candidate == null) {
            return "null";
        }
        StringBuilder shown = new StringBuilder("\"");
        candidate.codePoints().limit(60).forEach(c -> {
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.append(candidate.length() > 60 ? "…\"" : "\"").append(" of ").append(candidate.length())
                .append(" characters").toString();
    }
}
