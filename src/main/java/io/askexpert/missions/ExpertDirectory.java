package io.askexpert.missions;

import io.askexpert.agents.Agent;
import java.util.List;
import java.util.Optional;

/**
 * The catalogue as a mission reads it: its lead expert, and the experts closest to its goal for the
 * planner to name. Implementation: {@link io.askexpert.agents.AgentCatalog} (see {@link MissionExecution}).
 */
interface ExpertDirectory {

    Optional<Agent> find(String tenantId, String idOrSlug);

    /** Active experts the tenant can see, closest to {@code text} first. */
    List<Agent> closest(String tenantId, String text, int limit);
}
