package io.askexpert.api;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads of a JSON object body read as a map, for routes whose fields depend on each other
 * (an MCP server's {@code command} only for stdio): a wrong type is a 400 naming the field.
 */
final class JsonFields {

    private JsonFields() {
    }

    static Map<String, @Nullable Object> object(@Nullable Object body) {
        if (!(body instanceof Map<?, ?> map)) {
            throw AskExpertException.invalid("body", "the body must be a JSON object");
        }
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    static @Nullable String string(Map<String, @Nullable Object> body, String field) {
        Object value = body.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw wrongType(field, "a string");
    }

    static @Nullable List<String> strings(Map<String, @Nullable Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw wrongType(field, "an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw wrongType(field, "an array of strings");
            }
            out.add(s);
        }
        return out;
    }

    static @Nullable Map<String, Boolean> booleans(Map<String, @Nullable Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw wrongType(field, "an object of booleans");
        }
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof Boolean b)) {
                throw wrongType(field + "." + e.getKey(), "true or false");
            }
            out.put(String.valueOf(e.getKey()), b);
        }
        return out;
    }

    static int integer(String field, @Nullable String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new AskExpertException(ErrorCode.VALIDATION_ERROR,
                field + " must be an integer " + min + (max == Integer.MAX_VALUE ? " or more" : "-" + max),
                Map.of("field", field, "actual", value));
    }

    static void requireAdmin(io.askexpert.auth.TenantContext tenant, String what) {
        if (!tenant.admin()) {
            throw new AskExpertException(ErrorCode.FORBIDDEN, what + " needs the admin role", Map.of("required_role", "admin"));
        }
    }

    private static AskExpertException wrongType(String field, String expected) {
        return AskExpertException.invalid(field, field + " must be " + expected);
    }
}
