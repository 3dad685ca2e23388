package io.askexpert.fusion;

import io.askexpert.agents.Agent;
import io.askexpert.agents.AgentCatalog;
import io.askexpert.agents.CatalogueFollower;
import io.askexpert.agents.ImportProgress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

/**
 * When the catalogue is routable: fusion's snapshot holds a catalogue version once it was read at
 * that version or later, with every profile embedded. Catalogue writes wait for it
 * ({@link CatalogueFollower}), and so does a serving instance's start-up: the ready event (and with it the
 * banner and {@code /health}) waits until the snapshot holds the catalogue, so a mode 2 question
 * asked right after never meets an empty snapshot.
 */
public final class FusionCatalogue implements CatalogueFollower {

    private static final Logger log = LoggerFactory.getLogger(FusionCatalogue.class);
    /** Long enough to embed a 1,000-expert catalogue on two busy cores. */
    static final Duration WAIT = Duration.ofMinutes(10);

    private final CatalogueSnapshots snapshots;
    private final AgentCatalog catalog;
    private final boolean serving;

    FusionCatalogue(CatalogueSnapshots snapshots, AgentCatalog catalog, boolean serving) {
        this.snapshots = snapshots;
        this.catalog = catalog;
        this.serving = serving;
    }

    /**
     * The texts an agent is embedded as for routing (its profile, its role line with its
     * capabilities), in the order the vector source averages them: for tools that study the
     * vector source's ranking outside a selection.
     */
    public static List<String> vectorTexts(Agent agent) {
        return AgentCatalogExperts.entry(agent).vectorTexts();
    }

    /** Waits until the snapshot holds the catalogue as it is now; returns the experts it holds. */
    public int awaitCurrent(Duration timeout, ImportProgress progress) throws TimeoutException {
        return snapshots.awaitCatalogueVersion(catalog.version(), timeout, progress::indexed).size();
    }

    /**
     * In a serving process the write returns once this instance routes over it. A command-line
     * import builds the snapshot too: that embeds the new profiles (with progress) and stores the
     * vectors, so the serving instance that picks the change up, at start or within its poll,
     * reads them instead of embedding them again.
     */
    @Override
    public void awaitVersion(long version, ImportProgress progress) {
        try {
            snapshots.awaitCatalogueVersion(version, WAIT, progress::indexed);
        } catch (TimeoutException e) {
            log.warn("Catalogue version {} written; routing still runs on an older snapshot: {}", version, e.getMessage());
        }
    }

    /** After the starter catalogue is loaded (order 0), before the banner and readiness. */
    @Order(1)
    @EventListener(ApplicationReadyEvent.class)
    void awaitAtStart() {
        if (!serving) {
            return;
        }
        long started = System.nanoTime();
        try {
            int experts = awaitCurrent(WAIT, done -> { });
            log.info("Routing ready: {} experts in the fusion snapshot after {} ms", experts,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        } catch (TimeoutException | RuntimeException e) {
            // Serve anyway: fusion falls back while the snapshot is behind.
            log.warn("Routing snapshot not ready at start: {}", e.toString());
        }
    }
}
