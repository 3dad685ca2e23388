package io.askexpert.missions;

import io.askexpert.runs.RunEvent;
import java.util.List;
import java.util.Objects;

/**
 * The plan a mission follows, recorded under the key {@code plan} (and {@code plan/revised} after a
 * human's {@code modify}), so that every replay runs the same steps.
 *
 * @param confidence 0–1, how sure the planner is that the steps cover the goal
 * @param offline    planned without a model (no LLM key): the steps search the knowledge base
 */
record MissionPlan(List<PlanStep> steps, double confidence, boolean offline) {

    MissionPlan {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one step");
        }
        confidence = Math.max(0, Math.min(1, confidence));
    }

    /** One step: what to do and which tools and experts it needs. {@code number} is 1-based. */
    record PlanStep(int number, String name, String description, List<String> tools, List<String> experts,
                    long estimatedTimeS) {

        PlanStep {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            tools = List.copyOf(tools);
            experts = List.copyOf(experts);
            if (number < 1) {
                throw new IllegalArgumentException("step numbers are 1-based");
            }
        }

        String id() {
            return "step-" + number;
        }
    }

    int size() {
        return steps.size();
    }

    /** The {@code plan} event; every step is {@code pending} when the plan is announced. */
    RunEvent.Plan event() {
        return new RunEvent.Plan(steps.stream().map(s -> new RunEvent.Plan.PlanStep(s.id(), s.name(), s.description(),
                "pending", s.estimatedTimeS())).toList(), confidence);
    }

    /** The plan as a numbered list, for prompts and the plan_approval checkpoint. */
    String outline() {
        StringBuilder out = new StringBuilder();
        for (PlanStep s : steps) {
            out.append(s.number()).append(". ").append(s.name());
            if (!s.description().isBlank()) {
                out.append(": ").append(s.description());
            }
            if (!s.tools().isEmpty()) {
                out.append(" (tools: ").append(String.join(", ", s.tools())).append(')');
            }
            if (!s.experts().isEmpty()) {
                out.append(" (experts: ").append(String.join(", ", s.experts())).append(')');
            }
            out.append('\n');
        }
        return out.toString().strip();
    }
}
