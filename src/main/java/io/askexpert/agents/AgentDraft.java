package io.askexpert.agents;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an upsert writes, keyed by {@code slug} (api.md §7 {@code POST /agents}). A null
 * {@code collaboratesWith} leaves an existing agent's relations as they are; an empty list
 * clears them. Build one from untyped JSON or YAML with {@link AgentCatalog#parse}.
 */
public record AgentDraft(String slug, String name, String displayName, AgentLevel level, String description,
                         String specialty, List<String> domains, List<String> capabilities, List<String> regions,
                         List<String> therapeuticAreas, List<String> phases, String systemPrompt,
                         List<String> tools, List<String> knowledgeNamespaces, @Nullable String reportsTo,
                         @Nullable String model, @Nullable Double temperature, AgentStatus status,
                         @Nullable List<String> collaboratesWith) {

    public AgentDraft {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(status, "status");
        domains = List.copyOf(domains);
        capabilities = List.copyOf(capabilities);
        regions = List.copyOf(regions);
        therapeuticAreas = List.copyOf(therapeuticAreas);
        phases = List.copyOf(phases);
        tools = List.copyOf(tools);
        knowledgeNamespaces = List.copyOf(knowledgeNamespaces);
        collaboratesWith = collaboratesWith == null ? null : List.copyOf(collaboratesWith);
    }

    /** A minimal active draft; the rest through {@code with…} copies or the record constructor. */
    public static AgentDraft of(String slug, String name, AgentLevel level, String specialty) {
        return new AgentDraft(slug, name, name, level, "", specialty, List.of(), List.of(), List.of(), List.of(),
                List.of(), "", List.of(), List.of(), null, null, null, AgentStatus.ACTIVE, null);
    }

    public AgentDraft withReportsTo(@Nullable String parentSlug) {
        return new AgentDraft(slug, name, displayName, level, description, specialty, domains, capabilities, regions,
                therapeuticAreas, phases, systemPrompt, tools, knowledgeNamespaces, parentSlug, model, temperature,
                status, collaboratesWith);
    }

    public AgentDraft withStatus(AgentStatus newStatus) {
        return new AgentDraft(slug, name, displayName, level, description, specialty, domains, capabilities, regions,
                therapeuticAreas, phases, systemPrompt, tools, knowledgeNamespaces, reportsTo, model, temperature,
                newStatus, collaboratesWith);
    }

    public AgentDraft withCollaborators(List<String> slugs) {
        return new AgentDraft(slug, name, displayName, level, description, specialty, domains, capabilities, regions,
                therapeuticAreas, phases, systemPrompt, tools, knowledgeNamespaces, reportsTo, model, temperature,
                status, slugs);
    }

    public AgentDraft withTopics(List<String> newDomains, List<String> newCapabilities, String newDescription) {
        return new AgentDraft(slug, name, displayName, level, newDescription, specialty, newDomains, newCapabilities,
                regions, therapeuticAreas, phases, systemPrompt, tools, knowledgeNamespaces, reportsTo, model,
                temperature, status, collaboratesWith);
    }
}
