package io.askexpert.knowledge;

import io.askexpert.instances.ServiceInstances;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails ingestion jobs whose instance died, at start-up and every {@code period}, saying how far
 * each got. Their documents lived only in that instance's memory, so a job cannot be resumed;
 * each document it finished is already committed on its own (nothing is half-written).
 */
final class OrphanedJobs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OrphanedJobs.class);
    /** Jobs recorded before jobs had an instance are judged by how long they have not moved. */
    private static final Duration UNOWNED_AFTER = Duration.ofMinutes(10);

    private final JobStore jobs;
    private final ServiceInstances instances;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("orphaned-jobs").factory());

    OrphanedJobs(JobStore jobs, ServiceInstances instances, Duration period) {
        this.jobs = jobs;
        this.instances = instances;
        timer.scheduleWithFixedDelay(this::sweep, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            int failed = jobs.failOrphans(instances, UNOWNED_AFTER.toSeconds());
            if (failed > 0) {
                log.info("Failed {} ingestion job(s) left running by instances that stopped", failed);
            }
        } catch (RuntimeException e) {
            log.debug("Orphaned job sweep failed: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
