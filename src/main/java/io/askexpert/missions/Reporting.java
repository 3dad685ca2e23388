package io.askexpert.missions;

import io.askexpert.errors.ErrorCode;
import io.askexpert.knowledge.Source;
import io.askexpert.llm.LlmMessage;
import io.askexpert.llm.LlmRequest;
import io.askexpert.runs.RunEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The mission's last stage: the report drafted (by the model under {@code report/llm-1}, or from the
 * quoted findings offline), its {@code final_review} checkpoint when asked for ({@code modify}
 * revises it once with the comment, {@code reject} fails the mission with {@code FORBIDDEN}), then
 * the citations renumbered with one Sources list and the artifact saved under the key {@code report}.
 */
final class Reporting {

    static final int MAX_TOKENS = 4_096;
    static final String OFFLINE_LABEL = "> **Offline report.** No LLM provider is configured, so no model wrote this "
            + "report: its statements are sentences quoted from the knowledge base, each followed by its citation. "
            + "Configure ANTHROPIC_API_KEY or OPENAI_API_KEY for an analysed report.";
    private static final int PREVIEW_CHARS = 400;

    private final ModelCalls models;
    private final ArtifactWriter artifacts;

    Reporting(ModelCalls models, ArtifactWriter artifacts) {
        this.models = models;
        this.artifacts = artifacts;
    }

    MissionArtifact deliver(MissionContext ctx, MissionPlan plan, List<StepFindings> findings,
                            @Nullable String guidance) throws Exception {
        MissionRun run = ctx.run();
        String draft = ctx.offline() ? offlineDraft(ctx, findings, guidance) : modelDraft(ctx, findings, guidance);
        if (ctx.mission().options().wants(CheckpointType.FINAL_REVIEW)) {
            CheckpointDecision d = run.checkpoint("final_review", review(ctx, draft));
            switch (d.kind()) {
                case APPROVE -> { }
                case REJECT -> throw new MissionFailure(ErrorCode.FORBIDDEN, (d.expired()
                        ? "The report was not approved before its final_review checkpoint expired"
                        : "The report was rejected at its final_review checkpoint by " + d.decidedBy())
                        + (Planning.blank(d.comment()) ? "" : ": " + d.comment()));
                case MODIFY -> {
                    if (!Planning.blank(d.comment())) {
                        draft = ctx.offline() ? withReviewerNote(draft, d.comment()) : revise(ctx, draft, d.comment());
                    }
                }
            }
        }
        ReportWriter.Report report = ReportWriter.write(draft, ctx.sources());
        String title = title(ctx.mission());
        // The artifact is stored inside the call (under its key, so a successor finds the same one); its
        // events are emitted after, where a replay drops those the run already holds.
        MissionArtifact saved = run.once("report", MissionArtifact.class, () -> artifacts.save(ctx.mission().id(),
                "report", "report", title, "markdown", report.markdown()));
        announce(run, saved, report, "Report saved with " + report.cited().size() + " cited sources");
        return saved;
    }

    /** The saved report's events: its sources, each citation, the artifact, and the progress at 100 %. */
    static void announce(MissionRun run, MissionArtifact saved, ReportWriter.Report report, String progress) {
        List<RunEvent.Passage> cited = report.cited().stream().map(RunEvent.Passage::of).toList();
        if (!cited.isEmpty()) {
            run.emit(new RunEvent.Sources(cited));
        }
        cited.forEach(p -> run.emit(new RunEvent.Citation(p)));
        run.emit(new RunEvent.Artifact(saved.id().toString(), saved.type(), saved.title(), saved.format(),
                saved.preview(), saved.downloadUrl()));
        run.emit(new RunEvent.Progress("report", progress, 100));
    }

    private String modelDraft(MissionContext ctx, List<StepFindings> findings, @Nullable String guidance) throws Exception {
        List<Source> sources = ctx.sources().all();
        LlmRequest request = new LlmRequest(ctx.lead().model(), MissionPrompts.reportSystem(ctx.lead()),
                List.of(LlmMessage.user(MissionPrompts.reportUser(ctx.mission(), findings, sources, guidance))),
                MAX_TOKENS, StepLoop.temperature(ctx), List.of(), null);
        return models.turn(ctx, "report/llm-1", () -> request, "writing the report", true).text();
    }

    private String revise(MissionContext ctx, String draft, String comment) throws Exception {
        LlmRequest request = new LlmRequest(ctx.lead().model(), MissionPrompts.reportSystem(ctx.lead()),
                List.of(LlmMessage.user(MissionPrompts.reviseReport(draft, comment))), MAX_TOKENS,
                StepLoop.temperature(ctx), List.of(), null);
        return models.turn(ctx, "report/llm-2", () -> request, "revising the report", true).text();
    }

    static String offlineDraft(MissionContext ctx, List<StepFindings> findings, @Nullable String guidance) {
        StringBuilder s = new StringBuilder("# ").append(title(ctx.mission())).append("\n\n").append(OFFLINE_LABEL)
                .append("\n\n## Goal\n\n").append(ctx.mission().goal().strip()).append('\n');
        List<StepFindings> research = findings.stream().filter(f -> f.text().startsWith("- ")).toList();
        if (!research.isEmpty()) {
            s.append("\n## Summary\n\n");
            java.util.Set<String> summary = new java.util.HashSet<>();
            for (StepFindings f : research) {
                f.text().lines().filter(summary::add).findFirst().ifPresent(line -> s.append(line).append('\n'));
            }
        }
        s.append("\n## Findings\n");
        // A passage quoted under an earlier aspect is not quoted again: each section adds what is new.
        java.util.Set<String> quoted = new java.util.HashSet<>();
        for (StepFindings f : findings) {
            s.append("\n### ").append(f.name()).append("\n\n");
            if (!f.text().startsWith("- ")) {
                s.append(f.text().strip()).append('\n');
                continue;
            }
            List<String> fresh = f.text().lines().filter(quoted::add).toList();
            s.append(fresh.isEmpty() ? "Nothing beyond the passages quoted above." : String.join("\n", fresh)).append('\n');
        }
        if (!Planning.blank(guidance)) {
            s.append("\n## Reviewer's request\n\n").append(guidance.strip())
                    .append("\n\n(Offline, the request was added to the searches; no model could rewrite the text.)\n");
        }
        return s.toString();
    }

    private static String withReviewerNote(String draft, String comment) {
        return draft.strip() + "\n\n## Reviewer's comment\n\n" + comment.strip()
                + "\n\n(Offline, no model could revise the text to it.)\n";
    }

    private static CheckpointRequest review(MissionContext ctx, String draft) {
        Map<String, @Nullable Object> context = new LinkedHashMap<>();
        context.put("preview", draft.length() <= PREVIEW_CHARS * 5 ? draft : draft.substring(0, PREVIEW_CHARS * 5) + "…");
        context.put("sources", ctx.sources().size());
        return new CheckpointRequest(CheckpointType.FINAL_REVIEW, CheckpointRequest.Urgency.NORMAL, "Review the report",
                "The report is drafted. Approve it, modify it (say what to change) or reject it?", context,
                List.of("approve", "modify", "reject"), ctx.mission().options().checkpointTimeout());
    }

    static String title(Mission mission) {
        if (mission.title() != null && !mission.title().isBlank()) {
            return mission.title().strip();
        }
        String goal = mission.goal().strip().replaceAll("\\s+", " ");
        return goal.length() <= 80 ? goal : goal.substring(0, 77).strip() + "…";
    }
}
