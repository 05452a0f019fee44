package dev.memsnap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.store.OneMemoryStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code memsnap log}: the tree of one memory's snapshots, drawn from their parent links as
 * {@code git log --graph --oneline} draws commits.
 */
@Command(name = "log", header = "Draw the tree of a memory's snapshots, newest first.",
        description = {
                "Draws the history of one memory (--memory, default: default) from the snapshots' parent links, as "
                        + "git log --graph --oneline draws commits: each snapshot with its time, counts, labels and "
                        + "pin, newest first, each branch in a column of its own, joining the snapshot it branched "
                        + "from (applying an old snapshot and going on makes a branch).",
                "A snapshot whose parent is not stored (pruned, or never saved) is drawn as a root. Snapshots that "
                        + "cannot be read are named on stderr and make the exit code 4.",
        })
final class LogCommand extends BaseCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");
    private static final Comparator<StoredSnapshot> NEWEST_FIRST =
            Comparator.comparing(StoredSnapshot::metadata, SnapshotMetadata.NEWEST_FIRST);

    @Mixin
    MemoryOptions.One memory;

    @Option(names = "--json", description = "Print the tree as JSON: one node per snapshot, with its children.")
    boolean json;

    @Override
    int run() {
        StoreHandle handle = store(Workspace.Access.READ);
        RecordingStore recording = new RecordingStore(handle.store());
        OneMemoryStore view = handle.memory(recording, memory.memoryId);
        List<String> stored = view.storedIds();
        Tree tree = Tree.of(view.inventory());
        List<Verification> unreadable = recording.unreadable(stored);

        if (json) {
            printJson(json(tree));
        } else if (tree.order.isEmpty()) {
            out().println("no snapshots");
        } else {
            out().print(draw(tree));
        }
        reportUnreadable(unreadable, "cannot draw");
        return unreadable.isEmpty() ? ExitCodes.OK : ExitCodes.DAMAGED;
    }

    /**
     * A memory's snapshots as a forest: each snapshot's parent is the one its parent link names, when that is
     * stored in this memory; else (and to break a cycle, which only damaged links can make) it is a root.
     *
     * @param order    the drawing order: newest branch first, every snapshot after all its descendants, each
     *                 subtree in one run (so that no two branches cross)
     * @param parent   each snapshot's parent in the tree, {@code null} for a root
     * @param children each snapshot's children, in drawing order
     */
    record Tree(List<StoredSnapshot> order, Map<String, String> parent, Map<String, List<StoredSnapshot>> children) {

        static Tree of(List<StoredSnapshot> snapshots) {
            Map<String, StoredSnapshot> byId = new LinkedHashMap<>();
            snapshots.stream().sorted(NEWEST_FIRST).forEach(s -> byId.putIfAbsent(s.snapshotId(), s));
            Map<String, String> parent = new HashMap<>();
            for (StoredSnapshot s : byId.values()) {
                String p = s.metadata().parentSnapshotId();
                parent.put(s.snapshotId(), p != null && byId.containsKey(p) && !p.equals(s.snapshotId()) ? p : null);
            }
            breakCycles(byId.keySet(), parent);

            Map<String, List<StoredSnapshot>> children = new HashMap<>();
            List<StoredSnapshot> roots = new ArrayList<>();
            for (StoredSnapshot s : byId.values()) { // newest first, so children lists start newest first
                children.put(s.snapshotId(), new ArrayList<>());
            }
            for (StoredSnapshot s : byId.values()) {
                String p = parent.get(s.snapshotId());
                (p == null ? roots : children.get(p)).add(s);
            }
            // the newest snapshot of each subtree, children first: then each branch is ordered by its newest tip
            Map<String, StoredSnapshot> newest = new HashMap<>();
            for (StoredSnapshot s : postOrder(roots, children)) {
                StoredSnapshot tip = s;
                for (StoredSnapshot c : children.get(s.snapshotId())) {
                    StoredSnapshot t = newest.get(c.snapshotId());
                    if (NEWEST_FIRST.compare(t, tip) < 0) {
                        tip = t;
                    }
                }
                newest.put(s.snapshotId(), tip);
            }
            Comparator<StoredSnapshot> byTip = Comparator.comparing(s -> newest.get(s.snapshotId()), NEWEST_FIRST);
            roots.sort(byTip);
            children.values().forEach(c -> c.sort(byTip));
            return new Tree(postOrder(roots, children), parent, children);
        }

        /** Each snapshot after its children's subtrees, without recursion (a chain may be long). */
        private static List<StoredSnapshot> postOrder(List<StoredSnapshot> roots,
                                                      Map<String, List<StoredSnapshot>> children) {
            List<StoredSnapshot> order = new ArrayList<>();
            for (StoredSnapshot root : roots) {
                Deque<Object[]> stack = new ArrayDeque<>();
                stack.push(new Object[] {root, 0});
                while (!stack.isEmpty()) {
                    Object[] frame = stack.peek();
                    StoredSnapshot s = (StoredSnapshot) frame[0];
                    List<StoredSnapshot> kids = children.get(s.snapshotId());
                    int next = (Integer) frame[1];
                    if (next < kids.size()) {
                        frame[1] = next + 1;
                        stack.push(new Object[] {kids.get(next), 0});
                    } else {
                        order.add(s);
                        stack.pop();
                    }
                }
            }
            return order;
        }

        /** Cuts one link of every cycle of parent links, so that every snapshot is reached from a root. */
        private static void breakCycles(Set<String> ids, Map<String, String> parent) {
            Set<String> done = new HashSet<>();
            for (String start : ids) {
                Set<String> path = new HashSet<>();
                String at = start;
                while (at != null && !done.contains(at)) {
                    if (!path.add(at)) {
                        parent.put(at, null); // back on this walk: a cycle; at becomes a root
                        break;
                    }
                    at = parent.get(at);
                }
                done.addAll(path);
            }
        }
    }

    /** @return the graph, one line per snapshot and one per branch joining its parent, as git draws it */
    static String draw(Tree tree) {
        StringBuilder out = new StringBuilder();
        List<String> lanes = new ArrayList<>(); // what each column waits for: the parent of the snapshot above
        for (StoredSnapshot s : tree.order()) {
            String id = s.snapshotId();
            int column = lanes.indexOf(id);
            if (column < 0) { // a branch's newest snapshot: a new column
                lanes.add(id);
                column = lanes.size() - 1;
            }
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < lanes.size(); i++) {
                row.append(i == column ? '*' : '|').append(' ');
            }
            out.append(row).append(describe(s, tree)).append('\n');

            String parent = tree.parent().get(id);
            int joins = parent == null ? -1 : lanes.indexOf(parent);
            if (parent != null && joins < 0) {
                lanes.set(column, parent);
            } else {
                // a root ends its column; a branch joins the column of the snapshot it branched from
                lanes.remove(column);
                if (column < lanes.size() || joins >= 0) {
                    out.append(shift(lanes.size() + 1, column, joins >= 0)).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** The line under a column that ends: {@code |/} where it joins the one to its left, columns right of it move. */
    private static String shift(int columns, int ending, boolean joins) {
        char[] line = new char[2 * columns];
        java.util.Arrays.fill(line, ' ');
        for (int i = 0; i < columns; i++) {
            if (i < ending) {
                line[2 * i] = '|';
            } else if (i == ending) {
                if (joins && i > 0) {
                    line[2 * i - 1] = '/';
                }
            } else {
                line[2 * i - 1] = '/';
            }
        }
        return new String(line).stripTrailing();
    }

    private static String describe(StoredSnapshot s, Tree tree) {
        SnapshotMetadata m = s.metadata();
        StringBuilder text = new StringBuilder(m.snapshotId()).append("  ").append(TIME.format(m.timestamp()))
                .append("  ").append(Text.count(m.shortTermTurns(), "turn")).append(", ")
                .append(Text.count(m.longTermMemories(), "memory"));
        List<String> decorations = new ArrayList<>();
        if (!s.tags().labels().isEmpty()) {
            decorations.add("labels: " + Text.line(String.join(", ", s.tags().labels())));
        }
        if (s.tags().pinned()) {
            decorations.add("pinned");
        }
        if (m.parentSnapshotId() != null && tree.parent().get(m.snapshotId()) == null) {
            decorations.add("parent " + Text.line(m.parentSnapshotId()) + " not stored");
        }
        if (!decorations.isEmpty()) {
            text.append("  (").append(String.join("; ", decorations)).append(')');
        }
        return text.toString();
    }

    private ObjectNode json(Tree tree) {
        ObjectNode root = Json.object();
        root.put("memory_id", memory.memoryId);
        ArrayNode nodes = root.putArray("nodes");
        for (StoredSnapshot s : tree.order()) {
            ObjectNode node = Json.metadata(s.metadata());
            node.put("parent_snapshot_id", s.metadata().parentSnapshotId());
            node.put("root", tree.parent().get(s.snapshotId()) == null);
            Json.strings(node.putArray("labels"), List.copyOf(s.tags().labels()));
            node.put("pinned", s.tags().pinned());
            Json.strings(node.putArray("children"),
                    tree.children().get(s.snapshotId()).stream().map(StoredSnapshot::snapshotId).toList());
            nodes.add(node);
        }
        return root;
    }
}
