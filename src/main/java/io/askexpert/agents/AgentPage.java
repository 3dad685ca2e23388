package io.askexpert.agents;

import java.util.List;

/** One page of a listing and the number of agents matching the filters overall. */
public record AgentPage(List<Agent> agents, long total) {

    public AgentPage {
        agents = List.copyOf(agents);
    }
}
