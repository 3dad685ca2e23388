package io.askexpert.knowledge;

import io.askexpert.auth.TenantContext;
import io.askexpert.config.AskExpertSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Loads the primers shipped in {@code starter/knowledge/<namespace>/*.md} as public documents when
 * the embedded default starts, so a first question already gets a cited answer. Idempotent: an
 * unchanged primer is skipped, an edited one replaced. Runs before the service reports itself
 * ready (first in the ready event, ahead of the start-up banner and of readiness): loaded in the
 * background, a question asked as soon as the banner showed found no passage for the ≈ 2.5 s the
 * first load takes. Later starts only compare hashes.
 */
public final class StarterKnowledgeLoader {

    /** Owner of the shipped documents; they are public, so every tenant reads them. */
    public static final String OWNER = "ask-expert-starter";
    private static final Logger log = LoggerFactory.getLogger(StarterKnowledgeLoader.class);
    private static final String PATTERN = "classpath*:starter/knowledge/*/*.md";

    // A provider: tool commands (db, eval) start a context where the listener exists but the
    // schema may not, and must not open the knowledge base just because the context is ready.
    private final ObjectProvider<KnowledgeBase> knowledgeBase;
    private final AskExpertSettings settings;

    StarterKnowledgeLoader(ObjectProvider<KnowledgeBase> knowledgeBase, AskExpertSettings settings) {
        this.knowledgeBase = knowledgeBase;
        this.settings = settings;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    void onReady() {
        if (settings.database().embedded() && settings.knowledge().loadStarter() && settings.servesApi()) {
            try {
                load();
            } catch (RuntimeException e) {
                // The service still serves; questions get answers without the primers until a restart loads them.
                log.warn("Starter knowledge not loaded: {}", e.toString());
            }
        }
    }

    /** Loads every shipped primer; returns the report (empty when none are shipped). */
    public IngestReport load() {
        List<DocumentInput> documents = new ArrayList<>();
        try {
            Resource[] found = new PathMatchingResourcePatternResolver().getResources(PATTERN);
            Arrays.sort(found, Comparator.comparing(r -> String.valueOf(r.getDescription())));
            for (Resource r : found) {
                String namespace = namespaceOf(r);
                try {
                    documents.add(DocumentParser.parse(r.getFilename(), r.getContentAsByteArray(),
                            new DocumentParser.Defaults(namespace, null, true, "starter")));
                } catch (DocumentParser.Unreadable e) {
                    log.warn("Starter primer skipped: {}", e.getMessage());
                }
            }
        } catch (IOException e) {
            log.warn("Starter knowledge not loaded: {}", e.getMessage());
            return new IngestReport(List.of());
        }
        if (documents.isEmpty()) {
            return new IngestReport(List.of());
        }
        IngestReport report = knowledgeBase.getObject().ingest(TenantContext.operator(OWNER, "system"), documents, o -> { });
        log.info("Starter knowledge: {} primer(s) ready, {} failed", report.succeeded(), report.failed());
        return report;
    }

    private static String namespaceOf(Resource r) throws IOException {
        String path = r.getURL().toString();
        String[] parts = path.split("/");
        return parts.length >= 2 ? parts[parts.length - 2] : "starter";
    }
}
