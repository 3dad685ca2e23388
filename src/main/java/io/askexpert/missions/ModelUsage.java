package io.askexpert.missions;

import io.askexpert.cost.CostRecord;
import io.askexpert.llm.LlmEvent;
import io.askexpert.llm.LlmFailure;
import io.askexpert.llm.Usage;
import java.util.Objects;

/**
 * What a model call consumed, as its provider reported it: the tokens (a failed or cancelled call's
 * partial usage), which model of which provider, and how the call ended. The engine files it in the
 * cost ledger and sums it into the mission's {@code cost} event.
 */
record ModelUsage(String model, String provider, Usage tokens, CostRecord.Outcome outcome) {

    ModelUsage {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(outcome, "outcome");
    }

    static ModelUsage of(LlmEvent.Completed c) {
        return new ModelUsage(c.model(), c.provider(), c.usage(), CostRecord.Outcome.COMPLETED);
    }

    static ModelUsage of(LlmEvent.Failed f) {
        return new ModelUsage(f.model(), f.provider(), f.partialUsage(), f.failure().kind() == LlmFailure.Kind.CANCELLED
                ? CostRecord.Outcome.CANCELLED : CostRecord.Outcome.FAILED);
    }
}
