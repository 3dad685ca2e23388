package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.knowledge.Source;
import io.askexpert.llm.LlmMessage;
import io.askexpert.llm.LlmRequest;
import io.askexpert.runs.RunEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lead's synthesis of a mode 4 mission: the members' findings renumbered into one source list
 * (in plan order, so the numbers are the same on every replay), a summary the lead writes from them
 * ({@code report/llm-1}; offline, a list of who covered what), then one section per member that names
 * its author and keeps its citations, and the Sources list. Saved once under the key {@code report}.
 */
final class TeamReport {

    static final int MAX_TOKENS = 2_048;
    private static final Pattern CITE = Pattern.compile("\\[(\\d{1,4})\\]");
    private static final int FINDINGS_CHARS = 3_000;

    private final ModelCalls models;
    private final ArtifactWriter artifacts;

    TeamReport(ModelCalls models, ArtifactWriter artifacts) {
        this.models = models;
        this.artifacts = artifacts;
    }

    MissionArtifact deliver(MissionContext ctx, Team team, List<MemberReport> reports) throws Exception {
        MissionRun run = ctx.run();
        List<String> sections = reports.stream().map(r -> renumbered(r, ctx.sources())).toList();
        String summary = ctx.offline() ? offlineSummary(team, reports) : modelSummary(ctx, reports, sections);
        StringBuilder draft = new StringBuilder("# ").append(Reporting.title(ctx.mission())).append("\n\n");
        draft.append("**Team:** ").append(String.join(", ", team.members().stream().filter(Team.Member::available)
                .map(m -> m.name() + (m.lead() ? " (lead)" : "")).toList())).append("\n\n");
        draft.append("## Summary\n\n*Synthesised by ").append(ctx.lead().name()).append(", lead*\n\n")
                .append(summary.strip()).append("\n");
        for (int i = 0; i < reports.size(); i++) {
            MemberReport r = reports.get(i);
            Team.Member m = team.member(r.memberId()).orElse(null);
            draft.append("\n## ").append(r.memberName()).append(": ").append(headline(r.task())).append("\n\n")
                    .append("*Author: ").append(r.memberName()).append(" (").append(r.memberSlug()).append(")")
                    .append(m == null || m.specialty().isBlank() ? "" : ", " + m.specialty()).append("*\n\n")
                    .append(r.failed() ? "_This member could not deliver: " + r.error() + "_" : sections.get(i).strip())
                    .append("\n");
        }
        ReportWriter.Report report = ReportWriter.write(draft.toString(), ctx.sources());
        String title = Reporting.title(ctx.mission());
        MissionArtifact saved = run.once("report", MissionArtifact.class, () -> artifacts.save(ctx.mission().id(),
                "report", "report", title, "markdown", report.markdown()));
        Reporting.announce(run, saved, report, "Report saved: " + reports.size() + " sections by " + reports.size()
                + " members, " + report.cited().size() + " cited sources");
        return saved;
    }

    /** The member's text with its own source numbers mapped onto the mission's. */
    static String renumbered(MemberReport r, SourceBook book) {
        List<Source> global = book.register(r.sources());
        Map<Integer, Integer> map = new HashMap<>();
        for (int i = 0; i < r.sources().size(); i++) {
            map.putIfAbsent(r.sources().get(i).index(), global.get(i).index());
        }
        Matcher m = CITE.matcher(r.text());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Integer to = map.get(Integer.parseInt(m.group(1)));
            m.appendReplacement(out, to == null ? "" : "[" + to + "]");
        }
        m.appendTail(out);
        return out.toString();
    }

    private String modelSummary(MissionContext ctx, List<MemberReport> reports, List<String> sections) throws Exception {
        StringBuilder user = new StringBuilder(MissionPrompts.planUser(ctx.mission()))
                .append("\n\nYour team's findings (sources are numbered across the team; cite them as [n]):\n");
        for (int i = 0; i < reports.size(); i++) {
            MemberReport r = reports.get(i);
            String text = r.failed() ? "(could not deliver: " + r.error() + ")" : sections.get(i).strip();
            user.append("\n### ").append(r.memberName()).append(" (").append(r.memberSlug()).append("): ")
                    .append(r.task()).append("\n").append(text.length() <= FINDINGS_CHARS ? text
                            : text.substring(0, FINDINGS_CHARS) + "…").append('\n');
        }
        Agent lead = ctx.lead();
        LlmRequest request = new LlmRequest(lead.model(), MissionPrompts.persona(lead) + "\n\nYou lead the team. Write "
                + "the report's summary: what the team found as a whole, where members agree or differ (name them), and "
                + "what the user should do next. Cite the numbered sources as [n]; never cite a number you were not "
                + "given. Markdown without headings of level 1 or 2; each member's own section follows yours.",
                List.of(LlmMessage.user(user.toString())), MAX_TOKENS, 0.3, List.of(), null);
        return models.turn(ctx, "report/llm-1", () -> request, "writing the team's summary", true).text();
    }

    private static String offlineSummary(Team team, List<MemberReport> reports) {
        StringBuilder s = new StringBuilder(Reporting.OFFLINE_LABEL).append("\n\n").append(team.lead().name())
                .append(" delegated ").append(reports.size()).append(" sub-tasks, worked in parallel:\n\n");
        for (MemberReport r : reports) {
            s.append("- ").append(r.memberName()).append(": ").append(headline(r.task()))
                    .append(r.failed() ? " (not delivered)" : "").append('\n');
        }
        return s.toString();
    }

    private static String headline(String task) {
        String t = task.strip().replaceAll("\\s+", " ");
        return t.length() <= 90 ? t : t.substring(0, 87).strip() + "…";
    }
}
