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
        assertNull(first.find(List.of("k1", a)));
        first.made(List.of("k1", a), "x");
        first.made(List.of("k2", b), "y");
        first.made(List.of("k3", c), "z");
        return first.remembered();
    }

    @Test
    void theSameMembersInTheSameOrderAreFoundByReferenceAndAChangedMemberIsNot() {
        RememberedChunks.Walk walk = lastSave().walk();
        assertEquals("x", walk.find(List.of(new String("k1"), a)), "ids compare by value");
        assertNull(walk.find(List.of("k2", new Object())), "a new memory object under the same id is a change");
        assertEquals("z", walk.find(List.of("k3", c)));
        RememberedChunks next = walk.remembered();
        assertEquals(2, next.size(), "the changed chunk is remembered only once this save made it");
    }

    @Test
    void aChunkAfterAnInsertionOrRemovalIsFoundAwayFromTheCursor() {
        RememberedChunks.Walk walk = lastSave().walk();
        assertNull(walk.find(List.of("k0", new Object())), "inserted before everything");
        assertEquals("z", walk.find(List.of("k3", c)), "k1 and k2 were removed");
        assertEquals("x", walk.find(List.of("k1", a)), "and moved after k3");
        assertEquals("y", walk.find(List.of("k2", b)), "the cursor follows what was found");
    }

    @Test
    void theChunkAtTheCursorIsOfferedButNeverTheLastOneWhichEndedWithTheMemories() {
        RememberedChunks.Walk walk = lastSave().walk();
        assertArrayEquals(new Object[] {"k1", a}, walk.expectedMembers());
        assertEquals("x", walk.acceptExpected());
        assertArrayEquals(new Object[] {"k2", b}, walk.expectedMembers());
        assertEquals("y", walk.acceptExpected());
        assertNull(walk.expectedMembers(), "[k3 c] may go on with memories appended since");
        List<Object> grown = new ArrayList<>(List.of("k3", c, "k4", new Object()));
        assertNull(walk.find(grown));
        walk.made(grown, "w");
        assertEquals(3, walk.remembered().size());
    }
}
