package io.askexpert.runs;

import java.time.Duration;
import java.util.Optional;

/**
 * One active run per session (api.md §5.4), atomic across instances. The lock is the runbook's
 * live-session key {@code session:<id>}, holding the id of the run that owns it, with an expiry so
 * an instance that dies cannot block a session for longer than the run could have lasted.
 * Implementations: {@code RedisRunLock} (SET NX PX, owner-checked release in Lua) and
 * {@code InProcessRunLock}.
 */
public interface RunLock {

    /** Takes the session for {@code owner} unless someone holds it; true when taken. */
    boolean tryAcquire(String sessionId, String owner, Duration ttl);

    /** Releases the session if {@code owner} still holds it; true when released. */
    boolean release(String sessionId, String owner);

    /** Who holds the session now, if anyone. */
    Optional<String> holder(String sessionId);

    static String key(String sessionId) {
        return "session:" + sessionId;
    }
}
