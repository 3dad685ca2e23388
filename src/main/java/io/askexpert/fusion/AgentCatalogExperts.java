package io.askexpert.fusion;

import io.askexpert.agents.Agent;
import io.askexpert.agents.AgentCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real catalogue as fusion sees it: every active agent of every tenant (visibility is applied
 * per request), its routing fields, and a summary of the knowledge namespaces it answers from.
 */
final class AgentCatalogExperts implements ExpertSource {

    private final AgentCatalog catalog;

    AgentCatalogExperts(AgentCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public List<ExpertEntry> load() {
        List<ExpertEntry> out = new ArrayList<>();
        for (Agent a : catalog.allActiveAgents()) {
            out.add(entry(a));
        }
        return out;
    }

    @Override
    public long catalogueVersion() {
        return catalog.version();
    }

    @Override
    public Map<String, String> fullTextDocuments() {
        return catalog.activeSearchVectors();
    }

    static ExpertEntry entry(Agent a) {
        return new ExpertEntry(a.id(), a.slug(), a.name(), a.level().number(), a.specialty(), a.description(),
                a.domains(), a.capabilities(), a.regions(), a.therapeuticAreas(), a.phases(), a.tenantId(),
                a.reportsTo(), a.collaboratesWith(), knowledgeSummary(a));
    }

    /** Namespace names read as words ("fda-guidance" → "fda guidance"), the display name if it adds any. */
    static String knowledgeSummary(Agent a) {
        StringBuilder b = new StringBuilder();
        if (!a.displayName().isBlank() && !a.displayName().equalsIgnoreCase(a.name())) {
            b.append(a.displayName()).append(". ");
        }
        if (!a.knowledgeNamespaces().isEmpty()) {
            b.append("Knowledge: ").append(String.join(", ",
                    a.knowledgeNamespaces().stream().map(n -> n.replaceAll("[-_.]+", " ")).toList()));
        }
        return b.toString().strip();
    }
}
