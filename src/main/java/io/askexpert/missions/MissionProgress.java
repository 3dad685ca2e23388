package io.askexpert.missions;

import io.askexpert.runs.RunEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Keeps what {@code GET /mission/status} shows from the executor's events as they are emitted: the
 * plan with each step's status, the current step and the progress (0–100). The executor reports
 * through events only; the engine writes them where any instance can read them.
 */
final class MissionProgress {

    private final MissionStore store;
    private final UUID missionId;
    private RunEvent.@Nullable Plan plan;

    MissionProgress(MissionStore store, UUID missionId) {
        this.store = store;
        this.missionId = missionId;
        store.progress(missionId).map(MissionStore.Progress::planJson).filter(j -> j != null)
                .ifPresent(json -> this.plan = MissionJson.read(json, RunEvent.Plan.class));
    }

    synchronized void observe(RunEvent event) {
        switch (event) {
            case RunEvent.Plan p -> {
                plan = p;
                store.plan(missionId, MissionJson.write(p));
            }
            case RunEvent.StepStarted s -> {
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("id", s.stepId());
                step.put("name", s.name());
                step.put("started_at", Instant.now().toString());
                store.currentStep(missionId, MissionJson.write(step), withStatus(s.stepId(), "running"), null);
            }
            case RunEvent.StepCompleted c -> {
                String planJson = withStatus(c.stepId(), c.status());
                store.currentStep(missionId, null, planJson, plan == null ? null : done());
            }
            case RunEvent.Progress p -> store.progress(missionId, p.progress());
            case RunEvent.StepProgress p -> store.progress(missionId, p.progress());
            default -> {
                // not about progress
            }
        }
    }

    private @Nullable String withStatus(String stepId, String status) {
        if (plan == null) {
            return null;
        }
        List<RunEvent.Plan.PlanStep> steps = new ArrayList<>();
        for (RunEvent.Plan.PlanStep s : plan.steps()) {
            steps.add(s.id().equals(stepId) ? new RunEvent.Plan.PlanStep(s.id(), s.name(), s.description(), status,
                    s.estimatedTimeS()) : s);
        }
        plan = new RunEvent.Plan(steps, plan.planConfidence());
        return MissionJson.write(plan);
    }

    private int done() {
        if (plan == null || plan.steps().isEmpty()) {
            return 0;
        }
        long finished = plan.steps().stream().filter(s -> !s.status().equals("pending") && !s.status().equals("running"))
                .count();
        return (int) Math.min(99, finished * 100 / plan.steps().size());
    }
}
