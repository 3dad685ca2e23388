package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.llm.LlmMessage;
import io.askexpert.llm.LlmRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The lead's plan: one model call ({@code plan/llm-1}) that gives each member a bounded sub-task
 * (objective, angle, what to report) so that members do not duplicate each other's work. A member
 * the model leaves out, or a plan that does not parse, gets the default sub-task: the goal seen
 * from the member's specialty. Offline, every member gets the default.
 */
final class TeamPlanner {

    static final int MAX_TOKENS = 1_500;
    static final long MEMBER_ESTIMATE_S = 60;
    private static final Pattern OBJECT = Pattern.compile("\\{.*}", Pattern.DOTALL);

    private final ModelCalls models;

    TeamPlanner(ModelCalls models) {
        this.models = models;
    }

    TeamPlan plan(MissionContext ctx, List<Agent> members) throws Exception {
        Map<String, @Nullable Object> parsed = Map.of();
        if (!ctx.offline()) {
            LlmRequest request = new LlmRequest(ctx.lead().model(), system(ctx.lead(), members),
                    List.of(LlmMessage.user(MissionPrompts.planUser(ctx.mission()))), MAX_TOKENS, 0.2, List.of(), null);
            String text = models.turn(ctx, "plan/llm-1", () -> request, "planning the team's work", false).text();
            parsed = parse(text);
        }
        List<TeamPlan.Task> tasks = new ArrayList<>();
        Object listed = parsed.get("tasks");
        for (Agent member : members) {
            String task = null;
            String reason = null;
            if (listed instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> t && (member.slug().equals(t.get("member")) || member.id().equals(t.get("member")))
                            && t.get("task") instanceof String s && !s.isBlank()) {
                        task = s.strip();
                        reason = t.get("reason") instanceof String r && !r.isBlank() ? r.strip() : null;
                        break;
                    }
                }
            }
            tasks.add(new TeamPlan.Task(tasks.size() + 1, member.id(), member.slug(), member.name(),
                    task == null ? defaultTask(ctx.mission(), member) : task,
                    reason == null ? "Specialty: " + member.specialty() : reason, MEMBER_ESTIMATE_S));
        }
        double confidence = parsed.get("plan_confidence") instanceof Number n ? n.doubleValue() : 0.6;
        return new TeamPlan(tasks, confidence, listed instanceof List<?>);
    }

    static String defaultTask(Mission mission, Agent member) {
        return "From the angle of " + (member.specialty().isBlank() ? member.name() : member.specialty())
                + ", research this goal and report what your knowledge says about it, with citations: "
                + mission.goal().strip();
    }

    private static String system(Agent lead, List<Agent> members) {
        StringBuilder s = new StringBuilder(MissionPrompts.persona(lead)).append("\n\nYou lead a team of experts who "
                + "will work in parallel, each with their own knowledge and tools. Assign each member exactly one "
                + "sub-task with a clear boundary (its objective, the angle only this member covers, and what to report), "
                + "so that no two members duplicate work. You will write the final report from their findings.\n\nTeam:\n");
        for (Agent a : members) {
            s.append("- ").append(a.slug()).append(": ").append(a.name()).append(", ").append(a.specialty()).append('\n');
        }
        return s.append("\nAnswer with JSON only, in this shape: {\"tasks\": [{\"member\": \"<slug>\", \"task\": \"…\", "
                + "\"reason\": \"…\"}], \"plan_confidence\": 0.8}").toString();
    }

    private static Map<String, @Nullable Object> parse(String text) {
        Matcher m = OBJECT.matcher(text);
        if (!m.find()) {
            return Map.of();
        }
        try {
            return MissionJson.map(m.group());
        } catch (RuntimeException e) {
            return Map.of(); // not JSON: every member gets the default sub-task
        }
    }
}
