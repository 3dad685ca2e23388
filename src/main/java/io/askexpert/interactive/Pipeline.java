package io.askexpert.interactive;

import io.askexpert.agents.AgentCatalog;
import io.askexpert.fusion.FusionEngine;
import io.askexpert.fusion.FusionEvidence;
import io.askexpert.fusion.FusionRequest;
import io.askexpert.fusion.FusionResult;
import io.askexpert.llm.LlmGateway;
import io.askexpert.sessions.SessionStore;
import java.util.concurrent.ExecutorService;
import org.springframework.transaction.support.TransactionTemplate;

/** The capabilities an interactive run calls, stage by stage; one instance serves every run. */
record Pipeline(AgentCatalog catalog, FusionEngine fusion, PassageFinder passages, LlmGateway llm,
                SessionStore sessions, TransactionTemplate writes, InteractiveMetrics metrics,
                ExecutorService background, RowWrites rows, AnswerEnd ends) {

    FusionResult selectExperts(String tenantId, Question question) {
        double[] w = question.fusionWeights();
        return fusion.select(new FusionRequest(question.query(), tenantId, question.maxExperts(), question.context(),
                w == null ? null : new FusionEvidence.Weights(w[0], w[1], w[2])));
    }
}
