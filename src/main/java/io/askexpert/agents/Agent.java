package io.askexpert.agents;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One agent of the catalogue as stored: the fields of api.md §7 plus what routing reads
 * (regions, therapeutic areas, phases, collaborators). {@code tenantId} null means public;
 * {@code reportsTo} and {@code collaboratesWith} are slugs; {@code version} grows by one per change.
 */
public record Agent(String id, @Nullable String tenantId, String slug, String name, String displayName,
                    AgentLevel level, String description, String specialty, List<String> domains,
                    List<String> capabilities, List<String> regions, List<String> therapeuticAreas,
                    List<String> phases, String systemPrompt, List<String> tools,
                    List<String> knowledgeNamespaces, @Nullable String reportsTo, @Nullable String model,
                    @Nullable Double temperature, AgentStatus status, List<String> collaboratesWith,
                    int version, Instant createdAt, Instant updatedAt) {

    public Agent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(slug, "slug");
        domains = List.copyOf(domains);
        capabilities = List.copyOf(capabilities);
        regions = List.copyOf(regions);
        therapeuticAreas = List.copyOf(therapeuticAreas);
        phases = List.copyOf(phases);
        tools = List.copyOf(tools);
        knowledgeNamespaces = List.copyOf(knowledgeNamespaces);
        collaboratesWith = List.copyOf(collaboratesWith);
    }

    public boolean active() {
        return status == AgentStatus.ACTIVE;
    }

    public boolean isPublic() {
        return tenantId == null;
    }

    public boolean visibleTo(String tenant) {
        return tenantId == null || tenantId.equals(tenant);
    }
}
