package io.askexpert.tools;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** {@code calculator}: evaluates an arithmetic expression ({@link Arithmetic}); no side effects, free. */
@Component
final class CalculatorTool implements Tool {

    static final String NAME = "calculator";

    private static final ToolSpec SPEC = new ToolSpec(NAME,
            "Evaluates an arithmetic expression exactly as written: numbers, + - * / % ^, parentheses, unary minus, "
                    + "and sqrt, ln, log10, exp, abs, round(x[, digits]), min(...), max(...). Use it for any figure you report.",
            Map.of("type", "object",
                    "properties", Map.of("expression", Map.of("type", "string", "maxLength", Arithmetic.MAX_LENGTH,
                            "description", "for example (1200 * 0.15) / 12 or round(sqrt(2), 4)")),
                    "required", List.of("expression"),
                    "additionalProperties", false),
            Duration.ofSeconds(2), BigDecimal.ZERO, false, false);

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public ToolOutput run(ToolInvocation invocation) {
        String expression = (String) invocation.input().get("expression");
        double value = Arithmetic.evaluate(expression == null ? "" : expression);
        Map<String, @Nullable Object> result = new LinkedHashMap<>();
        result.put("expression", expression);
        result.put("value", plain(value));
        return ToolOutput.of(result);
    }

    /** Whole results as integers (12, not 12.0); others as the shortest decimal that reads back the same. */
    static Number plain(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return (long) value;
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros();
    }
}
