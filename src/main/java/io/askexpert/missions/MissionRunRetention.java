package io.askexpert.missions;

import io.askexpert.runs.RunRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One periodic duty: the event log of every mission that has not ended is kept alive, so a client
 * can attach and replay the whole run however long the mission waits for a person (an event log
 * otherwise forgets a run some time after its last event). Ended missions' runs keep the ordinary
 * retention after their terminal event.
 */
final class MissionRunRetention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MissionRunRetention.class);
    private static final int BATCH = 500;

    private final MissionStore store;
    private final RunRegistry runs;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("mission-run-retention").factory());

    MissionRunRetention(MissionStore store, RunRegistry runs, Duration period) {
        this.store = store;
        this.runs = runs;
        timer.scheduleWithFixedDelay(this::keepQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void keepQuietly() {
        try {
            keep();
        } catch (RuntimeException e) {
            log.debug("Keeping mission runs failed: {}", e.getClass().getSimpleName());
        }
    }

    int keep() {
        int kept = 0;
        String after = null;
        List<String> page;
        do {
            page = store.liveRunIds(BATCH, after);
            for (String runId : page) {
                runs.keepAlive(runId);
                kept++;
            }
            after = page.isEmpty() ? after : page.getLast();
        } while (page.size() == BATCH);
        return kept;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
