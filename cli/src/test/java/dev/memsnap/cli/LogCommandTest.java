package dev.memsnap.cli;

import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How {@code memsnap log} lays out a tree: branches in columns that never cross, damaged links survived. */
class LogCommandTest {
    private static final LocalDateTime T = LocalDateTime.of(2025, 9, 1, 8, 0);

    private static StoredSnapshot node(String name, int hour, String parent) {
        return new StoredSnapshot(new SnapshotMetadata(name, T.plusHours(hour), 1, 1, 1, "m", parent), 10,
                SnapshotTags.NONE);
    }

    /** @return the graph with each line's description cut to the snapshot's name */
    private static String graph(List<StoredSnapshot> snapshots) {
        StringBuilder out = new StringBuilder();
        for (String line : LogCommand.draw(LogCommand.Tree.of(snapshots)).split("\n")) {
            out.append(line.replaceAll("^([|*/ ]*[*] \\S+).*$", "$1")).append('\n');
        }
        return out.toString();
    }

    @Test
    void nestedBranchesEachJoinWhereTheyBranchedFrom() {
        List<StoredSnapshot> snapshots = new ArrayList<>(List.of(node("R", 0, null), node("A", 1, "R"),
                node("B", 2, "R"), node("B1", 3, "B"), node("B2", 4, "B"), node("A1", 5, "A")));
        java.util.Collections.shuffle(snapshots, new java.util.Random(7));
        assertEquals(""
                + "* A1\n"
                + "* A\n"
                + "| * B2\n"
                + "| | * B1\n"
                + "| |/\n"
                + "| * B\n"
                + "|/\n"
                + "* R\n", graph(snapshots));
    }

    @Test
    void separateTreesFollowEachOtherAndACycleOfLinksIsCut() {
        assertEquals(""
                + "* Y2\n"
                + "* Y1\n"
                + "* X2\n"
                + "* X1\n", graph(List.of(node("X1", 0, "gone"), node("X2", 1, "X1"), node("Y1", 2, null),
                node("Y2", 3, "Y1"))));
        // damaged links: P and Q name each other; both are still drawn, once each
        assertEquals(2, graph(List.of(node("P", 0, "Q"), node("Q", 1, "P"))).split("\n").length);
        assertEquals("* S\n", graph(List.of(node("S", 0, "S"))), "its own parent: a root");
    }

    @Test
    void aLongChainNeedsNoDeepRecursion() {
        List<StoredSnapshot> chain = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            chain.add(new StoredSnapshot(new SnapshotMetadata("s" + i, T.plusSeconds(i), 1, 1, 1, "m",
                    i == 0 ? null : "s" + (i - 1)), 10, SnapshotTags.NONE));
        }
        String drawn = LogCommand.draw(LogCommand.Tree.of(chain));
        assertEquals(50_000, drawn.split("\n").length);
        assertEquals("* s49999 ", drawn.substring(0, 9));
    }
}
