package io.askexpert.interactive;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.config.Mode;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.errors.InputText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code /mode1/stream|query} and {@code /mode2/stream|query} (api.md §5.1–5.2),
 * with the aliases existing clients send ({@code message}, {@code messages}, {@code expert_id},
 * {@code conversation_id}). Unknown fields are ignored; {@link #validated(int)} checks every rule
 * and names the offending field.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InteractiveRequest(
        @JsonAlias("message") @Nullable String query,
        @JsonProperty("agent_id") @JsonAlias("expert_id") @Nullable String agentId,
        @JsonProperty("session_id") @JsonAlias("conversation_id") @Nullable String sessionId,
        @JsonProperty("conversation_history") @JsonAlias("messages") @Nullable List<HistoryMessage> conversationHistory,
        @Nullable Options options,
        @Nullable Context context) {

    public static final int MIN_QUERY = 5;
    public static final int MAX_QUERY = 10_000;
    private static final Set<String> ROLES = Set.of("user", "assistant");

    /** One turn sent by a client that keeps its own history. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HistoryMessage(@Nullable String role, @Nullable String content) {
    }

    /** {@code options}; defaults per api.md. Mode 2's fields are ignored by mode 1. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Options(
            @JsonProperty("include_citations") @Nullable Boolean includeCitations,
            @JsonProperty("include_reasoning") @Nullable Boolean includeReasoning,
            @JsonProperty("enable_rag") @Nullable Boolean enableRag,
            @JsonProperty("max_tokens") @Nullable Integer maxTokens,
            @JsonProperty("on_disconnect") @Nullable String onDisconnect,
            @Nullable String multitask,
            @JsonProperty("enable_fusion") @Nullable Boolean enableFusion,
            @JsonProperty("max_experts") @Nullable Integer maxExperts,
            @JsonProperty("include_evidence") @Nullable Boolean includeEvidence,
            @JsonProperty("fusion_weights") @Nullable Weights fusionWeights) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Weights(@Nullable Double vector, @Nullable Double graph, @Nullable Double relational) {
    }

    /** {@code context}: ids that filter and steer retrieval. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Context(@JsonProperty("region_id") @Nullable String regionId,
                          @JsonProperty("domain_id") @Nullable String domainId,
                          @JsonProperty("therapeutic_area_id") @Nullable String therapeuticAreaId,
                          @JsonProperty("phase_id") @Nullable String phaseId) {

        /** As long as the knowledge base's domain names and the catalogue's filter values. */
        public static final int MAX_ID = 128;

        /** The filled-in ids by filter name; an id longer than {@link #MAX_ID} is a validation error naming it. */
        public Map<String, String> asMap() {
            String[][] ids = {{"region_id", regionId}, {"domain_id", domainId},
                    {"therapeutic_area_id", therapeuticAreaId}, {"phase_id", phaseId}};
            for (String[] id : ids) {
                if (id[1] != null && id[1].length() > MAX_ID) {
                    throw AskExpertException.invalid("context." + id[0],
                            "context." + id[0] + " must be at most " + MAX_ID + " characters");
                }
            }
            Map<String, String> map = new LinkedHashMap<>();
            if (regionId != null && !regionId.isBlank()) {
                map.put("region", regionId);
            }
            if (domainId != null && !domainId.isBlank()) {
                map.put("domain", domainId);
            }
            if (therapeuticAreaId != null && !therapeuticAreaId.isBlank()) {
                map.put("therapeutic_area", therapeuticAreaId);
            }
            if (phaseId != null && !phaseId.isBlank()) {
                map.put("phase", phaseId);
            }
            return map;
        }
    }

    /** Checks every rule of the mode's table; returns the request with defaults applied. */
    public Question validated(Mode mode) {
        String q = InputText.require("query", query, MIN_QUERY, MAX_QUERY);
        if (mode == Mode.MODE1 && InputText.isInvisible(agentId)) {
            throw AskExpertException.invalid("agent_id", "agent_id is required in mode 1");
        }
        Options o = options == null ? new Options(null, null, null, null, null, null, null, null, null, null) : options;
        int maxTokens = o.maxTokens() == null ? 2048 : o.maxTokens();
        if (maxTokens < 1 || maxTokens > 8192) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "options.max_tokens must be 1 to 8192",
                    Map.of("field", "options.max_tokens", "min", 1, "max", 8192, "actual", maxTokens));
        }
        String onDisconnect = o.onDisconnect() == null ? "cancel" : o.onDisconnect();
        if (!onDisconnect.equals("cancel") && !onDisconnect.equals("continue")) {
            throw AskExpertException.invalid("options.on_disconnect", "options.on_disconnect must be cancel or continue");
        }
        String multitask = o.multitask() == null ? "reject" : o.multitask();
        if (!multitask.equals("reject") && !multitask.equals("interrupt")) {
            throw AskExpertException.invalid("options.multitask", "options.multitask must be reject or interrupt");
        }
        int maxExperts = o.maxExperts() == null ? 3 : o.maxExperts();
        if (maxExperts < 1 || maxExperts > 5) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "options.max_experts must be 1 to 5",
                    Map.of("field", "options.max_experts", "min", 1, "max", 5, "actual", maxExperts));
        }
        double[] weights = null;
        if (o.fusionWeights() != null) {
            Weights w = o.fusionWeights();
            weights = new double[] {orDefault(w.vector(), 0.40), orDefault(w.graph(), 0.35), orDefault(w.relational(), 0.25)};
            String[] names = {"vector", "graph", "relational"};
            for (int i = 0; i < 3; i++) {
                if (weights[i] < 0 || Double.isNaN(weights[i]) || Double.isInfinite(weights[i])) {
                    throw AskExpertException.invalid("options.fusion_weights." + names[i],
                            "options.fusion_weights." + names[i] + " must be a non-negative number");
                }
            }
            if (weights[0] + weights[1] + weights[2] <= 0) {
                throw AskExpertException.invalid("options.fusion_weights", "options.fusion_weights must not all be zero");
            }
        }
        List<HistoryMessage> history = conversationHistory == null ? List.of() : conversationHistory;
        for (int i = 0; i < history.size(); i++) {
            HistoryMessage m = history.get(i);
            if (m == null || m.role() == null || !ROLES.contains(m.role())) {
                throw AskExpertException.invalid("conversation_history[" + i + "].role",
                        "conversation_history[" + i + "].role must be user or assistant");
            }
            if (InputText.isInvisible(m.content())) {
                throw AskExpertException.invalid("conversation_history[" + i + "].content",
                        "conversation_history[" + i + "].content must not be empty");
            }
        }
        return new Question(mode, q, agentId == null ? null : agentId.strip(),
                sessionId == null || sessionId.isBlank() ? null : sessionId.strip(),
                history.stream().map(m -> new HistoryWindow.Turn(m.role(), m.content())).toList(),
                bool(o.includeCitations()), bool(o.includeReasoning()), bool(o.enableRag()), maxTokens,
                onDisconnect.equals("continue"), multitask.equals("interrupt"), bool(o.enableFusion()), maxExperts,
                bool(o.includeEvidence()), weights, context == null ? Map.of() : context.asMap(), null);
    }

    private static boolean bool(@Nullable Boolean b) {
        return b == null || b;
    }

    private static double orDefault(@Nullable Double d, double fallback) {
        return d == null ? fallback : d;
    }
}
