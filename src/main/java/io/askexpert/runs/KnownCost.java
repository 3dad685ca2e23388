package io.askexpert.runs;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.llm.Usage;
import java.math.BigDecimal;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * What is known of the cost of a run's work in flight: the model, the usage counted so far
 * (input estimated from the prompt, output from the tokens relayed) and its price. Recorded with
 * the run while it lasts, and billed if the instance running it dies before the provider's own
 * count arrives.
 */
public record KnownCost(String model, String provider, Usage usage, @JsonProperty("cost_usd") BigDecimal costUsd) {

    public KnownCost {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(costUsd, "costUsd");
    }

    /** The row's JSON form. */
    static final class Codec {
        private final JsonMapper json = JsonMapper.builder().build();

        String encode(KnownCost cost) {
            return json.writeValueAsString(cost);
        }

        KnownCost decode(String text) {
            return json.readValue(text, KnownCost.class);
        }
    }
}
