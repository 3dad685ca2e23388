package io.askexpert.missions;

import io.askexpert.knowledge.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a drafted report, whose citations are the mission's source numbers, into the delivered
 * Markdown: citations renumbered 1, 2, 3… in the order they first appear, citations of unknown
 * numbers dropped, any sources section the draft wrote itself replaced by one {@code ## Sources}
 * list that names every cited document exactly once. Only bracketed numbers change, so tables,
 * links and code stay as written; fenced code is left untouched.
 */
final class ReportWriter {

    /** {@code [3]}, {@code [1, 4]}, {@code [2][5]} is two of these; not {@code [^1]} or {@code [text](url)}. */
    private static final Pattern CITATION = Pattern.compile("\\[(\\d{1,4}(?:\\s*[,;]\\s*\\d{1,4})*)\\](?![(:])");
    private static final Pattern OWN_SOURCES = Pattern.compile(
            "(?im)^#{1,6}\\s*(sources|references|bibliography|citations)\\s*:?\\s*$");

    /** The delivered report and the documents it cites, numbered as in its Sources list. */
    record Report(String markdown, List<Source> cited) {
        Report {
            cited = List.copyOf(cited);
        }
    }

    private ReportWriter() {
    }

    static Report write(String draft, SourceBook book) {
        return write(draft, n -> book.byNumber(n));
    }

    static Report write(String draft, IntFunction<Optional<Source>> sources) {
        String body = stripOwnSources(draft).strip();
        Map<Integer, Integer> renumbered = new LinkedHashMap<>();
        List<Source> cited = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (String line : body.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
            }
            out.append(fenced ? line : renumber(line, sources, renumbered, cited)).append('\n');
        }
        String text = out.toString().strip();
        StringBuilder report = new StringBuilder(text).append("\n\n## Sources\n\n");
        if (cited.isEmpty()) {
            report.append("No source was cited.\n");
        }
        for (Source s : cited) {
            report.append("- [").append(s.index()).append("] ").append(entry(s)).append('\n');
        }
        return new Report(report.toString(), cited);
    }

    private static String renumber(String line, IntFunction<Optional<Source>> sources, Map<Integer, Integer> renumbered,
                                   List<Source> cited) {
        Matcher m = CITATION.matcher(line);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<Integer> numbers = new ArrayList<>();
            for (String part : m.group(1).split("[,;]")) {
                int original = Integer.parseInt(part.strip());
                Optional<Source> source = sources.apply(original);
                if (source.isEmpty()) {
                    continue;
                }
                Integer n = renumbered.get(original);
                if (n == null) {
                    n = renumbered.size() + 1;
                    renumbered.put(original, n);
                    cited.add(source.get().withIndex(n));
                }
                if (!numbers.contains(n)) {
                    numbers.add(n);
                }
            }
            StringBuilder replacement = new StringBuilder();
            for (int n : numbers) {
                replacement.append('[').append(n).append(']');
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Cuts a trailing sources section the draft wrote (the list is rebuilt from the real sources). */
    static String stripOwnSources(String draft) {
        Matcher m = OWN_SOURCES.matcher(draft);
        int cut = -1;
        while (m.find()) {
            cut = m.start();
        }
        if (cut < 0) {
            return draft;
        }
        // Only a last section is the draft's own list; a heading after it means the document goes on.
        String rest = draft.substring(cut).strip();
        int nextLine = rest.indexOf('\n');
        boolean headingAfter = nextLine > 0 && Pattern.compile("(?m)^#{1,6}\\s").matcher(rest.substring(nextLine)).find();
        return headingAfter ? draft : draft.substring(0, cut);
    }

    private static String entry(Source s) {
        StringBuilder e = new StringBuilder("**").append(oneLine(s.title().isBlank() ? s.source() : s.title())).append("**");
        if (!s.source().isBlank() && !s.source().equals(s.title())) {
            e.append(" — ").append(oneLine(s.source()));
        }
        if (s.url() != null && !s.url().isBlank()) {
            e.append(" — <").append(s.url().strip()).append('>');
        }
        return e.toString();
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
