package dev.memsnap.core.tools;

import dev.memsnap.api.InvalidSnapshotIdException;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.core.format.SnapshotIds;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Short ways to name a snapshot, as git and restic allow for commits and snapshots, so that nobody has to type the
 * 33 characters of {@code snapshot_20250426_123456_1a2b3c4d}:
 * <ul>
 *   <li>{@code latest}: the newest snapshot; {@code latest~N}: the one N before it ({@code latest~0} is
 *       {@code latest});</li>
 *   <li>a prefix of the hex part, 4 to 8 lowercase hex digits: {@code 1a2b};</li>
 *   <li>a prefix of the time part, from 4 digits on: {@code 2025}, {@code 20250426}, {@code 20250426_1234},
 *       {@code 20250426_123456_1a}, with or without {@code snapshot_} in front.</li>
 * </ul>
 * A prefix must match exactly one snapshot: when it matches several, the error lists them (newest first) so the
 * next try can be longer. A prefix of digits only is both a hex and a time prefix and matches either way. "Newest"
 * is by the time in the id (to the second), and for snapshots of the same second by their timestamp.
 *
 * <p>Both the command line and the example host resolve with this class, so an id means the same everywhere.
 */
public final class SnapshotRefResolver {
    /** The newest snapshot. */
    public static final String LATEST = "latest";
    /** How many candidates an ambiguity error lists before "and N more". */
    static final int CANDIDATES_SHOWN = 10;

    private static final Pattern LATEST_N = Pattern.compile("latest(?:~(\\d{1,9}))?");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{4,8}");
    private static final Pattern TIME = Pattern.compile(
            "(?:snapshot_)?(\\d{4,8}|\\d{8}_\\d{1,6}|\\d{8}_\\d{6}_[0-9a-f]{1,7})");
    /** Where an id's time part starts and ends: {@code snapshot_<yyyyMMdd_HHmmss>_...}. */
    private static final int TIME_FROM = "snapshot_".length();
    private static final int TIME_TO = TIME_FROM + "yyyyMMdd_HHmmss".length();
    private static final int HEX_FROM = TIME_TO + 1;

    private SnapshotRefResolver() {
    }

    /**
     * @param ref any string
     * @return whether it is a short reference ({@code latest}, {@code latest~N} or a prefix) rather than a full id
     *         or something else (such as a file name)
     */
    public static boolean isShortRef(String ref) {
        return ref != null && !SnapshotIds.isValid(ref) && (LATEST_N.matcher(ref).matches()
                || HEX.matcher(ref).matches() || TIME.matcher(ref).matches());
    }

    /**
     * @param ref       a full id, {@code latest}, {@code latest~N} or a prefix
     * @param ids       the snapshots there are; a full id is returned as it is, without looking here
     * @param timestamp the timestamp of a snapshot, asked only to order snapshots whose ids carry the same second;
     *                  it may return {@code null} when it cannot tell
     * @return the full id {@code ref} stands for
     * @throws InvalidSnapshotIdException when {@code ref} is none of these, or a prefix matches several snapshots
     *                                    (the message lists them)
     * @throws SnapshotNotFoundException  when nothing matches, or {@code latest~N} goes past the oldest
     */
    public static String resolve(String ref, Collection<String> ids, Function<String, LocalDateTime> timestamp) {
        if (SnapshotIds.isValid(ref)) {
            return ref;
        }
        if (!isShortRef(ref)) {
            SnapshotIds.requireValid(ref); // throws, with the id's expected form
        }
        List<String> newestFirst = newestFirst(ids, timestamp);
        Matcher latest = LATEST_N.matcher(ref);
        if (latest.matches()) {
            int back = latest.group(1) == null ? 0 : Integer.parseInt(latest.group(1));
            if (newestFirst.isEmpty()) {
                throw new SnapshotNotFoundException("no snapshots yet, so no " + ref);
            }
            if (back >= newestFirst.size()) {
                throw new SnapshotNotFoundException("no " + ref + ": there " + (newestFirst.size() == 1
                        ? "is 1 snapshot" : "are " + newestFirst.size() + " snapshots") + ", latest~"
                        + (newestFirst.size() - 1) + " is the oldest");
            }
            return newestFirst.get(back);
        }
        List<String> matches = newestFirst.stream().filter(id -> matches(ref, id)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new SnapshotNotFoundException("no snapshot id starts with " + ref + " (in its hex or time part)");
        }
        List<String> shown = matches.subList(0, Math.min(CANDIDATES_SHOWN, matches.size()));
        throw new InvalidSnapshotIdException("snapshot prefix " + ref + " is ambiguous: it matches "
                + matches.size() + " snapshots: " + String.join(", ", shown)
                + (matches.size() > shown.size() ? " and " + (matches.size() - shown.size()) + " more" : "")
                + "; give more characters");
    }

    /**
     * @return whether {@code ref}, a short reference, is a prefix of {@code id}'s hex or time part
     */
    static boolean matches(String ref, String id) {
        if (!SnapshotIds.isValid(id)) {
            return false;
        }
        if (HEX.matcher(ref).matches() && id.startsWith(ref, HEX_FROM)) {
            return true;
        }
        Matcher time = TIME.matcher(ref);
        return time.matches() && id.startsWith(time.group(1), TIME_FROM);
    }

    /** @return the well-formed ids among {@code ids}, once each, newest first */
    static List<String> newestFirst(Collection<String> ids, Function<String, LocalDateTime> timestamp) {
        List<String> sorted = new ArrayList<>(new LinkedHashSet<>(ids));
        sorted.removeIf(id -> !SnapshotIds.isValid(id));
        Map<String, Optional<LocalDateTime>> times = new HashMap<>();
        Function<String, Optional<LocalDateTime>> time = id -> times.computeIfAbsent(id,
                i -> Optional.ofNullable(timestamp.apply(i)));
        Comparator<String> bySecond = Comparator.comparing(id -> id.substring(TIME_FROM, TIME_TO));
        Comparator<String> byTimestamp = (a, b) -> {
            // Only snapshots of the same second get here, so the store is asked only about those.
            Optional<LocalDateTime> ta = time.apply(a);
            Optional<LocalDateTime> tb = time.apply(b);
            if (ta.isPresent() && tb.isPresent()) {
                return ta.get().compareTo(tb.get());
            }
            return Boolean.compare(ta.isPresent(), tb.isPresent());
        };
        sorted.sort(bySecond.thenComparing(byTimestamp).thenComparing(Comparator.naturalOrder()));
        java.util.Collections.reverse(sorted);
        return sorted;
    }
}
