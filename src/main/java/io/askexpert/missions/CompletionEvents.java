package io.askexpert.missions;

import io.askexpert.budget.MissionBudget;
import io.askexpert.runs.RunEvent;
import io.askexpert.runs.RunHandle;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A completed mission's {@code cost} and {@code mission_completed} events, built from what its rows
 * hold and appended once per run: by its worker just after the row says completed, or, when that
 * worker died in between, by {@link UnendedRuns} before it closes the run (which otherwise ended it
 * with {@code done} alone). The run's log keeps either from sending them twice.
 */
final class CompletionEvents {

    /** The run-log keys the two events are appended under, whoever appends them. */
    static final String COST_KEY = "mission/cost";
    static final String COMPLETED_KEY = "mission/completed";

    private final MissionJournal journal;
    private final MissionArtifacts artifacts;
    private final MissionBudgets budgets;

    CompletionEvents(MissionJournal journal, MissionArtifacts artifacts, MissionBudgets budgets) {
        this.journal = journal;
        this.artifacts = artifacts;
        this.budgets = budgets;
    }

    /** Appends the two events unless the run holds them; returns the artifact count for the notice. */
    int emit(Mission m, long durationMs, RunHandle handle) {
        BigDecimal spent = spent(m);
        MissionBudget b = budget(m);
        io.askexpert.llm.Usage tokens = journal.tokens(m.id());
        handle.emitOnce(COST_KEY, new RunEvent.Cost(tokens.inputTokens(), tokens.outputTokens(),
                tokens.cacheReadTokens(), tokens.cacheWriteTokens(), tokens.totalTokens(), spent, spent,
                b == null ? m.options().budgetLimitUsd() : b.limitUsd()));
        List<Object> list = List.copyOf(artifacts.list(m.id()).stream().map(a -> (Object) new RunEvent.Artifact(
                a.id().toString(), a.type(), a.title(), a.format(), a.preview(), a.downloadUrl())).toList());
        handle.emitOnce(COMPLETED_KEY, new RunEvent.MissionCompleted(m.id().toString(),
                MissionStatus.COMPLETED.wireName(), list, new RunEvent.MissionCompleted.Metrics(durationMs,
                        journal.count(m.id(), "step-") > 0 ? steps(m) : 0, spent)));
        return list.size();
    }

    BigDecimal spent(Mission m) {
        MissionBudget b = budget(m);
        return b == null ? BigDecimal.ZERO : b.spentUsd();
    }

    private int steps(Mission m) {
        return (int) java.util.stream.IntStream.rangeClosed(1, m.options().maxSteps())
                .filter(i -> journal.count(m.id(), "step-" + i + "/") > 0).count();
    }

    private @Nullable MissionBudget budget(Mission m) {
        try {
            return budgets.budget(m.id());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
