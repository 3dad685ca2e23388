package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.agents.AgentCatalog;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.llm.LlmGateway;
import io.askexpert.llm.PriceTable;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Assembles the executor from its stages: planning, steps (with a model or offline), reporting. A
 * step with a model offers the registry's tools and the tenant's MCP tools allowed for the mission's
 * expert (by its id or slug); the offline steps search knowledge only.
 */
@Configuration(proxyBeanMethods = false)
class MissionExecution {

    /** The {@link ExpertDirectory} of both executors: the agent catalogue, active experts only in {@code closest}. */
    record CatalogueExperts(AgentCatalog catalog) implements ExpertDirectory {
        @Override
        public Optional<Agent> find(String tenantId, String idOrSlug) {
            return catalog.find(tenantId, idOrSlug);
        }

        @Override
        public List<Agent> closest(String tenantId, String text, int limit) {
            return catalog.search(tenantId, text, limit).stream()
                    .flatMap(hit -> catalog.find(tenantId, hit.id()).filter(Agent::active).stream()).toList();
        }
    }

    @Bean
    MissionExecutor missionExecutor(LlmGateway llm, PriceTable prices, AgentCatalog catalog, MissionTools tools,
                                    ArtifactWriter artifacts, AskExpertSettings settings,
                                    ObjectProvider<MemberTools.External> external,
                                    ObjectProvider<MemberTools.Runner> runner) {
        ExpertDirectory experts = new CatalogueExperts(catalog);
        ModelCalls models = new ModelCalls(llm, prices);
        HumanGate gate = new HumanGate(settings.features().hitlStrict());
        MemberTools.External ext = external.getIfAvailable(() -> MemberTools.External.NONE);
        MemberTools.Runner run = runner.getIfAvailable(() -> MemberTools.Runner.NOT_CONFIGURED);
        StepLoop steps = new StepLoop(models, gate, (tenant, expert) -> new ExpertTools(tools, ext.apply(tenant, expert), run));
        return new ExpertMissionExecutor(experts, new Planning(new LlmPlanner(models, tools, experts)),
                steps, new OfflineSteps(new ToolRunner(tools, gate)), new Reporting(models, artifacts),
                llm::offline);
    }
}
