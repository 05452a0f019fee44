package dev.memsnap.core.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RememberedChunksTest {
    private final Object a = new Object();
    private final Object b = new Object();
    private final Object c = new Object();

    /** A save that made the chunks [k1 a] [k2 b] [k3 c], named x, y, z. */
    private RememberedChunks lastSave() {
        RememberedChunks.Walk first = RememberedChunks.NONE.walk();
        assertNull(first.find(List.of("k1", a), 0));
        first.made(List.of("k1", a), "x", 0);
        first.made(List.of("k2", b), "y", 1);
        first.made(List.of("k3", c), "z", 2);
        return first.remembered(null);
    }

    @Test
    void theSameMembersInTheSameOrderAreFoundByReferenceAndAChangedMemberIsNot() {
        RememberedChunks.Walk walk = lastSave().walk();
        assertEquals("x", walk.find(List.of(new String("k1"), a), 0), "ids compare by value");
        assertNull(walk.find(List.of("k2", new Object()), 1), "a new memory object under the same id is a change");
        assertEquals("z", walk.find(List.of("k3", c), 2));
        RememberedChunks next = walk.remembered(null);
        assertEquals(2, next.size(), "the changed chunk is remembered only once this save made it");
    }

    @Test
    void aChunkAfterAnInsertionOrRemovalIsFoundAwayFromTheCursor() {
        RememberedChunks.Walk walk = lastSave().walk();
        assertNull(walk.find(List.of("k0", new Object()), 0), "inserted before everything");
        assertEquals("z", walk.find(List.of("k3", c), 1), "k1 and k2 were removed");
        assertEquals("x", walk.find(List.of("k1", a), 2), "and moved after k3");
        assertEquals("y", walk.find(List.of("k2", b), 3), "the cursor follows what was found");
    }

    @Test
    void theChunkAtTheCursorIsOfferedButNeverTheLastOneWhichEndedWithTheMemories() {
        RememberedChunks.Walk walk = lastSave().walk();
        assertArrayEquals(new Object[] {"k1", a}, walk.expectedMembers());
        assertEquals(0, walk.expectedStart());
        assertEquals("x", walk.acceptExpected(0));
        assertArrayEquals(new Object[] {"k2", b}, walk.expectedMembers());
        assertEquals("y", walk.acceptExpected(1));
        assertNull(walk.expectedMembers(), "[k3 c] may go on with memories appended since");
        List<Object> grown = new ArrayList<>(List.of("k3", c, "k4", new Object()));
        assertNull(walk.find(grown, 2));
        walk.made(grown, "w", 2);
        assertEquals(3, walk.remembered(null).size());
    }
}
