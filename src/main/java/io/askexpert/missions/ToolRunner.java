package io.askexpert.missions;

import io.askexpert.budget.Reservation;
import io.askexpert.knowledge.Source;
import io.askexpert.llm.LlmToolCall;
import io.askexpert.llm.LlmToolResult;
import io.askexpert.runs.RunEvent;
import io.askexpert.tools.ToolInvocation;
import io.askexpert.tools.ToolResult;
import io.askexpert.tools.ToolSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one tool call of a step: asks a human first where the call is critical, reserves its cost,
 * runs it through the registry under {@code step-<n>/tool/<callId>} with an idempotency key stable
 * across takeovers, settles, and emits {@code tool_call}, {@code tool_result} (and {@code delegation},
 * {@code sources}, {@code artifact} where they apply). A failure or a timeout becomes an error result
 * the model reads, never an exception; a refused call is not run and the model is told so.
 */
final class ToolRunner {

    static final String CONSULT_EXPERT = "consult_expert";
    static final String CREATE_ARTIFACT = "create_artifact";
    private static final BigDecimal MIN_ESTIMATE = new BigDecimal("0.000001");
    private static final int EXCERPT_CHARS = 700;
    private static final Pattern CITE = Pattern.compile("\\[(\\d{1,4})\\]");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MissionTools tools;
    private final HumanGate gate;

    ToolRunner(MissionTools tools, HumanGate gate) {
        this.tools = tools;
        this.gate = gate;
    }

    /** The result to send back to the model for {@code call}, made in step {@code step}. */
    LlmToolResult run(MissionContext ctx, int step, LlmToolCall call) throws Exception {
        String key = "step-" + step + "/tool/" + call.id();
        Optional<ToolSpec> spec = tools.spec(call.name());
        HumanGate.Verdict verdict = spec.isEmpty() ? null : gate.approveTool(ctx, step, call, spec.get());
        if (verdict != null && !verdict.allowed()) {
            ctx.run().once(key, ToolRecord.class,
                    () -> new ToolRecord(call.id(), call.name(), null, List.of(), "REFUSED", verdict.refusal(), 0));
            ctx.run().emitOnce(key, List.of(new RunEvent.ToolCall(call.id(), call.name(), jsonMap(call.input())),
                    new RunEvent.ToolResult(call.id(), call.name(), null, 0, verdict.refusal())));
            return LlmToolResult.error(call.id(), verdict.refusal());
        }
        ctx.run().checkInterrupted();
        ToolRecord record = ctx.run().once(key, ToolRecord.class, () -> execute(ctx, key, call, spec.orElse(null)));
        List<Source> numbered = ctx.sources().register(record.sources());
        String comment = verdict != null && verdict.comment() != null && !verdict.comment().isBlank()
                ? "\n\nThe human who approved this call added: " + verdict.comment() : "";
        if (record.failed()) {
            return LlmToolResult.error(call.id(), call.name() + " failed (" + record.failure() + "): " + record.error());
        }
        return new LlmToolResult(call.id(), forModel(record, numbered) + comment, false);
    }

    /** A recorded call and its passages with their mission-wide numbers. */
    record Ran(ToolRecord record, List<Source> numbered) {
    }

    /** A tool call the executor makes itself (the offline steps), with the same recording and events. */
    Ran runDirect(MissionContext ctx, int step, LlmToolCall call) throws Exception {
        String key = "step-" + step + "/tool/" + call.id();
        ctx.run().checkInterrupted();
        ToolRecord record = ctx.run().once(key, ToolRecord.class,
                () -> execute(ctx, key, call, tools.spec(call.name()).orElse(null)));
        return new Ran(record, ctx.sources().register(record.sources()));
    }

