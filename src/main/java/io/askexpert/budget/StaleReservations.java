package io.askexpert.budget;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases reservations held longer than {@code staleAfter}, every {@code period}. A worker that
 * died between reserving and settling would otherwise lock that money until its mission ends; the
 * worker that takes the mission over reserves under the same key and either finds the row still
 * open or holds it again. {@code staleAfter} must exceed the longest call (a settle that comes
 * after the release still charges the real cost, but the limit was not guarding it meanwhile).
 */
final class StaleReservations implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StaleReservations.class);

    private final BudgetLedger ledger;
    private final Duration staleAfter;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("stale-reservations").factory());

    StaleReservations(BudgetLedger ledger, Duration staleAfter, Duration period) {
        this.ledger = ledger;
        this.staleAfter = staleAfter;
        timer.scheduleWithFixedDelay(this::sweep, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One pass; returns how many reservations it released. */
    int sweep() {
        try {
            int released = ledger.releaseStale(staleAfter);
            if (released > 0) {
                log.info("Released {} budget reservation(s) held longer than {}", released, staleAfter);
            }
            return released;
        } catch (RuntimeException e) {
            // The database may be away for a moment; the next pass tries again.
            log.debug("Stale reservation sweep failed: {}", e.getClass().getSimpleName());
            return 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
