package io.askexpert.missions;

import io.askexpert.agents.AgentCatalog;
import io.askexpert.budget.BudgetLedger;
import io.askexpert.checkpoints.CheckpointStore;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.fusion.FusionEngine;
import io.askexpert.llm.LlmGateway;
import io.askexpert.llm.PriceTable;
import io.askexpert.queue.MissionQueue;
import io.askexpert.queue.QueuePriorities;
import io.askexpert.queue.QueuePriority;
import io.askexpert.runs.RunRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Mode 4's beans: team assembly, preflight, team status and the routes' entry point. */
@Configuration(proxyBeanMethods = false)
class Mode4Configuration {

    @Bean
    Mode4Missions mode4Missions(MissionService missions, MissionStore store, MissionJournal journal,
                                MissionBudgets budgets, FusionEngine fusion, AgentCatalog catalog, MissionTools tools,
                                ObjectProvider<MemberTools.External> external, PriceTable prices, LlmGateway llm,
                                BudgetLedger ledger, CheckpointStore checkpoints, RunRegistry runs, MissionQueue queue,
                                AskExpertSettings settings, MissionNotifier notifier) {
        Preflight preflight = new Preflight(catalog, tools, external.getIfAvailable(() -> MemberTools.External.NONE),
                prices, llm, ledger, store, journal);
        return new Mode4Missions(missions, store, journal, budgets, new TeamAssembly(fusion, catalog), preflight,
                new TeamStatus(journal, checkpoints), runs, queue, settings, notifier);
    }

    /** Every push of a mission (first or re-queue) at the priority its options ask for. */
    @Bean
    QueuePriorities missionQueuePriorities(MissionStore store) {
        return id -> store.find(id).map(r -> Mode4Missions.priority(r.mission())).orElse(QueuePriority.NORMAL);
    }
}
