package io.askexpert.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceTableTest {

    private final PriceTable prices = PriceTable.load(Optional.empty());

    @ParameterizedTest(name = "{0}: {1} in, {2} out, {3} cache read, {4} cache write → {5} USD")
    @CsvSource({
            "claude-sonnet-4-20250514, 1000000, 0, 0, 0, 3.00000000",
            "claude-sonnet-4-20250514, 0, 1000000, 0, 0, 15.00000000",
            "claude-sonnet-4-20250514, 0, 0, 1000000, 0, 0.30000000",
            "claude-sonnet-4-20250514, 0, 0, 0, 1000000, 3.75000000",
            "claude-sonnet-4-20250514, 1200, 350, 2000, 100, 0.00982500",
            "anthropic:claude-haiku-4-5, 1000, 1000, 0, 0, 0.00600000",
            "gpt-4o-mini, 1000000, 1000000, 0, 0, 0.75000000",
            "gpt-4o-mini-2024-07-18, 0, 0, 1000000, 0, 0.07500000",
            "gpt-4o-2024-08-06, 1000, 0, 0, 0, 0.00250000",
            "offline-extractive, 5000, 5000, 0, 0, 0.00000000"
    })
    void prices_each_kind_of_token_at_its_own_rate(String model, long in, long out, long read, long write, String usd) {
        assertThat(prices.cost(new Usage(in, out, read, write), model)).isEqualByComparingTo(new BigDecimal(usd));
    }

    @Test
    void the_longest_listed_prefix_wins() {
        assertThat(prices.price("gpt-4o-mini-2024-07-18")).isEqualTo(prices.price("gpt-4o-mini"));
        assertThat(prices.price("gpt-4o-mini")).isNotEqualTo(prices.price("gpt-4o"));
    }

    @Test
    void an_unknown_model_costs_zero_instead_of_failing() {
        assertThat(prices.cost(new Usage(100, 100, 0, 0), "some-local-llama")).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(prices.price("some-local-llama")).isEmpty();
    }

    @Test
    void an_override_file_replaces_and_adds_models(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prices.yaml");
        Files.writeString(file, """
                models:
                  gpt-4o-mini: {input: 1, output: 2}
                  llama3: {input: 0.5, output: 0.5, cache_read: 0.1, cache_write: 0.2}
                """);
        PriceTable table = PriceTable.load(Optional.of(file));
        assertThat(table.cost(new Usage(1_000_000, 0, 1_000_000, 0), "gpt-4o-mini")).isEqualByComparingTo("2");
        assertThat(table.cost(new Usage(0, 0, 1_000_000, 1_000_000), "llama3")).isEqualByComparingTo("0.3");
        assertThat(table.price("claude-sonnet-4")).isPresent();
    }

    @Test
    void a_bad_override_file_names_the_model_and_field(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prices.yaml");
        Files.writeString(file, "models:\n  broken: {input: -1, output: 2}\n");
        assertThatThrownBy(() -> PriceTable.load(Optional.of(file)))
                .hasMessageContaining("broken").hasMessageContaining("input");
    }
}
