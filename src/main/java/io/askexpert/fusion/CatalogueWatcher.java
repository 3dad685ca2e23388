package io.askexpert.fusion;

import io.askexpert.agents.CatalogueChanged;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;

/**
 * Keeps the snapshot and the selection cache in step with the catalogue: at once on this
 * instance's {@link CatalogueChanged}, and by polling the catalogue version for changes committed
 * by another instance.
 */
final class CatalogueWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CatalogueWatcher.class);
    /** How long closing waits for a poll in progress (one small query). */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final CatalogueSnapshots snapshots;
    private final FusionCache cache;
    private final LongSupplier catalogueVersion;
    private final ScheduledExecutorService poller;
    private volatile long seenVersion = -1;

    CatalogueWatcher(CatalogueSnapshots snapshots, FusionCache cache, LongSupplier catalogueVersion, Duration every) {
        this.snapshots = snapshots;
        this.cache = cache;
        this.catalogueVersion = catalogueVersion;
        // Read before the first snapshot is built, so a change committed in between is noticed.
        poll();
        this.poller = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("fusion-catalogue-poll").factory());
        poller.scheduleWithFixedDelay(this::poll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @EventListener
    void on(CatalogueChanged event) {
        seenVersion = Math.max(seenVersion, event.version());
        changed();
    }

    void poll() {
        try {
            long version = catalogueVersion.getAsLong();
            if (seenVersion >= 0 && version != seenVersion) {
                changed();
            }
            seenVersion = version;
        } catch (RuntimeException e) {
            log.debug("Catalogue version check failed: {}", e.toString());
        }
    }

    private void changed() {
        // Clear now so no selection made from the old catalogue is served; clear again on swap.
        cache.clear();
        snapshots.refresh();
    }

    /**
     * Stops the thread and waits (up to {@link #CLOSE_WAIT}) for a read it started: the context
     * closes the connection pool after this bean, and a query still running then fails on a
     * closed connection and logs its stack trace as the process exits.
     */
    @Override
    public void close() {
        ExecutorStop.stopAndWait(poller, CLOSE_WAIT);
    }
}
