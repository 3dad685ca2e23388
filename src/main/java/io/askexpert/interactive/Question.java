package io.askexpert.interactive;

import io.askexpert.config.Mode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A validated interactive request with every default applied.
 *
 * @param maxCostUsd what the answer may spend at most (a mission's delegation: what the mission holds
 *                   for it); its {@code max_tokens} is lowered to fit. Null for the API's own questions.
 */
public record Question(Mode mode, String query, @Nullable String agentId, @Nullable String sessionId,
                       List<HistoryWindow.Turn> clientHistory, boolean includeCitations, boolean includeReasoning,
                       boolean enableRag, int maxTokens, boolean continueOnDisconnect, boolean interrupt,
                       boolean enableFusion, int maxExperts, boolean includeEvidence,
                       double @Nullable [] fusionWeights, Map<String, String> context,
                       @Nullable BigDecimal maxCostUsd) {

    public Question {
        clientHistory = List.copyOf(clientHistory);
        context = Map.copyOf(context);
    }
}
