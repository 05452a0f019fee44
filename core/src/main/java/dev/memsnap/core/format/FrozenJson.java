package dev.memsnap.core.format;

import dev.memsnap.api.Immutable;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

/**
 * JSON objects and arrays as the reader makes them: wrapped, never copied, and marked {@link Immutable}, so that
 * {@link dev.memsnap.api.Memory} keeps a loaded memory's metadata as it is instead of copying it again. The reader
 * hands over the collection it filled and keeps no reference to it.
 */
final class FrozenJson {
    private FrozenJson() {
    }

    /** @return an unmodifiable view of a map no one else holds */
    static Map<String, Object> map(Map<String, Object> owned) {
        return new FrozenMap(Collections.unmodifiableMap(owned));
    }

    /** @return an unmodifiable view of a list no one else holds */
    static List<Object> list(List<Object> owned) {
        return new FrozenList(owned);
    }

    private static final class FrozenMap extends AbstractMap<String, Object> implements Immutable {
        private final Map<String, Object> view;

        FrozenMap(Map<String, Object> view) {
            this.view = view;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return view.entrySet();
        }

        @Override
        public Object get(Object key) {
            return view.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return view.containsKey(key);
        }

        @Override
        public int size() {
            return view.size();
        }
    }

    private static final class FrozenList extends AbstractList<Object> implements RandomAccess, Immutable {
        private final List<Object> owned;

        FrozenList(List<Object> owned) {
            this.owned = owned;
        }

        @Override
        public Object get(int index) {
            return owned.get(index);
        }

        @Override
        public int size() {
            return owned.size();
        }
    }
}
