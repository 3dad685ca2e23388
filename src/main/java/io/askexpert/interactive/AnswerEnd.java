package io.askexpert.interactive;

import io.askexpert.auth.TenantContext;
import io.askexpert.cost.CostLedger;
import io.askexpert.cost.CostRecord;
import io.askexpert.database.DatabaseRetry;
import io.askexpert.llm.LlmEvent;
import io.askexpert.runs.RunEvent;
import io.askexpert.runs.RunHandle;
import io.askexpert.runs.RunRegistry;
import io.askexpert.sessions.NewMessage;
import io.askexpert.sessions.SessionStore;
import java.math.BigDecimal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The writes that end an answer once the model has finished: the reply with its cost and the
 * run's closed row, or the cost of a call that failed. Each is one transaction, tried again through
 * a short database outage ({@link DatabaseRetry}, {@code DATABASE_RETRY_TIMEOUT}), so an answer the
 * client already read ends with {@code done} rather than an error. An attempt after the first
 * locks the session's row and looks for what an earlier attempt committed before its reply was
 * lost, so nothing is stored or billed twice.
 */
final class AnswerEnd {

    private static final Logger log = LoggerFactory.getLogger(AnswerEnd.class);

    private final SessionStore sessions;
    private final CostLedger costs;
    private final TransactionTemplate writes;
    private final DatabaseRetry retry;
    private final RunRegistry runs;

    AnswerEnd(SessionStore sessions, CostLedger costs, TransactionTemplate writes, DatabaseRetry retry, RunRegistry runs) {
        this.runs = runs;
        this.sessions = sessions;
        this.costs = costs;
        this.writes = writes;
        this.retry = retry;
    }

    /**
     * Stores the reply (under {@code messageId}, which {@code terminal} names), its cost and the
     * run's end with {@code terminal} in one transaction: never one without the others, and a
     * crash leaves either all of them or a run still running that the reaper closes and bills
     * once. Then {@link RunHandle#finish} with {@code terminal} only appends it.
     *
     * @throws IllegalStateException when the run's row was already closed (a reaper took this
     *                               instance for dead and billed the call): nothing is stored
     */
    void storeReply(TenantContext caller, String sessionId, RunHandle run, String messageId, NewMessage reply,
                    LlmEvent.Completed done, RunEvent.Done terminal) {
        int[] attempts = {0};
        retry.run(() -> writes.execute(tx -> {
            if (attempts[0]++ > 0) {
                sessions.lock(caller.tenantId(), caller.userId(), sessionId);
                if (sessions.replyOf(caller.tenantId(), caller.userId(), sessionId, run.runId()).isPresent()) {
                    runs.closedWith(run, terminal);
                    return null;
                }
            }
            sessions.append(caller.tenantId(), caller.userId(), sessionId, messageId, reply);
            costs.record(CostRecord.of(caller.tenantId(), caller.userId(), sessionId, messageId, run.runId(), done));
            if (!runs.closeWith(run, terminal)) {
                throw new IllegalStateException("run " + run.runId() + " was closed by another instance before its "
                        + "answer was stored");
            }
            return null;
        }));
        afterOutage(run.runId(), attempts[0], "its answer");
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
