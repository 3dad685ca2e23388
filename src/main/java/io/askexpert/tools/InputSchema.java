package io.askexpert.tools;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Checks a call's input against the subset of JSON Schema our tools declare: {@code type}
 * (object, string, integer, number, boolean, array), {@code properties}, {@code required},
 * {@code additionalProperties: false}, {@code enum}, {@code minLength}/{@code maxLength},
 * {@code minimum}/{@code maximum}, {@code items} and {@code maxItems}. Other keywords are ignored.
 * About 160 lines cover every schema we ship; a full validator library would pull in its own JSON
 * tree model and dozens of keywords no tool uses. The first problem found is returned, naming the
 * field by its path ({@code headers.accept}, {@code values[2]}).
 */
final class InputSchema {

    private InputSchema() {
    }

    /** Empty when {@code input} satisfies {@code schema}; otherwise what is wrong, naming the field. */
    static Optional<String> check(Map<String, @Nullable Object> schema, Map<String, @Nullable Object> input) {
        return object(schema, input, "");
    }

    private static Optional<String> object(Map<String, @Nullable Object> schema, Map<?, ?> value, String path) {
        Map<?, ?> properties = schema.get("properties") instanceof Map<?, ?> p ? p : Map.of();
        if (schema.get("required") instanceof List<?> required) {
            for (Object name : required) {
                if (value.get(name) == null) {
                    return Optional.of(join(path, String.valueOf(name)) + " is required");
                }
            }
        }
        boolean closed = Boolean.FALSE.equals(schema.get("additionalProperties"));
        for (Map.Entry<?, ?> entry : value.entrySet()) {
            String field = join(path, String.valueOf(entry.getKey()));
            Object propertySchema = properties.get(entry.getKey());
            if (propertySchema == null) {
                if (closed) {
                    return Optional.of(field + " is not a known field");
                }
                continue;
            }
            if (entry.getValue() == null) {
                continue; // an optional field sent as null counts as absent
            }
            if (propertySchema instanceof Map<?, ?> sub) {
                Optional<String> problem = value(cast(sub), entry.getValue(), field);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> value(Map<String, @Nullable Object> schema, Object value, String field) {
        if (schema.get("enum") instanceof List<?> allowed && allowed.stream().noneMatch(a -> sameValue(a, value))) {
            return Optional.of(field + " must be one of " + allowed);
        }
        Object type = schema.get("type");
        if (type == null) {
            return Optional.empty();
        }
        return switch (String.valueOf(type)) {
            case "string" -> value instanceof String s ? string(schema, s, field) : wrongType(field, "a string");
            case "integer" -> isInteger(value) ? range(schema, (Number) value, field) : wrongType(field, "an integer");
            case "number" -> value instanceof Number n && !(n instanceof Double d && !Double.isFinite(d))
                    ? range(schema, n, field) : wrongType(field, "a number");
            case "boolean" -> value instanceof Boolean ? Optional.empty() : wrongType(field, "true or false");
            case "object" -> value instanceof Map<?, ?> m ? object(schema, m, field) : wrongType(field, "an object");
            case "array" -> value instanceof List<?> list ? array(schema, list, field) : wrongType(field, "an array");
            default -> Optional.empty();
        };
    }

    private static Optional<String> string(Map<String, @Nullable Object> schema, String s, String field) {
        int length = s.codePointCount(0, s.length());
        if (schema.get("maxLength") instanceof Number max && length > max.longValue()) {
            return Optional.of(field + " must be at most " + max + " characters (has " + length + ")");
        }
        if (schema.get("minLength") instanceof Number min && length < min.longValue()) {
            return Optional.of(field + " must be at least " + min + " characters");
        }
        return Optional.empty();
    }

    private static Optional<String> range(Map<String, @Nullable Object> schema, Number n, String field) {
        BigDecimal v = decimal(n);
        if (schema.get("minimum") instanceof Number min && v.compareTo(decimal(min)) < 0) {
            return Optional.of(field + " must be at least " + min);
        }
        if (schema.get("maximum") instanceof Number max && v.compareTo(decimal(max)) > 0) {
            return Optional.of(field + " must be at most " + max);
        }
        return Optional.empty();
    }

    private static Optional<String> array(Map<String, @Nullable Object> schema, List<?> list, String field) {
        if (schema.get("maxItems") instanceof Number max && list.size() > max.longValue()) {
            return Optional.of(field + " must have at most " + max + " items");
        }
        if (schema.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                if (item == null) {
                    return Optional.of(field + "[" + i + "] must not be null");
                }
                Optional<String> problem = value(cast(items), item, field + "[" + i + "]");
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return Optional.empty();
    }

    /** JSON has one number type: 3 and 3.0 are the same integer, and 1 equals 1.0 in an enum. */
    private static boolean isInteger(Object value) {
        return switch (value) {
            case Integer i -> true;
            case Long l -> true;
            case Short s -> true;
            case Byte b -> true;
            case BigInteger b -> true;
            case Number n when n instanceof Double || n instanceof Float || n instanceof BigDecimal -> {
                double d = n.doubleValue();
                yield Double.isFinite(d) && d == Math.rint(d);
            }
            default -> false;
        };
    }

    private static boolean sameValue(@Nullable Object allowed, Object value) {
        if (allowed instanceof Number a && value instanceof Number v) {
            return decimal(a).compareTo(decimal(v)) == 0;
        }
        return value.equals(allowed);
    }

    private static BigDecimal decimal(Number n) {
        return n instanceof BigDecimal b ? b : n instanceof BigInteger i ? new BigDecimal(i) : new BigDecimal(n.toString());
    }

    private static Optional<String> wrongType(String field, String expected) {
        return Optional.of(field + " must be " + expected);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, @Nullable Object> cast(Map<?, ?> map) {
        return (Map<String, @Nullable Object>) map;
    }
}
