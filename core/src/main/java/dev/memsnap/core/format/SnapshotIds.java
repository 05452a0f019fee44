package dev.memsnap.core.format;

import dev.memsnap.api.InvalidSnapshotIdException;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Snapshot ids: {@code snapshot_<yyyyMMdd>_<HHmmss>_<8 lowercase hex>}. An id is checked against this pattern before
 * it names any file, so no id can reach outside a store's directory.
 */
public final class SnapshotIds {
    private static final Pattern ID = Pattern.compile("snapshot_\\d{8}_\\d{6}_[0-9a-f]{8}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private final Set<String> issuedThisSecond = new HashSet<>();
    private String currentSecond = "";

    /**
     * @param candidate any string
     * @return whether it is a well-formed snapshot id
     */
    public static boolean isValid(String candidate) {
        return candidate != null && ID.matcher(candidate).matches();
    }

    /**
     * @param candidate a string given as a snapshot id
     * @return the same string
     * @throws InvalidSnapshotIdException when it is not a well-formed id
     */
    public static String requireValid(String candidate) {
        if (!isValid(candidate)) {
            throw new InvalidSnapshotIdException("not a snapshot id: " + describe(candidate)
                    + " (expected snapshot_<yyyyMMdd>_<HHmmss>_<8 lowercase hex>)");
        }
        return candidate;
    }

    /**
     * Makes a new id for a snapshot taken at {@code timestamp}, unique among the ids this generator has made and
     * those {@code taken} reports.
     *
     * @param timestamp when the snapshot was taken
     * @param taken     ids in use elsewhere (snapshots held or loaded)
     * @return a fresh id
     */
    public synchronized String next(LocalDateTime timestamp, Predicate<String> taken) {
        String prefix = "snapshot_" + STAMP.format(timestamp) + "_";
        if (!prefix.equals(currentSecond)) {
            currentSecond = prefix;
            issuedThisSecond.clear();
        }
        while (true) {
            String id = prefix + String.format("%08x", ThreadLocalRandom.current().nextInt());
            if (!taken.test(id) && issuedThisSecond.add(id)) {
                return id;
            }
        }
    }

    private static String describe(String candidate) {
        if (candidate == null) {
            return "null";
        }
        String shown = candidate.length() > 80 ? candidate.substring(0, 80) + "..." : candidate;
        return '"' + shown.replace("\n", "\\n") + '"';
    }
}
