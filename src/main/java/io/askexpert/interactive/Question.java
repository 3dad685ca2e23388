package io.askexpert.interactive;

import io.askexpert.config.Mode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A validated interactive request with every default applied. */
public record Question(Mode mode, String query, @Nullable String agentId, @Nullable String sessionId,
                       List<HistoryWindow.Turn> clientHistory, boolean includeCitations, boolean includeReasoning,
                       boolean enableRag, int maxTokens, boolean continueOnDisconnect, boolean interrupt,
                       boolean enableFusion, int maxExperts, boolean includeEvidence,
                       double @Nullable [] fusionWeights, Map<String, String> context) {

    public Question {
        clientHistory = List.copyOf(clientHistory);
        context = Map.copyOf(context);
    }
}
