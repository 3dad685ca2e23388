package io.askexpert.agents;

import io.askexpert.config.AskExpertSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Loads the public starter catalogue shipped in the jar ({@code starter/agents.yaml}) the first
 * time a serving instance starts on a database that never had it, so a fresh install can answer
 * at once. Idempotent: the load is recorded in {@code catalogue_state}, and an agent an operator
 * changed or removed afterwards is never brought back. {@code ASK_EXPERT_STARTER_CATALOGUE=false}
 * turns it off.
 */
@Component
class StarterCatalogue {

    static final String RESOURCE = "starter/agents.yaml";
    private static final Logger log = LoggerFactory.getLogger(StarterCatalogue.class);

    private final AgentCatalog catalog;
    private final boolean enabled;

    @org.springframework.beans.factory.annotation.Autowired
    StarterCatalogue(AgentCatalog catalog, AskExpertSettings settings,
                     @Value("${ask-expert.starter-catalogue:true}") boolean enabled) {
        // Only a process serving the API loads it: short commands and workers leave the catalogue alone.
        this(catalog, enabled && settings.servesApi());
    }

    StarterCatalogue(AgentCatalog catalog, boolean enabled) {
        this.catalog = catalog;
        this.enabled = enabled;
    }

    @Order(0)
    @EventListener(ApplicationReadyEvent.class)
    void loadOnFirstStart() {
        if (!enabled) {
            return;
        }
        try {
            if (catalog.starterLoaded()) {
                return;
            }
            ImportReport report = load();
            log.info("Starter catalogue loaded: {} created, {} updated, {} unchanged, {} rejected",
                    report.count(ImportReport.Outcome.CREATED), report.count(ImportReport.Outcome.UPDATED),
                    report.count(ImportReport.Outcome.UNCHANGED), report.count(ImportReport.Outcome.FAILED));
        } catch (RuntimeException e) {
            // The service still serves without it; the next start tries again.
            log.warn("Starter catalogue not loaded: {}", e.getMessage());
        }
    }

    ImportReport load() {
        List<?> records = records();
        ImportReport report = catalog.importRecords(null, records, done -> { });
        report.results().stream().filter(r -> r.outcome() == ImportReport.Outcome.FAILED)
                .forEach(r -> log.warn("Starter agent {} rejected: {}", r.slug(), r.errors()));
        catalog.markStarterLoaded();
        return report;
    }

    static List<?> records() {
        try (InputStream in = StarterCatalogue.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            return AgentFile.read(RESOURCE, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
