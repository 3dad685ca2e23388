package io.askexpert.database;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Runs a database write again while the database is briefly unreachable ({@code DATABASE_RETRY_TIMEOUT}):
 * the pool's wait for a connection timed out, the server restarted and cut its connections, a
 * commit's reply was lost. Attempts are spaced by an exponential backoff with jitter (so the writes
 * that waited do not all return at once), and no attempt starts once the time is spent; any other
 * failure, and the last one when the time is spent, is thrown as it came.
 *
 * <p>A write handed here may run again after a commit whose reply was lost, so it must be written
 * to find what such a commit left and not write it twice.
 */
public final class DatabaseRetry {

    /** PostgreSQL's SQLSTATE classes of a lost or refused connection: {@code 08} connection exception, {@code 57P} a restart. */
    private static final String[] CONNECTION_STATES = {"08", "57P01", "57P02", "57P03", "53300"};

    private final @Nullable RetryTemplate template;

    /** Retries for {@code timeout} (zero: never), first after 50 ms, doubling up to 1 s between attempts. */
    public DatabaseRetry(Duration timeout) {
        this(timeout, Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    DatabaseRetry(Duration timeout, Duration firstDelay, Duration maxDelay) {
        this.template = timeout.isZero() ? null : new RetryTemplate(RetryPolicy.builder()
                .predicate(DatabaseRetry::transientFailure)
                .maxRetries(Long.MAX_VALUE)
                .timeout(timeout)
                .delay(firstDelay)
                .multiplier(2)
                .maxDelay(maxDelay)
                .jitter(firstDelay.dividedBy(2))
                .build());
    }

    /** Runs {@code write}, again after each transient failure while the time lasts; returns its result. */
    public <T> T run(Supplier<T> write) {
        return template == null ? write.get() : template.invoke(write);
    }

    /**
     * True when {@code failure} (or what caused it) says the database could not be reached or
     * dropped the connection, as opposed to refusing the statement: a later attempt, on a new
     * connection, may succeed. Spring's own transient kinds count, and so does a commit or
     * rollback that failed on a connection PostgreSQL closed (its SQLSTATE {@code 08…}, or
     * {@code 57P0x} when the server shut down or is starting).
     */
    public static boolean transientFailure(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                for (String state : CONNECTION_STATES) {
                    if (sql.getSQLState().startsWith(state)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
