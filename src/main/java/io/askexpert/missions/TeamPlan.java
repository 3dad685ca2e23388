package io.askexpert.missions;

import io.askexpert.runs.RunEvent;
import java.util.List;
import java.util.Objects;

/**
 * The lead's plan for a mode 4 mission, recorded under the key {@code plan}: one sub-task per team
 * member, each a step of the mission ({@code step-<n>}) that the member works in parallel with the
 * others. Recorded once, so a replay or a takeover delegates exactly the same sub-tasks.
 */
record TeamPlan(List<Task> tasks, double confidence, boolean planned) {

    TeamPlan {
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a team plan delegates at least one sub-task");
        }
        confidence = Math.max(0, Math.min(1, confidence));
    }

    /**
     * One delegation: which member does what, and why this member.
     *
     * @param number 1-based; the step {@code step-<number>} of the mission
     */
    record Task(int number, String memberId, String memberSlug, String memberName, String task, String reason,
                long estimatedTimeS) {

        Task {
            Objects.requireNonNull(task, "task");
            if (number < 1) {
                throw new IllegalArgumentException("task numbers are 1-based");
            }
        }

        String stepId() {
            return "step-" + number;
        }

        String title() {
            String t = task.strip().replaceAll("\\s+", " ");
            return memberName + ": " + (t.length() <= 70 ? t : t.substring(0, 67).strip() + "…");
        }
    }

    /** The {@code plan} event: every delegation a pending step. */
    RunEvent.Plan event() {
        return new RunEvent.Plan(tasks.stream().map(t -> new RunEvent.Plan.PlanStep(t.stepId(), t.title(), t.task(),
                "pending", t.estimatedTimeS())).toList(), confidence);
    }
}
