package io.askexpert.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class DatabaseRetryTest {

    /** What Hikari throws when no connection came within its timeout (the database is down). */
    private static CannotCreateTransactionException poolTimeout() {
        return new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
                new SQLTransientConnectionException("ask-expert - Connection is not available, request timed out after 5000ms"));
    }

    @Test
    void a_transient_failure_is_retried_until_the_write_succeeds() {
        DatabaseRetry retry = new DatabaseRetry(Duration.ofSeconds(10), Duration.ofMillis(1), Duration.ofMillis(4));
        AtomicInteger attempts = new AtomicInteger();
        String result = retry.run(() -> {
            if (attempts.incrementAndGet() < 4) {
                throw poolTimeout();
            }
            return "stored";
        });
        assertThat(result).isEqualTo("stored");
        assertThat(attempts).hasValue(4);
    }

    @Test
    void a_failure_that_is_not_transient_is_thrown_after_one_attempt() {
        DatabaseRetry retry = new DatabaseRetry(Duration.ofSeconds(10), Duration.ofMillis(1), Duration.ofMillis(4));
        AtomicInteger attempts = new AtomicInteger();
        DuplicateKeyException refused = new DuplicateKeyException("duplicate key");
        assertThatThrownBy(() -> retry.run(() -> {
            attempts.incrementAndGet();
            throw refused;
        })).isSameAs(refused);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void once_the_time_is_spent_the_last_failure_is_thrown_as_it_came() {
        DatabaseRetry retry = new DatabaseRetry(Duration.ofMillis(200), Duration.ofMillis(5), Duration.ofMillis(20));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retry.run(() -> {
            attempts.incrementAndGet();
            throw poolTimeout();
        })).isInstanceOf(CannotCreateTransactionException.class);
        assertThat(attempts.get()).isGreaterThan(1);
    }

    @Test
    void a_zero_timeout_never_retries() {
        DatabaseRetry retry = new DatabaseRetry(Duration.ZERO);
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retry.run(() -> {
            attempts.incrementAndGet();
            throw poolTimeout();
        })).isInstanceOf(CannotCreateTransactionException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void lost_and_refused_connections_are_transient_refused_statements_are_not() {
        // A commit on a connection PostgreSQL closed (restart): 08006 under DataSourceTransactionManager's wrapper.
        assertThat(DatabaseRetry.transientFailure(new TransactionSystemException("JDBC commit failed",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")))).isTrue();
        // "terminating connection due to administrator command", translated by its SQLSTATE class 57.
        assertThat(DatabaseRetry.transientFailure(new DataAccessResourceFailureException("insert",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(DatabaseRetry.transientFailure(new CannotGetJdbcConnectionException("no connection"))).isTrue();
        assertThat(DatabaseRetry.transientFailure(poolTimeout())).isTrue();

        assertThat(DatabaseRetry.transientFailure(new DataIntegrityViolationException("fk",
                new SQLException("violates foreign key constraint", "23503")))).isFalse();
        assertThat(DatabaseRetry.transientFailure(new BadSqlGrammarException("insert", "insert into nowhere",
                new SQLException("relation does not exist", "42P01")))).isFalse();
        // A disk that is full (53100) is no blip: only too many connections (53300) is.
        assertThat(DatabaseRetry.transientFailure(new DataAccessResourceFailureException("insert",
                new SQLException("could not extend file", "53100")))).isFalse();
        assertThat(DatabaseRetry.transientFailure(new IllegalStateException("no"))).isFalse();
    }
}
