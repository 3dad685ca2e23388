package io.askexpert.queue;

import io.askexpert.config.Mode;
import io.askexpert.observability.ComponentHealth;
import io.askexpert.observability.HealthCheck;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * {@code queue} in {@code /health/detailed}: whether the mission queue answers and how many missions
 * wait in it. For Redis the probe is {@code LLEN} of the list (so the detail shows what the runbook's
 * {@code LLEN ask_expert_queue} would, and {@code latency_ms} the round trip); in-process, the deque's
 * size. Not required: Redis's own check already decides whether the service can serve at all, and
 * only missions (modes 3 and 4) need the queue.
 */
final class QueueHealthCheck implements HealthCheck {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    /** How many ids wait, or an exception when the queue cannot be reached. */
    @FunctionalInterface
    interface Probe {
        long depth() throws Exception;
    }

    private final String where;
    private final Probe probe;

    QueueHealthCheck(String where, Probe probe) {
        this.where = where;
        this.probe = probe;
    }

    static QueueHealthCheck redis(RedisMissionQueue queue) {
        return new QueueHealthCheck("Redis list " + queue.key(), () -> queue.depthWithin(PROBE_TIMEOUT));
    }

    static QueueHealthCheck inProcess(InProcessMissionQueue queue) {
        return new QueueHealthCheck("in-process queue (REDIS_URL not set)", queue::depth);
    }

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public Set<Mode> modes() {
        return EnumSet.of(Mode.MODE3, Mode.MODE4);
    }

    @Override
    public ComponentHealth check() {
        try {
            long depth = probe.depth();
            return ComponentHealth.healthy(where + ": " + depth + (depth == 1 ? " mission" : " missions") + " waiting");
        } catch (TimeoutException e) {
            return ComponentHealth.unhealthy(where + " did not answer within " + PROBE_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ComponentHealth.unhealthy("interrupted");
        } catch (Exception e) {
            // The exception's message may name the server: only its type is shown.
            return ComponentHealth.unhealthy(where + " unreachable (" + e.getClass().getSimpleName() + ")");
        }
    }
}
