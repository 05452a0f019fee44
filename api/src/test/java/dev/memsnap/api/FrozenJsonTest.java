package dev.memsnap.api;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrozenJsonTest {
    private static final LocalDateTime T = LocalDateTime.of(2025, 1, 1, 0, 0);

    @Test
    void anObjectIsTheRangeGivenInOrderCopiedAndUnmodifiable() {
        Object[] stack = {"ignored", "source_type", "fact", "topics", FrozenJson.array(new Object[]{"a", "b"}, 0, 2),
                "n", null, "rest"};
        Map<String, Object> object = FrozenJson.object(stack, 1, 7);
        stack[2] = "changed";
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("source_type", "fact");
        expected.put("topics", List.of("a", "b"));
        expected.put("n", null);
        assertEquals(expected, object);
        assertEquals(expected.hashCode(), object.hashCode());
        assertEquals(List.of("source_type", "topics", "n"), new ArrayList<>(object.keySet()));
        assertTrue(object.containsKey("n"));
        assertNull(object.get("missing"));
        assertInstanceOf(Immutable.class, object);
        assertThrows(UnsupportedOperationException.class, () -> object.put("x", 1));
        assertThrows(UnsupportedOperationException.class, () -> object.entrySet().iterator().next().setValue(1));
        assertThrows(UnsupportedOperationException.class, () -> object.keySet().clear());
        List<Object> topics = FrozenJson.array(new Object[]{"a"}, 0, 1);
        assertThrows(UnsupportedOperationException.class, () -> topics.set(0, "b"));
        java.util.Iterator<Object> first = topics.iterator();
        first.next();
        assertThrows(UnsupportedOperationException.class, first::remove);
    }

    @Test
    void aLargeObjectLooksKeysUpAndRefusesADuplicate() {
        Object[] pairs = new Object[40];
        for (int i = 0; i < 20; i++) {
            pairs[2 * i] = "k" + i;
            pairs[2 * i + 1] = i;
        }
        Map<String, Object> object = FrozenJson.object(pairs, 0, pairs.length);
        assertEquals(17, object.get("k17"));
        assertNull(object.get("k20"));
        pairs[38] = "k3";
        assertThrows(IllegalArgumentException.class, () -> FrozenJson.object(pairs, 0, pairs.length));
        assertThrows(IllegalArgumentException.class, () -> FrozenJson.object(new Object[]{"a", 1, "a", 2}, 0, 4));
    }

    @Test
    void onlyJsonValuesAreAccepted() {
        for (Object bad : new Object[]{Double.NaN, Double.POSITIVE_INFINITY, Float.NaN, new Object(),
                new ArrayList<>(List.of(1)), new LinkedHashMap<>(Map.of("a", 1)),
                new BigInteger("9".repeat(Memory.MAX_NUMBER_DIGITS + 1))}) {
            assertThrows(IllegalArgumentException.class, () -> FrozenJson.array(new Object[]{bad}, 0, 1),
                    String.valueOf(bad).length() > 40 ? "a long number" : String.valueOf(bad));
            assertThrows(IllegalArgumentException.class, () -> FrozenJson.object(new Object[]{"k", bad}, 0, 2));
        }
        assertThrows(IllegalArgumentException.class, () -> FrozenJson.object(new Object[]{1, "v"}, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> FrozenJson.object(new Object[]{"k"}, 0, 1));
        List<Object> fine = FrozenJson.array(new Object[]{null, "s", true, 1, 2L, 2.5, new BigInteger("12"),
                FrozenJson.object(new Object[0], 0, 0)}, 0, 8);
        assertEquals(Arrays.asList(null, "s", true, 1, 2L, 2.5, new BigInteger("12"), Map.of()), fine);
    }

    @Test
    void aMemoryKeepsMetadataMadeHereAndStillChecksItsKeys() {
        Map<String, Object> metadata = FrozenJson.object(new Object[]{"source_type", "fact", "topics",
                FrozenJson.array(new Object[]{"a"}, 0, 1)}, 0, 4);
        Memory memory = new Memory("c", T, 1, metadata);
        assertSame(metadata, memory.metadata());
        assertEquals(List.of("a"), memory.topics());
        Map<String, Object> badType = FrozenJson.object(new Object[]{"source_type", 7}, 0, 2);
        assertEquals("metadata.source_type must be a string, got 7",
                assertThrows(IllegalArgumentException.class, () -> new Memory("c", T, 1, badType)).getMessage());
        Map<String, Object> badTopics = FrozenJson.object(new Object[]{"topics",
                FrozenJson.array(new Object[]{1}, 0, 1)}, 0, 2);
        assertThrows(IllegalArgumentException.class, () -> new Memory("c", T, 1, badTopics));
        // what a caller nests made here is kept too, inside metadata it freezes itself
        List<Object> nested = FrozenJson.array(new Object[]{"x"}, 0, 1);
        Map<String, Object> mutable = new LinkedHashMap<>(Map.of("nested", nested));
        assertSame(nested, new Memory("c", T, 1, mutable).metadata().get("nested"));
    }

    @Test
    void aMemoryKeepsTheValueANumberHadNotANumberThatCanChange() {
        java.util.concurrent.atomic.AtomicLong counter = new java.util.concurrent.atomic.AtomicLong(5);
        java.math.BigDecimal odd = new java.math.BigDecimal("1.5") {
        };
        Memory memory = new Memory("c", T, 1, new LinkedHashMap<>(Map.of("count", counter, "odd", odd,
                "list", List.of(counter))));
        counter.set(6);
        assertEquals(5L, memory.metadata().get("count"));
        assertEquals(List.of(5L), memory.metadata().get("list"));
        assertEquals(java.math.BigDecimal.class, memory.metadata().get("odd").getClass());
        assertEquals(0, new java.math.BigDecimal("1.5").compareTo((java.math.BigDecimal) memory.metadata().get("odd")));
        assertThrows(IllegalArgumentException.class, () -> FrozenJson.array(new Object[]{odd}, 0, 1),
                "FrozenJson takes BigDecimal itself only");
        assertThrows(IllegalArgumentException.class, () -> FrozenJson.object(new Object[]{"a", 1}, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> FrozenJson.array(new Object[]{1}, 0, 2));
    }
}
