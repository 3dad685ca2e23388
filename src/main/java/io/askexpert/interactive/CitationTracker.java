package io.askexpert.interactive;

import io.askexpert.knowledge.Source;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the passages an answer actually cites. Answers cite as {@code [n]} (also {@code [n, m]}
 * and {@code [n][m]}); markers may arrive split across tokens, so text is buffered until a
 * marker can no longer be growing. Each cited passage is reported once, in order of first citation;
 * numbers that match no passage are ignored rather than invented.
 */
final class CitationTracker {

    private static final Pattern MARKER = Pattern.compile("\\[(\\d{1,3}(?:\\s*,\\s*\\d{1,3})*)]");

    private final List<Source> passages;
    private final Set<Integer> cited = new HashSet<>();
    private final StringBuilder pending = new StringBuilder();

    CitationTracker(List<Source> passages) {
        this.passages = List.copyOf(passages);
    }

    /** Feeds streamed text; returns passages cited for the first time by text that is now complete. */
    List<Source> accept(String delta) {
        pending.append(delta);
        int open = pending.lastIndexOf("[");
        int safeEnd = open >= 0 && pending.indexOf("]", open) < 0 && pending.length() - open <= 16
                ? open : pending.length();
        List<Source> found = scan(pending.substring(0, safeEnd));
        pending.delete(0, safeEnd);
        return found;
    }

    /** The end of the answer: whatever is still buffered is final. */
    List<Source> finish() {
        List<Source> found = scan(pending.toString());
        pending.setLength(0);
        return found;
    }

    /** Every passage cited so far, in passage order. */
    List<Source> citedSoFar() {
        return passages.stream().filter(p -> cited.contains(p.index())).toList();
    }

    private List<Source> scan(String text) {
        List<Source> found = new ArrayList<>();
        Matcher m = MARKER.matcher(text);
        while (m.find()) {
            for (String part : m.group(1).split(",")) {
                int n = Integer.parseInt(part.strip());
                if (!cited.contains(n)) {
                    passages.stream().filter(p -> p.index() == n).findFirst().ifPresent(p -> {
                        cited.add(n);
                        found.add(p);
                    });
                }
            }
        }
        return found;
    }
}
