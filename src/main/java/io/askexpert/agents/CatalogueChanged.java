package io.askexpert.agents;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Published (as a Spring payload event) after a change to the catalogue has committed: caches
 * built from an older {@code version} are stale. {@code tenantId} is the scope written (null =
 * public agents); {@code agentIds} the agents created or updated. Listen with
 * {@code @EventListener}; other instances notice through {@link AgentCatalog#version()}.
 */
public record CatalogueChanged(long version, @Nullable String tenantId, List<String> agentIds) {

    public CatalogueChanged {
        agentIds = List.copyOf(agentIds);
    }
}
