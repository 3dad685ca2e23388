package io.askexpert.missions;

import io.askexpert.llm.LlmToolCall;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A step without a model: a research step runs {@code knowledge_search} for real (recorded under
 * {@code step-<n>/tool/offline-search} like any tool call) and keeps the passages' sentences that
 * say most about the step's aspect, each cited; the synthesis step only notes what was gathered, as
 * the report itself is written from every step's findings.
 */
final class OfflineSteps {

    static final String CALL_ID = "offline-search";
    static final int TOP_K = 6;
    static final int SENTENCES = 4;
    static final int MAX_QUERY = 1_000;
    private static final String SEARCH_PREFIX = "Search the knowledge base for: ";

    private final ToolRunner runner;

    OfflineSteps(ToolRunner runner) {
        this.runner = runner;
    }

    StepFindings run(MissionContext ctx, MissionPlan.PlanStep step, List<StepFindings> earlier,
                     @Nullable String guidance) throws Exception {
        if (!step.tools().contains(OfflinePlanner.SEARCH_TOOL)) {
            long quotes = earlier.stream().mapToLong(f -> f.text().lines().filter(l -> l.startsWith("- ")).count()).sum();
            return new StepFindings(step.number(), step.name(), "Brought together " + quotes + " quoted sentences from "
                    + earlier.size() + " searches of the knowledge base; " + ctx.sources().size() + " documents are cited.");
        }
        String query = query(step, guidance);
        Map<String, @Nullable Object> input = new LinkedHashMap<>();
        input.put("query", query);
        input.put("top_k", TOP_K);
        ToolRunner.Ran ran = runner.runDirect(ctx, step.number(), new LlmToolCall(CALL_ID, OfflinePlanner.SEARCH_TOOL, input));
        if (ran.record().failed()) {
            return new StepFindings(step.number(), step.name(), "The knowledge base search failed ("
                    + ran.record().failure() + "): " + ran.record().error());
        }
        List<KeySentences.Quote> quotes = KeySentences.pick(query, ran.numbered(), SENTENCES);
        if (quotes.isEmpty()) {
            return new StepFindings(step.number(), step.name(), "The knowledge base has no passage on this aspect.");
        }
        StringBuilder text = new StringBuilder();
        for (KeySentences.Quote q : quotes) {
            text.append("- ").append(q.sentence()).append(" [").append(q.source()).append("]\n");
        }
        return new StepFindings(step.number(), step.name(), text.toString().strip());
    }

    /** The step's aspect, with the human's comment from a review added to the words searched. */
    static String query(MissionPlan.PlanStep step, @Nullable String guidance) {
        String d = step.description();
        String aspect = d.startsWith(SEARCH_PREFIX) ? d.substring(SEARCH_PREFIX.length()) : d;
        String query = Planning.blank(guidance) ? aspect : aspect + " " + guidance.strip();
        // knowledge_search takes at most 2,000 characters; a goal may have 5,000.
        return query.length() <= MAX_QUERY ? query : query.substring(0, query.lastIndexOf(' ', MAX_QUERY) > 0
                ? query.lastIndexOf(' ', MAX_QUERY) : MAX_QUERY);
    }
}
