package dev.memsnap.core.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leaves (or the nodes) the last save of an incremental store made, in the order it made them, so that the next
 * save recognises an unchanged chunk by the identity of its members without serialising or hashing it. A save walks
 * alongside them: the chunk it cuts is compared with the one at the cursor first, which is the one it was in the last
 * save unless memories were inserted or removed before it; only then is a map by first member built (once per save)
 * and the cursor moved to what it finds. So a save with no insertions or removals costs one reference comparison per
 * member and no hashing at all. When the memories are a persistent vector, the leaves also remember where they started
 * and the save the vector's runs ({@link dev.memsnap.core.collect.PersistentVector#sharedRun}), so a leaf at the same
 * place in runs the vector still shares is known unchanged without reading its memories. Immutable; each save reads
 * it through its own {@link #walk()}.
 */
final class RememberedChunks {
    /** Nothing remembered: a new store, or after a pack went. */
    static final RememberedChunks NONE = new RememberedChunks(List.of(), null);

    private final List<Group> groups;
    /** The runs of the memories the leaves were cut from, by run; {@code null} when they were no vector. */
    private final Object[] runs;

    private RememberedChunks(List<Group> groups, Object[] runs) {
        this.groups = groups;
        this.runs = runs;
    }

    /** @return how many chunks are remembered */
    int size() {
        return groups.size();
    }

    /** @return a cursor over these chunks for one save, which also collects the chunks that save makes */
    Walk walk() {
        return new Walk();
    }

    /**
     * A chunk a save made, by its members: memory ids and {@code Memory} objects for a leaf, child ids for a node.
     * Memories are immutable and shared between the snapshots of one memory, so the same objects in the same order
     * are the same content.
     *
     * @param start where the chunk's first memory was in the memories, for a leaf; -1 for a node
     */
    record Group(Object[] members, String id, int start) {
        boolean sameMembers(List<Object> group) {
            if (members.length != group.size()) {
                return false;
            }
            for (int i = 0; i < members.length; i++) {
                if (!same(members[i], group.get(i))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean same(Object a, Object b) {
            return a == b || (a instanceof String s && s.equals(b));
        }
    }

    /** One save's pass: finds the last save's chunks, and remembers this save's for the next. */
    final class Walk {
        private final List<Group> made = new ArrayList<>(Math.max(16, groups.size() + groups.size() / 8));
        private int cursor;
        private Map<Object, Integer> byFirst;

        /**
         * @param members the members of the chunk this save cut
         * @return the id the last save gave the same members, or {@code null} when it made no such chunk
         */
        String find(List<Object> members, int start) {
            Object first = members.get(0);
            int at = cursor < groups.size() && Group.same(groups.get(cursor).members()[0], first) ? cursor
                    : indexOf(first);
            if (at < 0) {
                return null;
            }
            cursor = at + 1;
            Group known = groups.get(at);
            if (!known.sameMembers(members)) {
                return null;
            }
            made.add(known.start() == start ? known : new Group(known.members(), known.id(), start));
            return known.id();
        }

        /**
         * @return the members of the chunk at the cursor, for a save to compare with what comes next where a chunk
         *         starts; {@code null} at the end and for the last chunk, which ended with the last save's memories,
         *         not necessarily at a boundary
         */
        Object[] expectedMembers() {
            return cursor < groups.size() - 1 ? groups.get(cursor).members() : null;
        }

        /** @return where the chunk at the cursor started in the last save's memories (see {@link #expectedMembers}) */
        int expectedStart() {
            return groups.get(cursor).start();
        }

        /**
         * @param block a run's number (position / run length)
         * @return the token the last save's memories gave for that run, {@code null} when unknown
         */
        Object lastRun(int block) {
            return runs != null && block < runs.length ? runs[block] : null;
        }

        /**
         * @param start where the save found the chunk at the cursor
         * @return its id, which the save found to be the same; the cursor moves past it
         */
        String acceptExpected(int start) {
            Group known = groups.get(cursor++);
            made.add(known.start() == start ? known : new Group(known.members(), known.id(), start));
            return known.id();
        }

        /** Remembers a chunk this save made, which {@link #find} did not give. */
        void made(List<Object> members, String id, int start) {
            made.add(new Group(members.toArray(), id, start));
        }

        private int indexOf(Object first) {
            if (byFirst == null) {
                byFirst = new HashMap<>(groups.size() * 4 / 3 + 1);
                for (int i = groups.size() - 1; i >= 0; i--) {
                    byFirst.put(groups.get(i).members()[0], i); // the first of equal first members wins
                }
            }
            Integer at = byFirst.get(first);
            return at == null ? -1 : at;
        }

        /**
         * @param runs the runs of this save's memories, by run, when they are a vector; else {@code null}
         * @return what this save made, for the next save to walk
         */
        RememberedChunks remembered(Object[] runs) {
            return new RememberedChunks(made, runs);
        }
    }
}
