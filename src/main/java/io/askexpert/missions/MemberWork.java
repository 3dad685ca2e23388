package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.errors.ErrorCode;
import io.askexpert.knowledge.Source;
import io.askexpert.llm.LlmMessage;
import io.askexpert.llm.LlmRequest;
import io.askexpert.llm.LlmTool;
import io.askexpert.llm.LlmToolCall;
import io.askexpert.llm.LlmToolChoice;
import io.askexpert.llm.LlmToolResult;
import io.askexpert.runs.RunEvent;
import io.askexpert.tools.ToolSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One team member's sub-task, run on a thread of its own beside the others. The member first
 * answers through the mode 1 answer path (a {@code consult_expert} delegation: its own knowledge
 * namespaces, prompt and model), then, when it has tools of its own (declared in the catalogue, or
 * the tenant's MCP tools allowed for it), works them in a tool loop as itself
 * ({@code step-<n>/llm-<i>}, {@code step-<n>/tool/<callId>}), critical calls behind the
 * {@code external_action} checkpoint. Every call is recorded under the step's keys, so a member
 * interrupted half-way continues from its last recorded call.
 */
final class MemberWork {

    static final int MAX_ROUNDS = 6;
    static final int MAX_TOKENS = 2_048;
    private static final Pattern CITE = Pattern.compile("\\[(\\d{1,4})\\]");

    private final ModelCalls models;
    private final HumanGate gate;
    private final BiFunction<String, Agent, MissionTools> toolsFor;

    /**
     * @param toolsFor the tools one member may use in a tenant's mission (offered by {@code specs()}),
     *        asked once per attempt ({@link AttemptTools})
     */
    MemberWork(ModelCalls models, HumanGate gate, BiFunction<String, Agent, MissionTools> toolsFor) {
        this.models = models;
        this.gate = gate;
        this.toolsFor = toolsFor;
    }

    /** Runs the sub-task; {@code ctx} is the member's own (its own source numbering), led by the mission's lead. */
    MemberReport run(MissionContext ctx, TeamPlan.Task task, Agent member) throws Exception {
        MissionRun run = ctx.run();
        int n = task.number();
        // Recorded first, announced after: members run in parallel, so their events are emitted once
        // per key rather than numbered (a stop between the two events must not send the first again).
        long started = run.once(task.stepId() + "/started", Long.class, System::currentTimeMillis);
        run.emitOnce(task.stepId() + "/started", List.of(new RunEvent.StepStarted(task.stepId(), task.title()),
                new RunEvent.Reasoning(task.stepId(), member.name(), member.id(), member.level().number(),
                        "Working on: " + task.task(), "started", 0)));
        MissionTools tools = ctx.tools().of(member, () -> toolsFor.apply(ctx.mission().tenantId(), member));
        ToolRunner runner = new ToolRunner(tools, gate);
        Map<String, @Nullable Object> input = new LinkedHashMap<>();
        input.put("expert", member.slug());
        input.put("question", question(ctx.mission(), task));
        input.put("reason", task.reason());
        ToolRunner.Ran consulted = runner.runDirect(ctx, n, new LlmToolCall("delegation-" + n, ToolRunner.CONSULT_EXPERT,
                input));
        if (consulted.record().failed()) {
            return report(ctx, task, member, "", true, member.name() + " could not answer: " + consulted.record().error(),
                    started);
        }
        String text = answer(consulted.record(), consulted.numbered());
        List<ToolSpec> own = tools.specs();
        if (!own.isEmpty() && !ctx.offline()) {
            String acted = toolLoop(ctx, task, member, runner, own, text);
            if (!acted.isBlank()) {
                text = text.strip() + "\n\n" + acted.strip();
            }
        }
        return report(ctx, task, member, text, false, null, started);
    }

    private String toolLoop(MissionContext ctx, TeamPlan.Task task, Agent member, ToolRunner runner, List<ToolSpec> own,
                            String answer) throws Exception {
        List<LlmTool> offered = own.stream().map(ToolSpec::llmTool).toList();
        List<LlmMessage> messages = new ArrayList<>();
        messages.add(LlmMessage.user("Your sub-task in the team's mission: " + task.task() + "\n\nWhat you found so far:\n"
                + answer + "\n\nUse your tools where the sub-task needs an action or more data; then answer with what "
                + "you did and found, in Markdown, without a preamble. Answer \"Nothing to add.\" if no tool is needed."));
        String what = "sub-task " + task.number() + " (" + member.name() + ")";
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            boolean last = round == MAX_ROUNDS;
            LlmRequest request = new LlmRequest(member.model(), MissionPrompts.stepSystem(member), List.copyOf(messages),
                    MAX_TOKENS, 0.3, List.of(), null, offered, last ? LlmToolChoice.NONE : LlmToolChoice.AUTO);
            LlmTurn turn = models.turn(ctx, task.stepId() + "/llm-" + round, () -> request, what, false);
            if (!turn.callsTools() || last) {
                return turn.text().strip().equalsIgnoreCase("Nothing to add.") ? "" : turn.text();
            }
            messages.add(LlmMessage.toolCalls(turn.text(), turn.toolCalls()));
            List<LlmToolResult> results = new ArrayList<>();
            for (LlmToolCall call : turn.toolCalls()) {
                results.add(runner.run(ctx, task.number(), call));
            }
            messages.add(LlmMessage.toolResults(results));
        }
        return "";
    }

    private static MemberReport report(MissionContext ctx, TeamPlan.Task task, Agent member, String text, boolean failed,
                                       @Nullable String error, long started) {
        long took = Math.max(0, System.currentTimeMillis() - started);
        MissionRun run = ctx.run();
        run.emitOnce(task.stepId() + "/completed", List.of(new RunEvent.Reasoning(task.stepId(), member.name(),
                member.id(), member.level().number(), failed ? error == null ? "failed" : error : summary(text),
                failed ? "failed" : "completed", took), new RunEvent.StepCompleted(task.stepId(), took,
                failed ? "failed" : "completed")));
        return new MemberReport(task.number(), member.id(), member.slug(), member.name(), task.task(), text,
                ctx.sources().all(), failed, error, started, took);
    }

    /** The question the member answers through the mode 1 path: its sub-task, within the mission's goal. */
    static String question(Mission mission, TeamPlan.Task task) {
        StringBuilder q = new StringBuilder(task.task().strip()).append("\n\nThis is your part of a team mission whose goal is: ")
                .append(mission.goal().strip());
        if (!mission.context().isEmpty()) {
            q.append("\nContext: ").append(MissionJson.write(mission.context()));
        }
        String s = q.toString();
        return s.length() <= io.askexpert.interactive.InteractiveRequest.MAX_QUERY ? s
                : s.substring(0, io.askexpert.interactive.InteractiveRequest.MAX_QUERY);
    }

    /** The member's answer with its citations renumbered to the member's source numbering. */
    static String answer(ToolRecord record, List<Source> numbered) {
        if (!(record.output() instanceof Map<?, ?> value) || !(value.get("answer") instanceof String answer)) {
            return record.output() == null ? "" : String.valueOf(record.output());
        }
        Map<Integer, Integer> renumber = new HashMap<>();
        for (int i = 0; i < record.sources().size(); i++) {
            renumber.putIfAbsent(record.sources().get(i).index(), numbered.get(i).index());
        }
        Matcher m = CITE.matcher(answer);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Integer to = renumber.get(Integer.parseInt(m.group(1)));
            m.appendReplacement(out, to == null ? "" : "[" + to + "]");
        }
        m.appendTail(out);
        return out.toString().strip();
    }

    static String summary(String text) {
        String s = text.strip().replaceAll("\\s+", " ");
        return s.length() <= 400 ? s : s.substring(0, 397) + "…";
    }

    /** A member that cannot go on for a reason that is not the mission's (its model or its expert failed). */
    static boolean ownFailure(MissionFailure f) {
        return f.code() != ErrorCode.BUDGET_EXCEEDED && f.code() != ErrorCode.SERVICE_UNAVAILABLE;
    }
}
