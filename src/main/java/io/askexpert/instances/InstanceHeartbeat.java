package io.askexpert.instances;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records that this instance is alive, every {@code interval}; its one duty. */
final class InstanceHeartbeat implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstanceHeartbeat.class);

    private final ServiceInstances instances;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("instance-heartbeat").factory());

    InstanceHeartbeat(ServiceInstances instances, Duration interval) {
        this.instances = instances;
        instances.register();
        long period = interval.toMillis();
        timer.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            instances.beat();
        } catch (RuntimeException e) {
            // The database is down: nothing to record it in; the next beat tries again.
            log.debug("Instance heartbeat failed: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            instances.leave();
        } catch (RuntimeException e) {
            log.debug("Could not remove instance {} on shutdown: {}", instances.id(), e.getClass().getSimpleName());
        }
    }
}
