package io.askexpert.missions;

import io.askexpert.agents.AgentCatalog;
import io.askexpert.budget.BudgetLedger;
import io.askexpert.checkpoints.CheckpointStore;
import io.askexpert.checkpoints.CheckpointTimeouts;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.ProcessRole;
import io.askexpert.cost.CostLedger;
import io.askexpert.instances.ServiceInstances;
import io.askexpert.observability.Tracing;
import io.askexpert.queue.MissionQueue;
import io.askexpert.runs.RunRegistry;
import io.askexpert.webhooks.Webhooks;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The engine's beans. The worker runs in roles {@code serve} and {@code worker} only; the periodic
 * duties (lease reaper, checkpoint timeouts, run retention) run in every long-running role, since
 * any instance may fire them (each is a compare-and-set).
 */
@Configuration(proxyBeanMethods = false)
class MissionsConfiguration {

    @Bean
    MissionStore missionStore(DataSource dataSource) {
        return new MissionStore(dataSource);
    }

    @Bean
    MissionJournal missionJournal(DataSource dataSource) {
        return new MissionJournal(dataSource);
    }

    @Bean
    MissionArtifacts missionArtifacts(DataSource dataSource) {
        return new MissionArtifacts(dataSource);
    }

    @Bean
    CheckpointStore checkpointStore(DataSource dataSource) {
        return new CheckpointStore(dataSource);
    }

    @Bean
    MissionBudgets missionBudgets(BudgetLedger ledger) {
        return new LedgerBudgets(ledger);
    }

    @Bean
    MissionMetrics missionMetrics(MeterRegistry registry, MissionQueue queue, MissionStore store) {
        return new MissionMetrics(registry, queue, store::countByStatus);
    }

    @Bean
    MissionNotifier missionNotifier(ObjectProvider<Webhooks> webhooks) {
        return new MissionNotifier(webhooks.getIfAvailable());
    }

    @Bean
    MissionControl missionControl(MissionStore store, CheckpointStore checkpoints, MissionQueue queue, RunRegistry runs,
                                  MissionBudgets budgets, MissionMetrics metrics, DataSource dataSource,
                                  AskExpertSettings settings, MissionNotifier notifier) {
        return new MissionControl(store, checkpoints, queue, runs, budgets, metrics,
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), settings, notifier);
    }

    @Bean
    MissionService missionService(MissionStore store, MissionControl control, CheckpointStore checkpoints,
                                  MissionArtifacts artifacts, MissionBudgets budgets, AgentCatalog agents,
                                  AskExpertSettings settings) {
        return new MissionService(store, control, checkpoints, artifacts, budgets, agents, settings.llm().offline());
    }

    @Bean(destroyMethod = "close")
    MissionLeases missionLeases(MissionStore store, MissionSettings settings) {
        return new MissionLeases(store, settings);
    }

    @Bean
    MissionRunner missionRunner(MissionStore store, MissionJournal journal, CheckpointStore checkpoints,
                                MissionArtifacts artifacts, MissionBudgets budgets, CostLedger costs,
                                MissionMetrics metrics, RunRegistry runs, Tracing tracing, MissionQueue queue,
                                MissionLeases leases, ObjectProvider<MissionExecutor> executor,
                                AskExpertSettings settings, MissionNotifier notifier) {
        return new MissionRunner(store, journal, checkpoints, artifacts, budgets, costs, metrics, runs, tracing, queue,
                leases, executor::getIfAvailable, settings, notifier);
    }

    /**
     * Not in a short command's process ({@code db current}, {@code token}…): a lifecycle bean is
     * created even where beans are lazy, and with it the runner, the queue and their threads, whose
     * log lines would land in output that scripts read.
     */
    @Bean
    @ConditionalOnExpression("'${" + ProcessRole.PROPERTY + ":serve}' != 'cli'")
    MissionWorker missionWorker(MissionQueue queue, MissionStore store, MissionRunner runner, MissionLeases leases,
                                ServiceInstances instances, MissionSettings missionSettings, AskExpertSettings settings) {
        return new MissionWorker(queue, store, runner, leases, instances.id(), missionSettings,
                settings.runsWorker() ? settings.workers() : 0);
    }

    @Bean(destroyMethod = "close")
    LeaseReaper leaseReaper(MissionStore store, MissionControl control, MissionSettings settings) {
        return new LeaseReaper(store, control, settings);
    }

    @Bean(destroyMethod = "close")
    CheckpointTimeouts checkpointTimeouts(CheckpointStore store, MissionControl control, MissionSettings settings) {
        return new CheckpointTimeouts(store, control, settings.sweepInterval());
    }

    @Bean(destroyMethod = "close")
    UnendedRuns unendedRuns(MissionStore store, RunRegistry runs, AskExpertSettings settings, MissionSettings missions,
                            MissionJournal journal, MissionArtifacts artifacts, MissionBudgets budgets) {
        return new UnendedRuns(store, budgets, runs, settings, missions, new CompletionEvents(journal, artifacts, budgets));
    }

    @Bean(destroyMethod = "close")
    MissionRunRetention missionRunRetention(MissionStore store, RunRegistry runs, MissionSettings settings) {
        return new MissionRunRetention(store, runs, settings.retainInterval());
    }
}