    private ToolRecord execute(MissionContext ctx, String key, LlmToolCall call, @Nullable ToolSpec spec) {
        // The call runs inside its recorded call (the side effect, under a stable idempotency key); its
        // events go out once per key, so a call stopped halfway and run again does not announce it twice.
        List<RunEvent> calling = new ArrayList<>();
        calling.add(new RunEvent.ToolCall(call.id(), call.name(), jsonMap(call.input())));
        if (call.name().equals(CONSULT_EXPERT)) {
            calling.add(new RunEvent.Delegation(ctx.lead().slug(), text(call.input().get("expert")),
                    text(call.input().get("question")), text(call.input().get("reason"))));
        }
        ctx.run().emitOnce(key + "/call", calling);
        Mission m = ctx.mission();
        ToolInvocation invocation = new ToolInvocation(call.id(), ctx.idempotencyKey(key), m.tenantId(), m.userId(),
                m.id(), call.input());
        Reservation reservation = null;
        if (spec != null) {
            // The most the call can cost is held (a delegation: its expert's worst case), and the call is
            // told what is held, so a call whose cost varies stays within it.
            BigDecimal estimate = tools.costBound(call.name(), invocation).max(MIN_ESTIMATE);
            reservation = ctx.run().reserve(key, estimate, "tool " + spec.name());
            invocation = invocation.withSpendLimit(reservation.amountUsd());
        }
        ToolResult result = tools.execute(call.name(), invocation);
        if (Thread.interrupted()) {
            // Stopped by a pause, a cancel or a lost lease, not failed: record nothing, so that the
            // resumed mission runs the call again (with the same idempotency key). A delegation stopped
            // halfway is charged what its answer spent until then. The flag stays cleared while that is
            // written: the pool gives an interrupted thread no connection.
            if (reservation != null) {
                Optional<DelegatedCost> delegated = delegated(call, result);
                if (delegated.isPresent()) {
                    ctx.run().settle(reservation, delegated.get());
                } else {
                    ctx.run().settle(reservation, BigDecimal.ZERO);
                }
            }
            ctx.run().checkInterrupted();
            throw new MissionSuspended(MissionSuspended.Reason.LEASE_LOST);
        }
        ToolRecord record = switch (result) {
            case ToolResult.Succeeded s -> new ToolRecord(call.id(), call.name(), s.output().value(), s.output().sources(),
                    null, null, s.durationMs());
            case ToolResult.Failed f -> new ToolRecord(call.id(), call.name(), null, List.of(), f.failure().name(),
                    f.reason(), f.durationMs());
        };
        if (reservation != null) {
            // A delegation costs what the delegated expert's answer spent, also when the answer failed
            // after its model call began (what is held is only its bound). Otherwise a call that did not
            // succeed is not charged: the fixed price is for a delivered result.
            Optional<DelegatedCost> delegated = delegated(call, result);
            if (delegated.isPresent()) {
                ctx.run().settle(reservation, delegated.get());
            } else {
                ctx.run().settle(reservation, record.failed() ? BigDecimal.ZERO : spec.costUsd());
            }
        }
        List<RunEvent> done = new ArrayList<>();
        done.add(new RunEvent.ToolResult(call.id(), call.name(), record.output(), record.durationMs(),
                record.failed() ? record.failure() + ": " + record.error() : null));
        if (!record.sources().isEmpty()) {
            done.add(new RunEvent.Sources(ctx.sources().preview(record.sources()).stream()
                    .map(RunEvent.Passage::of).toList()));
        }
        if (!record.failed() && call.name().equals(CREATE_ARTIFACT) && record.output() instanceof Map<?, ?> a) {
            done.add(new RunEvent.Artifact(text(a.get("id")), text(a.get("type")), text(a.get("title")),
                    text(a.get("format")), text(a.get("preview")), text(a.get("download_url"))));
        }
        ctx.run().emitOnce(key + "/result", done);
        return record;
    }

    /** What a delegation's answer spent, from its output or its failure's detail; empty for other tools. */
    private static Optional<DelegatedCost> delegated(LlmToolCall call, ToolResult result) {
        return !call.name().equals(CONSULT_EXPERT) ? Optional.empty() : DelegatedCost.of(switch (result) {
            case ToolResult.Succeeded s -> s.output().value();
            case ToolResult.Failed f -> f.detail();
        });
    }

    /**
     * The output as the model reads it. Passages are listed with their mission-wide numbers, and an
     * expert's answer has its own citations renumbered to match, so the model cites one numbering.
     */
    static String forModel(ToolRecord record, List<Source> numbered) {
        if (numbered.isEmpty()) {
            return record.output() instanceof String s ? s : JSON.writeValueAsString(record.output());
        }
        StringBuilder out = new StringBuilder();
        if (record.output() instanceof Map<?, ?> value && value.get("answer") instanceof String answer) {
            Map<Integer, Integer> renumber = new HashMap<>();
            for (int i = 0; i < record.sources().size(); i++) {
                renumber.putIfAbsent(record.sources().get(i).index(), numbered.get(i).index());
            }
            Matcher m = CITE.matcher(answer);
            StringBuilder remapped = new StringBuilder();
            while (m.find()) {
                Integer n = renumber.get(Integer.parseInt(m.group(1)));
                m.appendReplacement(remapped, n == null ? "" : "[" + n + "]");
            }
            m.appendTail(remapped);
            out.append("Answer").append(value.get("expert") == null ? "" : " from " + value.get("expert"))
                    .append(":\n").append(remapped.toString().strip()).append("\n\n");
        }
        out.append("Passages (cite them as [n] with these numbers):\n");
        for (Source s : numbered) {
            String excerpt = s.excerpt().replaceAll("\\s+", " ").strip();
            out.append('[').append(s.index()).append("] ").append(s.title()).append(": ")
                    .append(excerpt.length() <= EXCERPT_CHARS ? excerpt : excerpt.substring(0, EXCERPT_CHARS) + "…")
                    .append('\n');
        }
        return out.toString().strip();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonMap(Map<String, @Nullable Object> input) {
        return (Map<String, Object>) (Map<String, ?>) input;
    }

    private static String text(@Nullable Object value) {
        return value == null ? "" : value.toString();
    }
}
