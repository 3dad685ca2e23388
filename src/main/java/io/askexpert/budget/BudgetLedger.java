package io.askexpert.budget;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Entry point of budgets. PostgreSQL rows per mission (limit, spent, reserved) and per tenant and
 * month; every reservation is one conditional UPDATE ({@code spent + reserved + amount <= limit})
 * of each, in one transaction, so concurrent callers on any number of instances never pass a limit
 * together. A reservation is a row keyed by the caller's key, unique per mission, and reserving the
 * same key again answers by the state of its latest row:
 * <ul>
 *   <li>open: the same reservation, nothing more held (a worker that took a mission over finds what
 *       the dead one held, and two workers racing on one key share one reservation);</li>
 *   <li>released (by {@link #release}, {@link #releaseOpen} or {@link StaleReservations}): the same
 *       row, held again under the limits, or refused;</li>
 *   <li>settled: the call is running again (a retry, or a takeover after a crash between settling
 *       and recording the result), so a new attempt is held and charged on its own, with its own id.
 *       Reserve a key only when the call is about to run: a replay that returns a recorded result
 *       reserves nothing.</li>
 * </ul>
 * {@link #settle} and {@link #release} are compare-and-set on the row's status, so a second call
 * changes nothing. Settling adds the real cost to spent even above the estimate, and even after the
 * hold was released as stale: money the provider charged is never forgotten.
 * <p>
 * The limit therefore holds as long as each estimate bounds its call's cost (input tokens priced
 * plus {@code max_tokens} at the output price); a call that costs more than its estimate is
 * charged in full and may take spent past the limit by that difference.
 */
@Service
public class BudgetLedger {

    /** Decimals of every amount column (numeric(18, 8)). */
    static final int SCALE = 8;
    /** Concurrent reserves of one key each lose at most one insert race per attempt; this bounds the loop. */
    private static final int MAX_KEY_RACES = 8;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Holdings holdings;
    private final Clock clock;

    @Autowired
    public BudgetLedger(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    BudgetLedger(DataSource dataSource, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.holdings = new Holdings(jdbc);
        this.clock = clock;
    }

    /** Creates the mission's budget; a second call (any limit) changes nothing. */
    public void openMission(String tenantId, UUID missionId, BigDecimal limitUsd) {
        requireAmount("limitUsd", limitUsd);
        jdbc.sql("""
                        INSERT INTO mission_budgets (mission_id, tenant_id, limit_usd) VALUES (:m, :t, :l)
                        ON CONFLICT (mission_id) DO NOTHING""")
                .param("m", missionId).param("t", tenantId).param("l", limitUsd).update();
    }

    /** Holds {@code request.amountUsd()} or says which limit refused it; see the class comment for keys. */
    public ReserveOutcome reserve(ReservationRequest request) {
        String tenant = tenantOf(request.missionId());
        if (!tenant.equals(request.tenantId())) {
            throw new IllegalArgumentException("mission " + request.missionId() + " belongs to another tenant");
        }
        String month = currentMonth();
        // At the column's scale, rounded up: the hold never falls short, and the same key reads back equal.
        BigDecimal amount = request.amountUsd().setScale(SCALE, RoundingMode.UP);
        return Objects.requireNonNull(tx.execute(status -> {
            for (int tries = 0; tries < MAX_KEY_RACES; tries++) {
                Optional<Row> latest = jdbc.sql("""
                                SELECT id, mission_id, tenant_id, month, attempt, amount_usd, status FROM budget_reservations
                                WHERE mission_id = :m AND key = :key ORDER BY attempt DESC LIMIT 1 FOR UPDATE""")
                        .param("m", request.missionId()).param("key", request.key()).query(Row::read).optional();
                UUID id;
                if (latest.isPresent() && latest.get().status().equals("open")) {
                    return new ReserveOutcome.Reserved(latest.get().reservation());
                } else if (latest.isPresent() && latest.get().status().equals("released")) {
                    // Released (stale, or by a mission that stopped): the same row, held again under the limits.
                    id = latest.get().id();
                    jdbc.sql("""
                                    UPDATE budget_reservations SET status = 'open', amount_usd = :x, month = :mo, held_at = now(),
                                                                   settled_at = NULL
                                    WHERE id = :id""")
                            .param("x", amount).param("mo", month).param("id", id).update();
                } else {
                    // None yet, or the last one was settled and the call runs again: a new attempt.
                    id = UUID.randomUUID();
                    int inserted = jdbc.sql("""
                                    INSERT INTO budget_reservations (id, mission_id, tenant_id, month, key, attempt, purpose,
                                                                     amount_usd, status)
                                    VALUES (:id, :m, :t, :mo, :key, :attempt, :purpose, :x, 'open')
                                    ON CONFLICT (mission_id, key, attempt) DO NOTHING""")
                            .param("id", id).param("m", request.missionId()).param("t", tenant).param("mo", month)
                            .param("key", request.key()).param("attempt", latest.map(r -> r.attempt() + 1).orElse(1))
                            .param("purpose", clip(request.purpose(), 200)).param("x", amount).update();
                    if (inserted == 0) {
                        continue; // a concurrent reserve of this key committed that attempt first: take its row
                    }
                }
                Optional<ReserveOutcome.Refused> refused = holdings.hold(request.missionId(), tenant, month, amount);
                if (refused.isPresent()) {
                    status.setRollbackOnly();
                    return refused.get();
                }
                return new ReserveOutcome.Reserved(new Reservation(id, request.missionId(), amount));
            }
            throw new IllegalStateException("reservation key " + request.key() + " kept changing under concurrent reserves");
        }));
    }

    /** Frees the reservation and adds {@code actualUsd} to spent; a settled reservation stays as it is. */
    public void settle(UUID reservationId, BigDecimal actualUsd) {
        requireAmount("actualUsd", actualUsd);
        tx.executeWithoutResult(status -> {
            Row row = lock(reservationId);
            switch (row.status()) {
                case "open" -> holdings.spend(row.missionId(), row.tenantId(), row.month(), row.amountUsd(), actualUsd);
                case "released" -> holdings.spend(row.missionId(), row.tenantId(), row.month(), BigDecimal.ZERO, actualUsd);
                default -> {
                    return; // settled before: idempotent
                }
            }
            jdbc.sql("UPDATE budget_reservations SET status = 'settled', actual_usd = :a, settled_at = now() WHERE id = :id")
                    .param("a", actualUsd).param("id", reservationId).update();
        });
    }

    /** Frees the reservation without spending; anything but an open reservation stays as it is. */
    public void release(UUID reservationId) {
        releaseIfOpen(reservationId);
    }

    /** Releases every reservation the mission still holds (it ended); returns how many. */
    public int releaseOpen(UUID missionId) {
        return releaseAll(jdbc.sql("SELECT id FROM budget_reservations WHERE mission_id = :m AND status = 'open'")
                .param("m", missionId).query(UUID.class).list());
    }

    /** Releases reservations held longer than {@code age} (their worker presumably died); returns how many. */
    int releaseStale(Duration age) {
        return releaseAll(jdbc.sql("""
                        SELECT id FROM budget_reservations
                        WHERE status = 'open' AND held_at < now() - make_interval(secs => :s)""")
                .param("s", (double) age.toMillis() / 1000).query(UUID.class).list());
    }

    /** The mission's limit, spent and reserved now; {@code MISSION_NOT_FOUND} when it has no budget. */
    public MissionBudget missionBudget(UUID missionId) {
        return jdbc.sql("SELECT limit_usd, spent_usd, reserved_usd FROM mission_budgets WHERE mission_id = :m")
                .param("m", missionId)
                .query((rs, n) -> new MissionBudget(rs.getBigDecimal(1), rs.getBigDecimal(2), rs.getBigDecimal(3)))
                .optional().orElseThrow(() -> notFound(missionId));
    }

    /** A human approved more budget: the limit becomes {@code newLimitUsd} unless it is already higher. */
    public void raiseMissionLimit(UUID missionId, BigDecimal newLimitUsd) {
        requireAmount("newLimitUsd", newLimitUsd);
        int updated = jdbc.sql("""
                        UPDATE mission_budgets SET limit_usd = greatest(limit_usd, :l), updated_at = now()
                        WHERE mission_id = :m""")
                .param("l", newLimitUsd).param("m", missionId).update();
        if (updated == 0) {
            throw notFound(missionId);
        }
    }

    public Optional<BigDecimal> tenantMonthlyLimit(String tenantId) {
        return jdbc.sql("SELECT monthly_limit_usd FROM tenant_budgets WHERE tenant_id = :t")
                .param("t", tenantId).query(BigDecimal.class).optional();
    }

    /** Sets the tenant's monthly limit on mission spend; {@code null} removes it. Reservations held stay held. */
    public void setTenantMonthlyLimit(String tenantId, @Nullable BigDecimal limitUsd) {
        if (limitUsd == null) {
            jdbc.sql("DELETE FROM tenant_budgets WHERE tenant_id = :t").param("t", tenantId).update();
            return;
        }
        requireAmount("limitUsd", limitUsd);
        jdbc.sql("""
                        INSERT INTO tenant_budgets (tenant_id, monthly_limit_usd) VALUES (:t, :l)
                        ON CONFLICT (tenant_id) DO UPDATE SET monthly_limit_usd = :l, updated_at = now()""")
                .param("t", tenantId).param("l", limitUsd).update();
    }

    /** The tenant's current month (UTC): its limit, if any, and what missions spent and hold in it. */
    public TenantMonthBudget tenantMonth(String tenantId) {
        String month = currentMonth();
        BigDecimal[] sums = jdbc.sql("SELECT spent_usd, reserved_usd FROM tenant_budget_months WHERE tenant_id = :t AND month = :mo")
                .param("t", tenantId).param("mo", month)
                .query((rs, n) -> new BigDecimal[] {rs.getBigDecimal(1), rs.getBigDecimal(2)})
                .optional().orElse(new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
        return new TenantMonthBudget(tenantId, month, tenantMonthlyLimit(tenantId).orElse(null), sums[0], sums[1]);
    }

    private int releaseAll(List<UUID> ids) {
        int released = 0;
        for (UUID id : ids) {
            if (releaseIfOpen(id)) {
                released++;
            }
        }
        return released;
    }

    private boolean releaseIfOpen(UUID reservationId) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            Row row = lock(reservationId);
            if (!row.status().equals("open")) {
                return false;
            }
            holdings.free(row.missionId(), row.tenantId(), row.month(), row.amountUsd());
            jdbc.sql("UPDATE budget_reservations SET status = 'released', settled_at = now() WHERE id = :id")
                    .param("id", reservationId).update();
            return true;
        }));
    }

    private Row lock(UUID reservationId) {
        return jdbc.sql("""
                        SELECT id, mission_id, tenant_id, month, attempt, amount_usd, status FROM budget_reservations
                        WHERE id = :id FOR UPDATE""")
                .param("id", reservationId).query(Row::read).optional()
                .orElseThrow(() -> new IllegalArgumentException("no reservation " + reservationId));
    }

    private String tenantOf(UUID missionId) {
        return jdbc.sql("SELECT tenant_id FROM mission_budgets WHERE mission_id = :m").param("m", missionId)
                .query(String.class).optional().orElseThrow(() -> notFound(missionId));
    }

    private String currentMonth() {
        return YearMonth.now(clock.withZone(ZoneOffset.UTC)).toString();
    }

    private static AskExpertException notFound(UUID missionId) {
        return AskExpertException.notFound(ErrorCode.MISSION_NOT_FOUND, "mission budget", missionId.toString());
    }

    private static void requireAmount(String name, BigDecimal amount) {
        if (amount.signum() < 0) {
            throw new IllegalArgumentException(name + " cannot be negative");
        }
    }

    private static String clip(@Nullable String text, int max) {
        String s = text == null ? "" : text;
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** One reservation row as read under its lock. */
    private record Row(UUID id, UUID missionId, String tenantId, String month, int attempt, BigDecimal amountUsd,
                       String status) {
        static Row read(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
            return new Row(rs.getObject("id", UUID.class), rs.getObject("mission_id", UUID.class), rs.getString("tenant_id"),
                    rs.getString("month"), rs.getInt("attempt"), rs.getBigDecimal("amount_usd"), rs.getString("status"));
        }

        Reservation reservation() {
            return new Reservation(id, missionId, amountUsd);
        }
    }
}
