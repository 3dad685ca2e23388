package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.agents.AgentCatalog;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.llm.LlmGateway;
import io.askexpert.llm.PriceTable;
import java.util.List;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Assembles the executor from its stages: planning, steps (with a model or offline), reporting. */
@Configuration(proxyBeanMethods = false)
class MissionExecution {

    @Bean
    MissionExecutor missionExecutor(LlmGateway llm, PriceTable prices, AgentCatalog catalog, MissionTools tools,
                                    ArtifactWriter artifacts, AskExpertSettings settings) {
        ExpertDirectory experts = new ExpertDirectory() {
            @Override
            public Optional<Agent> find(String tenantId, String idOrSlug) {
                return catalog.find(tenantId, idOrSlug);
            }

            @Override
            public List<Agent> closest(String tenantId, String text, int limit) {
                return catalog.search(tenantId, text, limit).stream()
                        .flatMap(hit -> catalog.find(tenantId, hit.id()).filter(Agent::active).stream()).toList();
            }
        };
        ModelCalls models = new ModelCalls(llm, prices);
        ToolRunner runner = new ToolRunner(tools, new HumanGate(settings.features().hitlStrict()));
        return new ExpertMissionExecutor(experts, new Planning(new LlmPlanner(models, tools, experts)),
                new StepLoop(models, runner, tools), new OfflineSteps(runner), new Reporting(models, artifacts),
                llm::offline);
    }
}
