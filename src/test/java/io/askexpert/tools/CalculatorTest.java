package io.askexpert.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalculatorTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            1 + 2 * 3                   | 7
            (1 + 2) * 3                 | 9
            10 / 4                      | 2.5
            10 % 4                      | 2
            2 ^ 10                      | 1024
            2 ^ 3 ^ 2                   | 512
            -2 ^ 2                      | -4
            (-2) ^ 2                    | 4
            2 ^ -1                      | 0.5
            --3                         | 3
            -(4 - 6) * +2               | 4
            1.5e3 + 0.5                 | 1500.5
            .25 * 4                     | 1
            sqrt(16) + abs(-3)          | 7
            ln(exp(2))                  | 2
            log10(1000)                 | 3
            round(2.345, 2)             | 2.35
            round(2.5)                  | 3
            min(4, 2, 8) + max(1, 9)    | 11
            (1200 * 0.15) / 12          | 15
            100 - 100 * 0.2             | 80
            ROUND(SQRT(2), 4)           | 1.4142
            """)
    void evaluates(String expression, double expected) {
        assertThat(Arithmetic.evaluate(expression)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``                          | expression is empty
            1 +                         | expression ends where a number was expected
            (1 + 2                      | expression ends where ')' was expected
            1 + 2)                      | unexpected ')' at position 6
            2 ** 3                      | unexpected '*' at position 4
            1 / 0                       | expression divides by zero
            5 % 0                       | modulo zero
            sqrt(-1)                    | sqrt of a negative number
            ln(0)                       | ln of a number that is not positive
            pi * 2                      | unknown name 'pi' at position 1
            system(1)                   | unknown name 'system'
            sqrt(1, 2)                  | sqrt takes one argument
            round(1.5, 0.5)             | round's digits must be a whole number
            10 ^ 400                    | a power is too large or undefined
            exp(1000)                   | exp is too large or undefined
            1..2                        | '1..2' at position 1 is not a number
            2 3                         | unexpected '3' at position 3
            x = 1                       | unknown name 'x'
            "1" + 1                     | unexpected '"' at position 1
            """)
    void refuses_what_is_not_arithmetic_with_a_clear_message(String expression, String message) {
        assertThatThrownBy(() -> Arithmetic.evaluate(expression)).isInstanceOf(InvalidToolInput.class).hasMessageContaining(message);
    }

    @Test
    void bounds_length_and_nesting() {
        assertThatThrownBy(() -> Arithmetic.evaluate("1+".repeat(600) + "1")).hasMessageContaining("at most 1000 characters");
        assertThatThrownBy(() -> Arithmetic.evaluate("(".repeat(100) + "1" + ")".repeat(100))).hasMessageContaining("nests deeper than 64");
        assertThatThrownBy(() -> Arithmetic.evaluate("-".repeat(200) + "1")).hasMessageContaining("nests deeper than 64");
        assertThat(Arithmetic.evaluate("(".repeat(30) + "1" + ")".repeat(30))).isEqualTo(1);
    }

    @Test
    void the_tool_returns_whole_numbers_as_integers_and_others_as_short_decimals() {
        CalculatorTool tool = new CalculatorTool();
        assertThat(tool.run(call("6 * 7")).value()).isEqualTo(Map.of("expression", "6 * 7", "value", 42L));
        assertThat(((Map<?, ?>) tool.run(call("1 / 3")).value()).get("value").toString()).isEqualTo("0.3333333333333333");
        assertThat(((Map<?, ?>) tool.run(call("0.1 + 0.2")).value()).get("value").toString()).isEqualTo("0.30000000000000004");
        assertThat(tool.spec().sideEffects()).isFalse();
        assertThat(tool.spec().external()).isFalse();
    }

    private static ToolInvocation call(String expression) {
        return new ToolInvocation("c1", "k1", "t1", "u1", UUID.randomUUID(), Map.of("expression", expression));
    }
}
