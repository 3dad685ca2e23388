package io.askexpert.interactive;

import io.askexpert.auth.TenantContext;
import io.askexpert.cost.CostLedger;
import io.askexpert.cost.CostRecord;
import io.askexpert.database.DatabaseRetry;
import io.askexpert.llm.LlmEvent;
import io.askexpert.sessions.Message;
import io.askexpert.sessions.NewMessage;
import io.askexpert.sessions.SessionStore;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The writes that end an answer once the model has finished: the reply with its cost, or the cost
 * of a call that failed. Each is one transaction, tried again through a short database outage
 * ({@link DatabaseRetry}, {@code DATABASE_RETRY_TIMEOUT}), so an answer the client already read
 * ends with {@code done} rather than an error. An attempt after the first locks the session's row
 * and looks for what an earlier attempt committed before its reply was lost, so nothing is stored
 * or billed twice.
 */
final class AnswerEnd {

    private static final Logger log = LoggerFactory.getLogger(AnswerEnd.class);

    private final SessionStore sessions;
    private final CostLedger costs;
    private final TransactionTemplate writes;
    private final DatabaseRetry retry;

    AnswerEnd(SessionStore sessions, CostLedger costs, TransactionTemplate writes, DatabaseRetry retry) {
        this.sessions = sessions;
        this.costs = costs;
        this.writes = writes;
        this.retry = retry;
    }

    /** Stores the reply and its cost together (never one without the other); returns the message's id. */
    String storeReply(TenantContext caller, String sessionId, String runId, NewMessage reply, LlmEvent.Completed done) {
        int[] attempts = {0};
        String messageId = retry.run(() -> writes.execute(tx -> {
            if (attempts[0]++ > 0) {
                sessions.lock(caller.tenantId(), caller.userId(), sessionId);
                Optional<String> stored = sessions.replyOf(caller.tenantId(), caller.userId(), sessionId, runId);
                if (stored.isPresent()) {
                    return stored.get();
                }
            }
            Message stored = sessions.append(caller.tenantId(), caller.userId(), sessionId, reply);
            costs.record(CostRecord.of(caller.tenantId(), caller.userId(), sessionId, stored.messageId(), runId, done));
            return stored.messageId();
        }));
        afterOutage(runId, attempts[0], "its answer");
        return Objects.requireNonNull(messageId);
    }

    /**
     * Bills what the provider charged for a call that failed or was cancelled: the ledger row and
     * the session's total move together, as for a stored answer. The session's row is locked first
     * on every attempt, so a later attempt's look waits for an earlier commit still in flight.
     */
    void billFailure(TenantContext caller, String sessionId, String runId, LlmEvent.Failed failed, BigDecimal partial) {
        int[] attempts = {0};
        retry.run(() -> writes.execute(tx -> {
            sessions.lock(caller.tenantId(), caller.userId(), sessionId);
            if (attempts[0]++ > 0 && costs.recorded(caller.tenantId(), sessionId, runId)) {
                return null;
            }
            costs.record(CostRecord.of(caller.tenantId(), caller.userId(), sessionId, null, runId, failed, partial));
            if (partial.signum() > 0) {
                sessions.addCost(caller.tenantId(), caller.userId(), sessionId, partial);
            }
            return null;
        }));
        afterOutage(runId, attempts[0], "the cost of its failed call");
    }

    private static void afterOutage(String runId, int attempts, String what) {
        if (attempts > 1) {
            log.info("Run {} stored {} at attempt {}: the database was unreachable before", runId, what, attempts);
        }
    }
}
