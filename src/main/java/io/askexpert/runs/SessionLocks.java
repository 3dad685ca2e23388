package io.askexpert.runs;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session lock of {@link RunRegistry}: one run at a time per session ({@code 409 SESSION_BUSY}
 * when another run holds it, or that run is cancelled first with {@code multitask=interrupt}).
 */
final class SessionLocks {

    /** Under the registry's name, where operators already look for a run's session warnings. */
    private static final Logger log = LoggerFactory.getLogger(RunRegistry.class);
    /** How long a run may outlive its mode's timeout before the session lock lapses on its own. */
    private static final Duration LOCK_GRACE = Duration.ofSeconds(30);
    /** How long {@code multitask=interrupt} waits for the interrupted run to let go of the session. */
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(5);

    private final RunLock locks;
    /** Cancels a run (its id, the reason) wherever it runs: the holder of a session being interrupted. */
    private final BiConsumer<String, String> cancel;

    SessionLocks(RunLock locks, BiConsumer<String, String> cancel) {
        this.locks = locks;
        this.cancel = cancel;
    }

    /**
     * The session lock's key: session ids are chosen by clients and scoped to their tenant and
     * user, so the key names all three (URL-encoded, so no id can pass for another's).
     */
    static String lockKey(String tenantId, String userId, String sessionId) {
        return URLEncoder.encode(tenantId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(userId, StandardCharsets.UTF_8)
                + ":" + sessionId;
    }

    /** @throws AskExpertException {@code SESSION_BUSY} when another run keeps the session */
    void lock(String lockKey, String sessionId, String runId, RunStart start) {
        Duration ttl = start.timeout().plus(LOCK_GRACE);
        if (locks.tryAcquire(lockKey, runId, ttl)) {
            return;
        }
        Optional<String> holder = locks.holder(lockKey);
        if (start.interrupt() && holder.isPresent()) {
            cancel.accept(holder.get(), "interrupted");
            long deadline = System.nanoTime() + INTERRUPT_WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (locks.tryAcquire(lockKey, runId, ttl)) {
                    return;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } else if (holder.isEmpty() && locks.tryAcquire(lockKey, runId, ttl)) {
            return; // the holder finished between our two looks
        }
        throw new AskExpertException(ErrorCode.SESSION_BUSY, "a run is already active on this session",
                Map.of("session_id", sessionId, "active_run_id", holder.orElse("")));
    }

    /** Lets go of the session at once, failing if the lock cannot be reached (a start that failed). */
    void unlock(String lockKey, String runId) {
        locks.release(lockKey, runId);
    }

    void release(String tenantId, String userId, String sessionId, String runId) {
        try {
            locks.release(lockKey(tenantId, userId, sessionId), runId);
        } catch (RuntimeException e) {
            // The lock expires on its own (mode timeout + grace); a session is never held for ever.
            log.warn("Run {} could not release its session lock: {}", runId, e.getClass().getSimpleName());
        }
    }
}
