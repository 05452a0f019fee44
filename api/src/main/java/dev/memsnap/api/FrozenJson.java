package dev.memsnap.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * JSON objects and arrays made from a reader's values, compact and checked once as they are made: a snapshot reader
 * builds a memory's metadata with them, and {@link Memory} keeps such metadata as it is without walking it again. They
 * are array-backed and exactly sized (an object of two keys holds two arrays of two), keep their keys in order, and
 * are {@link Immutable}: nothing outside this class can change them or make one that skipped the check.
 *
 * <p>A value is accepted when it is {@code null}, a {@link String}, a {@link Boolean}, an {@link Integer}, {@link Long},
 * {@link Short} or {@link Byte}, a finite {@link Double} or {@link Float}, a {@link BigInteger} or {@link BigDecimal}
 * of at most {@link Memory#MAX_NUMBER_DIGITS} digits, or an object or array made here.
 */
public final class FrozenJson {
    private static final List<Object> EMPTY_ARRAY = new FrozenArray(new Object[0]);
    private static final Map<String, Object> EMPTY_OBJECT = new FrozenObject(new String[0], new Object[0]);

    private FrozenJson() {
    }

    /**
     * @param keysAndValues keys and values alternating from {@code from}: a key at an even distance from it, its value
     *                      next; copied, so the caller may reuse the array
     * @param from          where the first key is
     * @param to            one past the last value
     * @return the object, keys in the order given
     * @throws IllegalArgumentException when a key is not a string or appears twice, or a value is not one accepted
     */
    public static Map<String, Object> object(Object[] keysAndValues, int from, int to) {
        checkRange(keysAndValues, from, to);
        if (((to - from) & 1) != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        int size = (to - from) / 2;
        if (size == 0) {
            return EMPTY_OBJECT;
        }
        String[] keys = new String[size];
        Object[] values = new Object[size];
        for (int i = 0; i < size; i++) {
            Object key = keysAndValues[from + 2 * i];
            if (!(key instanceof String k)) {
                throw new IllegalArgumentException("JSON object keys must be strings, got " + key);
            }
            keys[i] = k;
            values[i] = checked(keysAndValues[from + 2 * i + 1]);
        }
        FrozenObject made = new FrozenObject(keys, values);
        if (size > 1 && made.hasDuplicateKey()) {
            throw new IllegalArgumentException("a JSON object key appears twice");
        }
        return made;
    }

    /**
     * @param values the elements, from {@code from} to before {@code to}; copied, so the caller may reuse the array
     * @param from   the first element
     * @param to     one past the last
     * @return the array
     * @throws IllegalArgumentException when a value is not one accepted
     */
    public static List<Object> array(Object[] values, int from, int to) {
        checkRange(values, from, to);
        if (to == from) {
            return EMPTY_ARRAY;
        }
        Object[] elements = Arrays.copyOfRange(values, from, to);
        for (Object element : elements) {
            checked(element);
        }
        return new FrozenArray(elements);
    }

    private static void checkRange(Object[] array, int from, int to) {
        if (from < 0 || to < from || to > array.length) {
            throw new IllegalArgumentException("range " + from + " to " + to + " is not within an array of "
                    + array.length);
        }
    }

    /** @return whether the value is an object or array made here: valid JSON all the way down, and immutable */
    static boolean isMadeHere(Object value) {
        return value instanceof FrozenObject || value instanceof FrozenArray;
    }

    private static Object checked(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || isMadeHere(value) || value instanceof Short || value instanceof Byte) {
            return value;
        }
        if (value instanceof Double d && Double.isFinite(d) || value instanceof Float f && Float.isFinite(f)) {
            return value;
        }
        // exactly these classes: a subclass of either could be mutable
        if ((value.getClass() == BigInteger.class || value.getClass() == BigDecimal.class)
                && value.toString().length() <= Memory.MAX_NUMBER_DIGITS) {
            return value;
        }
        throw new IllegalArgumentException("not a JSON value this class accepts: " + value);
    }

    private static final class FrozenObject extends AbstractMap<String, Object> implements Immutable {
        /** Above this many keys a lookup goes through a hash index, built on first use. */
        private static final int SCANNED = 8;
        private final String[] keys;
        private final Object[] values;
        private volatile Map<String, Integer> index;

        FrozenObject(String[] keys, Object[] values) {
            this.keys = keys;
            this.values = values;
        }

        boolean hasDuplicateKey() {
            if (keys.length <= SCANNED) {
                for (int i = 1; i < keys.length; i++) {
                    for (int j = 0; j < i; j++) {
                        if (keys[i].equals(keys[j])) {
                            return true;
                        }
                    }
                }
                return false;
            }
            return index().size() != keys.length;
        }

        private int indexOf(Object key) {
            if (keys.length <= SCANNED) {
                for (int i = 0; i < keys.length; i++) {
                    if (keys[i].equals(key)) {
                        return i;
                    }
                }
                return -1;
            }
            Integer at = index().get(key);
            return at == null ? -1 : at;
        }

        private Map<String, Integer> index() {
            Map<String, Integer> byKey = index;
            if (byKey == null) {
                byKey = new java.util.HashMap<>(keys.length * 4 / 3 + 1);
                for (int i = 0; i < keys.length; i++) {
                    byKey.putIfAbsent(keys[i], i);
                }
                index = byKey;
            }
            return byKey;
        }

        @Override
        public Object get(Object key) {
            int at = indexOf(key);
            return at < 0 ? null : values[at];
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public int size() {
            return keys.length;
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super Object> action) {
            for (int i = 0; i < keys.length; i++) {
                action.accept(keys[i], values[i]);
            }
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < keys.length;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (next >= keys.length) {
                                throw new NoSuchElementException();
                            }
                            int at = next++;
                            return new SimpleImmutableEntry<>(keys[at], values[at]);
                        }
                    };
                }

                @Override
                public int size() {
                    return keys.length;
                }
            };
        }
    }

    private static final class FrozenArray extends AbstractList<Object> implements RandomAccess, Immutable {
        private final Object[] elements;

        FrozenArray(Object[] elements) {
            this.elements = elements;
        }

        @Override
        public Object get(int index) {
            return elements[index];
        }

        @Override
        public int size() {
            return elements.length;
        }
    }
}
