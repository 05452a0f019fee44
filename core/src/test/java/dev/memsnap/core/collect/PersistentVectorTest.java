package dev.memsnap.core.collect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PersistentVectorTest {
    @Test
    void appendsKeepEveryEarlierVersionIntactAcrossTrieLevels() {
        List<PersistentVector<Integer>> versions = new ArrayList<>();
        PersistentVector<Integer> v = PersistentVector.empty();
        int n = 40_000; // past 32, 32*32 and 32*32*32 elements: three trie levels
        for (int i = 0; i < n; i++) {
            if (i % 997 == 0 || i == 32 || i == 33 || i == 1024 || i == 1056 || i == 32768 + 32) {
                versions.add(v);
            }
            v = v.append(i);
        }
        assertEquals(n, v.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, v.get(i));
        }
        int expected = 0;
        for (int value : v) {
            assertEquals(expected++, value);
        }
        assertEquals(n, expected);
        for (PersistentVector<Integer> old : versions) {
            for (int i = 0; i < old.size(); i++) {
                assertEquals(i, old.get(i), "version of size " + old.size());
            }
        }
        PersistentVector<Integer> last = v;
        assertThrows(IndexOutOfBoundsException.class, () -> last.get(n));
        assertEquals(List.of(0, 1, 2), PersistentVector.of(List.of(0, 1, 2)));
    }

    @Test
    void branchesFromOneVersionDoNotSeeEachOther() {
        PersistentVector<String> base = PersistentVector.<String>empty().append("a").append("b");
        PersistentVector<String> left = base.append("left");
        PersistentVector<String> right = base.append("right");
        assertEquals(List.of("a", "b", "left"), left);
        assertEquals(List.of("a", "b", "right"), right);
        assertEquals(List.of("a", "b"), base);
        assertTrue(PersistentVector.of(base) == base, "no copy of what is already persistent");
    }

    @Test
    void aVectorMadeFromAListAtOnceIsTheOneAppendsMakeAndGrowsLikeIt() {
        for (int n : new int[]{0, 1, 31, 32, 33, 64, 65, 1024, 1025, 1056, 1057, 32 * 32 * 32 + 32, 32 * 32 * 32 + 33,
                40_000}) {
            List<Integer> elements = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                elements.add(i);
            }
            PersistentVector<Integer> bulk = PersistentVector.of(elements);
            assertEquals(elements, bulk, "size " + n);
            for (int i = 0; i < n; i++) {
                assertEquals(i, bulk.get(i), "size " + n);
            }
            // appending across the next leaf and level boundaries reads back as appending to a one-by-one vector
            PersistentVector<Integer> grown = bulk;
            for (int i = n; i < n + 1100; i++) {
                grown = grown.append(i);
            }
            for (int i = 0; i < n + 1100; i++) {
                assertEquals(i, grown.get(i), "grown from size " + n);
            }
            assertEquals(elements, bulk, "the vector grown from is unchanged, size " + n);
        }
        assertThrows(NullPointerException.class, () -> PersistentVector.of(java.util.Arrays.asList(1, null)));
    }

    @Test
    void replacingCopiesOnlyThePathAndSharedRunsTellWhatTwoVersionsShare() {
        for (int n : new int[]{1, 31, 32, 33, 1024, 1025, 32 * 32 * 32 + 33, 40_000}) {
            List<Integer> elements = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                elements.add(i);
            }
            PersistentVector<Integer> base = PersistentVector.of(elements);
            for (int at : new int[]{0, n / 2, n - 1}) {
                PersistentVector<Integer> changed = base.replaced(at, -1);
                List<Integer> expected = new ArrayList<>(elements);
                expected.set(at, -1);
                assertEquals(expected, changed, "size " + n + " at " + at);
                assertEquals(elements, base, "the vector replaced in is unchanged");
                for (int i = 0; i < n; i += PersistentVector.RUN) {
                    boolean sameRun = i / PersistentVector.RUN == at / PersistentVector.RUN;
                    assertEquals(!sameRun, base.sharedRun(i).equals(changed.sharedRun(i)), "size " + n + " run of " + i);
                }
                assertTrue(changed.append(7).sharedRun(0).equals(changed.sharedRun(0)) || n <= PersistentVector.RUN,
                        "appending shares the full runs");
            }
        }
        PersistentVector<Integer> one = PersistentVector.<Integer>empty().append(1);
        assertThrows(IndexOutOfBoundsException.class, () -> one.replaced(1, 2));
        assertThrows(NullPointerException.class, () -> one.replaced(0, null));
        assertThrows(IndexOutOfBoundsException.class, () -> one.sharedRun(1));
    }
}
