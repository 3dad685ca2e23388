package io.askexpert.api;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.errors.InputText;
import io.askexpert.fusion.FusionEvidence;
import io.askexpert.fusion.FusionRequest;
import io.askexpert.interactive.InteractiveRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /mode2/fusion/select} (api.md §5.2): {@code query}, {@code max_experts}
 * (1–5, default 3), {@code context} and optional {@code fusion_weights}; {@code message} is accepted
 * for {@code query}. A client that sends the mode 2 body shape may put the last two under
 * {@code options}; the top-level fields win.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record FusionSelectBody(@JsonAlias("message") @Nullable String query,
                        @JsonProperty("max_experts") @Nullable Integer maxExperts,
                        InteractiveRequest.@Nullable Context context,
                        @JsonProperty("fusion_weights") InteractiveRequest.@Nullable Weights fusionWeights,
                        InteractiveRequest.@Nullable Options options) {

    private static final double[] DEFAULT_WEIGHTS = {0.40, 0.35, 0.25};

    FusionRequest toRequest(String tenantId) {
        String q = InputText.require("query", query, InteractiveRequest.MIN_QUERY, InteractiveRequest.MAX_QUERY);
        boolean nested = maxExperts == null && options != null && options.maxExperts() != null;
        Integer size = maxExperts != null ? maxExperts : nested ? options.maxExperts() : Integer.valueOf(3);
        String sizeField = nested ? "options.max_experts" : "max_experts";
        if (size < 1 || size > 5) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, sizeField + " must be 1 to 5",
                    Map.of("field", sizeField, "min", 1, "max", 5, "actual", size));
        }
        boolean nestedWeights = fusionWeights == null && options != null && options.fusionWeights() != null;
        InteractiveRequest.Weights w = fusionWeights != null ? fusionWeights : nestedWeights ? options.fusionWeights() : null;
        return new FusionRequest(q, tenantId, size, context == null ? Map.of() : context.asMap(),
                w == null ? null : weights(w, nestedWeights ? "options.fusion_weights" : "fusion_weights"));
    }

    private static FusionEvidence.Weights weights(InteractiveRequest.Weights w, String field) {
        Double[] given = {w.vector(), w.graph(), w.relational()};
        String[] names = {"vector", "graph", "relational"};
        double[] values = new double[3];
        for (int i = 0; i < 3; i++) {
            values[i] = given[i] == null ? DEFAULT_WEIGHTS[i] : given[i];
            if (!Double.isFinite(values[i]) || values[i] < 0) {
                throw new AskExpertException(ErrorCode.VALIDATION_ERROR, field + "." + names[i] + " must be a non-negative number",
                        Map.of("field", field + "." + names[i], "actual", String.valueOf(values[i])));
            }
        }
        if (values[0] + values[1] + values[2] <= 0) {
            throw AskExpertException.invalid(field, field + " must not all be zero");
        }
        return new FusionEvidence.Weights(values[0], values[1], values[2]);
    }
}
