package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.knowledge.Source;
import io.askexpert.tools.ToolSpec;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The words the expert's model reads at each stage: planning, a step, the report. */
final class MissionPrompts {

    private static final int FINDINGS_CHARS = 2_500;

    private MissionPrompts() {
    }

    static String persona(Agent lead) {
        String own = lead.systemPrompt().isBlank()
                ? "You are " + lead.name() + ", an expert in " + lead.specialty() + "." : lead.systemPrompt().strip();
        return own + "\n\nYou are carrying out a mission for a user: a goal that needs planning, research with tools, "
                + "and a written, cited report.";
    }

    static String planSystem(Agent lead, int maxSteps, List<ToolSpec> tools, List<Agent> experts) {
        StringBuilder s = new StringBuilder(persona(lead)).append("\n\nPlan the mission: at most ").append(maxSteps)
                .append(" steps, each a piece of work you will then do with the tools below. Name, for each step, "
                        + "the tools it needs and any expert of the catalogue it should consult.\n\nTools:\n");
        for (ToolSpec t : tools) {
            s.append("- ").append(t.name()).append(": ").append(t.description()).append('\n');
        }
        if (!experts.isEmpty()) {
            s.append("\nExperts you may consult (with consult_expert):\n");
            for (Agent a : experts) {
                s.append("- ").append(a.slug()).append(": ").append(a.name()).append(", ").append(a.specialty()).append('\n');
            }
        }
        return s.append("\nAnswer with JSON only, in this shape: {\"steps\": [{\"name\": \"…\", \"description\": \"…\", "
                + "\"tools\": [\"…\"], \"experts\": [\"…\"], \"estimated_time_s\": 60}], \"confidence\": 0.8}").toString();
    }

    static String planUser(Mission mission) {
        StringBuilder s = new StringBuilder("Goal: ").append(mission.goal().strip());
        context(s, mission.context());
        return s.toString();
    }

    static String revisePlan(Mission mission, MissionPlan plan, String comment) {
        return planUser(mission) + "\n\nYour first plan was:\n" + plan.outline()
                + "\n\nThe human reviewing it asked for this change:\n" + comment.strip()
                + "\n\nAnswer with the revised plan, as JSON in the same shape.";
    }

    static String stepSystem(Agent lead) {
        return persona(lead) + "\n\nYou do one step of the plan at a time, with the tools you have. Tool results list "
                + "passages with numbers: cite them as [n] right after each claim that uses them, with those exact "
                + "numbers, and never cite a number you were not given. Use consult_expert to ask another expert a "
                + "focused question. When the step is done, stop calling tools and answer with the step's findings "
                + "in Markdown, without a preamble.";
    }

    static String stepUser(Mission mission, MissionPlan plan, MissionPlan.PlanStep step, List<StepFindings> earlier,
                           @Nullable String guidance) {
        StringBuilder s = new StringBuilder("Mission goal: ").append(mission.goal().strip());
        context(s, mission.context());
        s.append("\n\nPlan:\n").append(plan.outline()).append("\n\nNow do step ").append(step.number()).append(": ")
                .append(step.name()).append(step.description().isBlank() ? "" : " (" + step.description() + ")");
        if (!step.tools().isEmpty()) {
            s.append("\nSuggested tools: ").append(String.join(", ", step.tools()));
        }
        if (!step.experts().isEmpty()) {
            s.append("\nExperts to consult: ").append(String.join(", ", step.experts()));
        }
        findings(s, earlier);
        if (guidance != null && !guidance.isBlank()) {
            s.append("\n\nThe human reviewing this mission asked: ").append(guidance.strip())
                    .append("\nTake that into account in this step.");
        }
        return s.toString();
    }

    static String reportSystem(Agent lead) {
        return persona(lead) + "\n\nWrite the mission's final report in Markdown: a title (# …), a short summary, "
                + "sections, and tables where they help. Cite every claim with [n], using only the numbers of the "
                + "sources listed; do not write a sources or references section (it is added for you).";
    }

    static String reportUser(Mission mission, List<StepFindings> findings, List<Source> sources,
                             @Nullable String guidance) {
        StringBuilder s = new StringBuilder("Mission goal: ").append(mission.goal().strip());
        context(s, mission.context());
        findings(s, findings);
        s.append("\n\nSources you may cite:\n");
        for (Source src : sources) {
            s.append('[').append(src.index()).append("] ").append(src.title()).append('\n');
        }
        if (guidance != null && !guidance.isBlank()) {
            s.append("\nThe human reviewing this mission asked: ").append(guidance.strip()).append('\n');
        }
        return s.toString();
    }

    static String reviseReport(String draft, String comment) {
        return "Here is your report draft:\n\n" + draft + "\n\nThe human reviewing it asked for this change:\n"
                + comment.strip() + "\n\nAnswer with the whole revised report, keeping its citations.";
    }

    private static void findings(StringBuilder s, List<StepFindings> findings) {
        if (findings.isEmpty()) {
            return;
        }
        s.append("\n\nFindings so far:");
        for (StepFindings f : findings) {
            String text = f.text().strip();
            s.append("\n\n### Step ").append(f.number()).append(": ").append(f.name()).append('\n')
                    .append(text.length() <= FINDINGS_CHARS ? text : text.substring(0, FINDINGS_CHARS) + "…");
        }
    }

    private static void context(StringBuilder s, Map<String, @Nullable Object> context) {
        if (!context.isEmpty()) {
            s.append("\nContext: ");
            context.forEach((k, v) -> s.append(k).append('=').append(v).append("; "));
        }
    }
}
