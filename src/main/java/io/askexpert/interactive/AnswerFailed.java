package io.askexpert.interactive;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.llm.Usage;
import java.math.BigDecimal;
import java.util.Map;

/**
 * An answer whose run started and then ended in {@code error} or {@code cancelled}: the run's id and
 * what it spent until then (its cost row is written), for a caller that pays for it (a mission's
 * delegation). Shown to an API caller as any {@link AskExpertException}: the code, the message and
 * {@code run_id}.
 */
public final class AnswerFailed extends AskExpertException {

    private final String runId;
    private final Usage tokens;
    private final BigDecimal costUsd;

    AnswerFailed(ErrorCode code, String message, String runId, Usage tokens, BigDecimal costUsd) {
        super(code, message, Map.of("run_id", runId));
        this.runId = runId;
        this.tokens = tokens;
        this.costUsd = costUsd;
    }

    public String runId() {
        return runId;
    }

    public Usage tokens() {
        return tokens;
    }

    public BigDecimal costUsd() {
        return costUsd;
    }
}
