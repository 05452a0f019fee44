package dev.memsnap.spring.vectorstore;

import org.springframework.ai.vectorstore.filter.Filter;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * Tests a Spring AI filter expression against a document's metadata, as the stores do, so that memsnap removes the
 * documents a {@code delete(Filter.Expression)} removed. Numbers compare by value whatever their Java type.
 */
final class MetadataFilter {
    private MetadataFilter() {
    }

    /**
     * @param expression a filter expression
     * @param metadata   a document's metadata
     * @return whether the document matches
     * @throws IllegalArgumentException for an expression of a shape the stores do not accept either
     */
    static boolean test(Filter.Expression expression, Map<String, Object> metadata) {
        return switch (expression.type()) {
            case AND -> test(operand(expression.left()), metadata) && test(operand(expression.right()), metadata);
            case OR -> test(operand(expression.left()), metadata) || test(operand(expression.right()), metadata);
            case NOT -> !test(operand(expression.left()), metadata);
            case ISNULL -> metadata.get(key(expression)) == null;
            case ISNOTNULL -> metadata.get(key(expression)) != null;
            case IN -> in(metadata.get(key(expression)), value(expression));
            case NIN -> !in(metadata.get(key(expression)), value(expression));
            case EQ -> equal(metadata.get(key(expression)), value(expression));
            case NE -> !equal(metadata.get(key(expression)), value(expression));
            case GT -> ordered(metadata.get(key(expression)), value(expression), c -> c > 0);
            case GTE -> ordered(metadata.get(key(expression)), value(expression), c -> c >= 0);
            case LT -> ordered(metadata.get(key(expression)), value(expression), c -> c < 0);
            case LTE -> ordered(metadata.get(key(expression)), value(expression), c -> c <= 0);
        };
    }

    /**
     * @param expression a filter expression
     * @param key        a metadata key
     * @return the value an {@code EQ} on that key compares with, or {@code null} when the expression is no such one
     */
    static Object equalTo(Filter.Expression expression, String key) {
        if (expression.type() == Filter.ExpressionType.EQ && expression.left() instanceof Filter.Key k
                && unquoted(k.key()).equals(key) && expression.right() instanceof Filter.Value v) {
            return v.value();
        }
        return null;
    }

    private static Filter.Expression operand(Filter.Operand operand) {
        if (operand instanceof Filter.Group group) {
            return group.content();
        }
        if (operand instanceof Filter.Expression expression) {
            return expression;
        }
        throw new IllegalArgumentException("expected an expression, got " + operand);
    }

    private static String key(Filter.Expression expression) {
        if (expression.left() instanceof Filter.Key key) {
            return unquoted(key.key());
        }
        throw new IllegalArgumentException("expected a metadata key on the left of " + expression);
    }

    /** The text parser keeps the quotes of a quoted key ({@code "country" == 'NL'}). */
    private static String unquoted(String key) {
        if (key.length() >= 2 && (key.startsWith("\"") && key.endsWith("\"") || key.startsWith("'")
                && key.endsWith("'"))) {
            return key.substring(1, key.length() - 1);
        }
        return key;
    }

    private static Object value(Filter.Expression expression) {
        if (expression.right() instanceof Filter.Value value) {
            return value.value();
        }
        throw new IllegalArgumentException("expected a value on the right of " + expression);
    }

    private static boolean in(Object actual, Object values) {
        if (!(values instanceof Collection<?> candidates)) {
            return equal(actual, values);
        }
        return candidates.stream().anyMatch(candidate -> equal(actual, candidate));
    }

    private static boolean equal(Object actual, Object expected) {
        if (actual instanceof Number a && expected instanceof Number e) {
            return Double.compare(a.doubleValue(), e.doubleValue()) == 0;
        }
        return Objects.equals(actual, expected);
    }

    /** Absent or incomparable values match no ordering comparison, as in the stores. */
    private static boolean ordered(Object actual, Object expected, IntPredicate holds) {
        if (actual instanceof Number a && expected instanceof Number e) {
            return holds.test(Double.compare(a.doubleValue(), e.doubleValue()));
        }
        if (actual instanceof String a && expected instanceof String e) {
            return holds.test(a.compareTo(e));
        }
        return false;
    }
}
