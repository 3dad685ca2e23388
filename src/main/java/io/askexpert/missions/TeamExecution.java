package io.askexpert.missions;

import io.askexpert.agents.AgentCatalog;
import io.askexpert.checkpoints.CheckpointStore;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.llm.LlmGateway;
import io.askexpert.llm.PriceTable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Mode 4's executor beside mode 3's: the engine's runner gets the {@link ModeExecutors} bean, which
 * hands mode 4 missions to {@link TeamMissionExecutor} and mode 3 ones to the single-expert executor.
 */
@Configuration(proxyBeanMethods = false)
class TeamExecution {

    /** Mode 3's executor, or mode 4's, by the mission's mode. */
    record ModeExecutors(MissionExecutor single, MissionExecutor team) implements MissionExecutor {
        @Override
        public void execute(MissionRun run) throws Exception {
            switch (run.mission().mode()) {
                case MODE3 -> single.execute(run);
                case MODE4 -> team.execute(run);
            }
        }
    }

    @Bean
    @Primary
    ModeExecutors modeExecutors(@Qualifier("missionExecutor") MissionExecutor single, LlmGateway llm, PriceTable prices,
                                AgentCatalog catalog, MissionTools tools, ArtifactWriter artifacts,
                                CheckpointStore checkpoints, AskExpertSettings settings,
                                ObjectProvider<MemberTools.External> external,
                                ObjectProvider<MemberTools.Runner> runner) {
        ExpertDirectory experts = new MissionExecution.CatalogueExperts(catalog);
        ModelCalls models = new ModelCalls(llm, prices);
        MemberTools.External ext = external.getIfAvailable(() -> MemberTools.External.NONE);
        MemberTools.Runner run = runner.getIfAvailable(() -> MemberTools.Runner.NOT_CONFIGURED);
        MemberWork work = new MemberWork(models, new HumanGate(settings.features().hitlStrict()),
                (tenant, member) -> new MemberTools(tools, member, ext.apply(tenant, member), run));
        TeamMissionExecutor team = new TeamMissionExecutor(experts, new TeamPlanner(models), work,
                new TeamReport(models, artifacts), new TeamNotifications(checkpoints),
                llm::offline);
        return new ModeExecutors(single, team);
    }
}
