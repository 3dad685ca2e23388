package io.askexpert.missions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plan without a model: one knowledge-base search per aspect of the goal (its clauses, then its
 * key terms on their own, then anything a human added at the plan's review), and a last step that
 * writes the cited report from what the searches found. Deterministic: the same goal gives the same plan.
 */
final class OfflinePlanner {

    static final String SEARCH_TOOL = "knowledge_search";
    private static final Pattern CLAUSE = Pattern.compile("\\s*(?:[;,:]|\\band\\b|\\bas well as\\b|\\bversus\\b|\\bvs\\.?)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}\\-/.]*[\\p{L}\\p{N}]|[\\p{L}\\p{N}]");
    /** Words that ask for work rather than name a subject: they do not make a search better. */
    private static final Set<String> NOT_SUBJECT = Set.of("the", "a", "an", "of", "for", "to", "in", "on", "into", "with",
            "and", "or", "our", "my", "your", "their", "its", "by", "from", "at", "as", "is", "are", "be", "that", "this",
            "these", "those", "what", "which", "how", "we", "us", "it", "compile", "write", "prepare", "summarise",
            "summarize", "draft", "produce", "create", "make", "give", "list", "explain", "describe", "compare", "find",
            "review", "analyse", "analyze", "assess", "identify", "brief", "cited", "short", "detailed", "memo",
            "overview", "please", "all", "any", "each", "every", "about", "between");
    private static final long SEARCH_SECONDS = 20;
    private static final long REPORT_SECONDS = 30;

    private OfflinePlanner() {
    }

    static MissionPlan plan(String goal, int maxSteps, List<String> extraAspects) {
        List<String> aspects = new ArrayList<>(aspects(goal));
        for (String extra : extraAspects) {
            if (!subject(extra).isBlank()) {
                aspects.add(extra.strip());
            }
        }
        int research = Math.max(1, Math.min(aspects.size(), maxSteps - 1));
        List<MissionPlan.PlanStep> steps = new ArrayList<>();
        for (String aspect : aspects.subList(0, research)) {
            steps.add(new MissionPlan.PlanStep(steps.size() + 1, "Research: " + shorten(aspect),
                    "Search the knowledge base for: " + aspect, List.of(SEARCH_TOOL), List.of(), SEARCH_SECONDS));
        }
        if (steps.size() < maxSteps) {
            steps.add(new MissionPlan.PlanStep(steps.size() + 1, "Synthesis: write the cited report",
                    "Bring the passages found together into a report that cites each one", List.of(), List.of(),
                    REPORT_SECONDS));
        }
        return new MissionPlan(steps, 0.5, true);
    }

    /**
     * The goal's aspects: its clauses that name a subject of their own (so "the EU and US rules" stays
     * one), then its key terms together when that differs from the whole goal.
     */
    static List<String> aspects(String goal) {
        Set<String> out = new LinkedHashSet<>();
        List<String> clauses = new ArrayList<>();
        String pending = "";
        for (String part : CLAUSE.split(goal.strip())) {
            String joined = pending.isEmpty() ? part : pending + " and " + part;
            if (subjectWords(part) >= 2) {
                clauses.add(joined.strip());
                pending = "";
            } else {
                pending = joined;
            }
        }
        if (!pending.isBlank()) {
            if (clauses.isEmpty()) {
                clauses.add(pending.strip());
            } else {
                clauses.set(clauses.size() - 1, clauses.getLast() + " and " + pending.strip());
            }
        }
        if (clauses.size() > 1) {
            out.addAll(clauses);
        } else {
            out.add(goal.strip());
        }
        String terms = subject(goal);
        if (!terms.isBlank() && !terms.equalsIgnoreCase(goal.strip())) {
            out.add(terms);
        }
        return List.copyOf(out);
    }

    /** The goal's subject words in their order, without the words that only ask for work. */
    static String subject(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            String w = m.group();
            // An acronym is a subject even when it spells a common word (US, IT, ONE).
            boolean acronym = w.length() > 1 && w.equals(w.toUpperCase(Locale.ROOT)) && !w.equals(w.toLowerCase(Locale.ROOT));
            if (acronym || !NOT_SUBJECT.contains(w.toLowerCase(Locale.ROOT))) {
                words.add(m.group());
            }
        }
        return String.join(" ", words);
    }

    private static int subjectWords(String text) {
        String s = subject(text);
        return s.isBlank() ? 0 : s.split(" ").length;
    }

    private static String shorten(String text) {
        String s = text.strip();
        return s.length() <= 70 ? s : s.substring(0, 67).strip() + "…";
    }
}
