package dev.memsnap.core.collect;

import dev.memsnap.api.Immutable;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list that grows by {@link #append} in amortised constant time while sharing all but the last few
 * elements with the list it came from: a 32-way trie with a tail, as Clojure's persistent vector. Snapshots of a
 * growing memory hold such lists, so that a snapshot costs nothing to take and a hundred snapshots of one state hold
 * one copy of it. Not a general persistent list: it appends, and replaces an element in place ({@link #replaced}),
 * copying only the path to it, so a state with a few memories replaced shares everything else with the one before.
 * {@link #sharedRun} tells callers which runs of elements two vectors share, without looking at the elements.
 *
 * @param <E> element type; elements must not be {@code null}
 */
public final class PersistentVector<E> extends AbstractList<E> implements RandomAccess, Immutable {
    private static final int BITS = 5;
    private static final int WIDTH = 1 << BITS;
    private static final int MASK = WIDTH - 1;
    /** The positions a {@link #sharedRun} covers: the aligned block of this many around an index. */
    public static final int RUN = WIDTH;
    private static final Object[] EMPTY_NODE = new Object[0];
    @SuppressWarnings("rawtypes")
    private static final PersistentVector EMPTY = new PersistentVector<>(0, BITS, EMPTY_NODE, EMPTY_NODE);

    private final int size;
    private final int shift;
    private final Object[] root;
    private final Object[] tail;

    private PersistentVector(int size, int shift, Object[] root, Object[] tail) {
        this.size = size;
        this.shift = shift;
        this.root = root;
        this.tail = tail;
    }

    /**
     * @param <E> element type
     * @return the empty vector
     */
    @SuppressWarnings("unchecked")
    public static <E> PersistentVector<E> empty() {
        return (PersistentVector<E>) EMPTY;
    }

    /**
     * @param <E>      element type
     * @param elements the elements, in order
     * @return a vector of them
     */
    public static <E> PersistentVector<E> of(Iterable<? extends E> elements) {
        if (elements instanceof PersistentVector<?> vector) {
            @SuppressWarnings("unchecked")
            PersistentVector<E> same = (PersistentVector<E>) vector;
            return same;
        }
        // a leaf of WIDTH at a time: what appending one by one makes, without copying the tail at every element
        PersistentVector<E> result = empty();
        Object[] leaf = new Object[WIDTH];
        int n = 0;
        for (E e : elements) {
            if (n == WIDTH) {
                result = result.appendLeaf(leaf);
                leaf = new Object[WIDTH];
                n = 0;
            }
            leaf[n++] = Objects.requireNonNull(e, "element");
        }
        return n == 0 ? result : result.appendLeaf(n == WIDTH ? leaf : Arrays.copyOf(leaf, n));
    }

    /**
     * Appends a whole leaf of 1 to {@value #WIDTH} elements to a vector that is empty or whose tail is full, as
     * {@link #append} would element by element: the full tail goes into the trie and the leaf becomes the tail.
     */
    private PersistentVector<E> appendLeaf(Object[] leaf) {
        if (size == 0) {
            return new PersistentVector<>(leaf.length, shift, root, leaf);
        }
        return new PersistentVector<>(size + leaf.length, pushedShift(), pushedRoot(), leaf);
    }

    @Override
    public int size() {
        return size;
    }

    private int tailOffset() {
        return size < WIDTH ? 0 : ((size - 1) >>> BITS) << BITS;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        Objects.checkIndex(index, size);
        return (E) leafFor(index)[index & MASK];
    }

    private Object[] leafFor(int index) {
        if (index >= tailOffset()) {
            return tail;
        }
        Object[] node = root;
        for (int level = shift; level > 0; level -= BITS) {
            node = (Object[]) node[(index >>> level) & MASK];
        }
        return node;
    }

    /**
     * @param element the element to add at the end
     * @return a new vector; this one is unchanged
     */
    public PersistentVector<E> append(E element) {
        Objects.requireNonNull(element, "element");
        if (size - tailOffset() < WIDTH) {
            Object[] newTail = Arrays.copyOf(tail, tail.length + 1);
            newTail[tail.length] = element;
            return new PersistentVector<>(size + 1, shift, root, newTail);
        }
        return new PersistentVector<>(size + 1, pushedShift(), pushedRoot(), new Object[] {element});
    }

    /**
     * @param index   the position of the element to replace
     * @param element the element to put there
     * @return a new vector with {@code element} at {@code index}; this one is unchanged, and the new one shares all
     *         but the path from the root to that element with it
     */
    public PersistentVector<E> replaced(int index, E element) {
        Objects.checkIndex(index, size);
        Objects.requireNonNull(element, "element");
        if (index >= tailOffset()) {
            Object[] newTail = tail.clone();
            newTail[index & MASK] = element;
            return new PersistentVector<>(size, shift, root, newTail);
        }
        return new PersistentVector<>(size, shift, replacedIn(shift, root, index, element), tail);
    }

    private static Object[] replacedIn(int level, Object[] node, int index, Object element) {
        Object[] copy = node.clone();
        if (level == 0) {
            copy[index & MASK] = element;
        } else {
            int sub = (index >>> level) & MASK;
            copy[sub] = replacedIn(level - BITS, (Object[]) node[sub], index, element);
        }
        return copy;
    }

    /**
     * An opaque token for the run of up to {@value #RUN} elements around a position (those whose positions divided by
     * {@value #RUN} are the same): when two vectors give equal tokens at a position, they hold the very same elements
     * at every position of that run. Vectors that share a run through {@link #append} or {@link #replaced} give equal
     * tokens for it; unequal tokens say nothing.
     *
     * @param index a position
     * @return the token; only {@code equals} between tokens means anything, and it gives no access to the elements
     */
    public Object sharedRun(int index) {
        Objects.checkIndex(index, size);
        return new Run(leafFor(index));
    }

    /** A run's token: equal to another exactly when both stand for the same node of a trie, which stays hidden. */
    private static final class Run {
        private final Object[] node;

        Run(Object[] node) {
            this.node = node;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Run run && run.node == node;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(node);
        }
    }

    /** @return whether pushing the full tail into the trie needs a new level */
    private boolean rootOverflows() {
        return (size >>> BITS) > (1 << shift);
    }

    private int pushedShift() {
        return rootOverflows() ? shift + BITS : shift;
    }

    /** @return the root with the (full) tail pushed into the trie */
    private Object[] pushedRoot() {
        return rootOverflows() ? new Object[] {root, newPath(shift, tail)} : pushTail(shift, root, tail);
    }

    private Object[] pushTail(int level, Object[] parent, Object[] tailNode) {
        int subIndex = ((size - 1) >>> level) & MASK;
        Object[] result = Arrays.copyOf(parent, Math.max(parent.length, subIndex + 1));
        Object[] toInsert;
        if (level == BITS) {
            toInsert = tailNode;
        } else {
            Object[] child = subIndex < parent.length ? (Object[]) parent[subIndex] : null;
            toInsert = child != null ? pushTail(level - BITS, child, tailNode) : newPath(level - BITS, tailNode);
        }
        result[subIndex] = toInsert;
        return result;
    }

    private static Object[] newPath(int level, Object[] node) {
        return level == 0 ? node : new Object[] {newPath(level - BITS, node)};
    }

    @Override
    public Iterator<E> iterator() {
        return new Iterator<>() {
            private int index;
            private Object[] leaf;

            @Override
            public boolean hasNext() {
                return index < size;
            }

            @Override
            @SuppressWarnings("unchecked")
            public E next() {
                if (index >= size) {
                    throw new NoSuchElementException();
                }
                if ((index & MASK) == 0 || leaf == null) {
                    leaf = leafFor(index);
                }
                return (E) leaf[index++ & MASK];
            }
        };
    }
}
