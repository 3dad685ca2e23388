package io.askexpert.missions;

import io.askexpert.knowledge.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The passages a mission has seen, numbered once for the whole mission: a document keeps one number
 * whichever step, tool or delegated expert brought it, so the model cites {@code [n]} consistently
 * across steps and the report lists each document once. Rebuilt on every replay in the order the
 * recorded tool results come back, so the numbers are the same after a takeover.
 */
final class SourceBook {

    private final Map<String, Integer> numbers = new LinkedHashMap<>();
    private final List<Source> first = new ArrayList<>();

    /** The document a passage belongs to: its document id, else its url, else its title and origin. */
    static String documentKey(Source s) {
        if (!s.documentId().isBlank()) {
            return "doc:" + s.documentId();
        }
        if (s.url() != null && !s.url().isBlank()) {
            return "url:" + s.url();
        }
        return "title:" + s.source() + "/" + s.title();
    }

    /** The passages numbered as {@link #register} would number them, without registering them. */
    List<Source> preview(List<Source> passages) {
        Map<String, Integer> pending = new LinkedHashMap<>();
        List<Source> out = new ArrayList<>();
        for (Source s : passages) {
            String key = documentKey(s);
            Integer n = numbers.get(key);
            if (n == null) {
                n = pending.computeIfAbsent(key, k -> numbers.size() + pending.size() + 1);
            }
            out.add(s.withIndex(n));
        }
        return out;
    }

    /** Registers the passages and returns them with their mission-wide numbers. */
    List<Source> register(List<Source> passages) {
        List<Source> numbered = preview(passages);
        for (Source s : numbered) {
            if (numbers.putIfAbsent(documentKey(s), s.index()) == null) {
                first.add(s);
            }
        }
        return numbered;
    }

    /** The first passage seen of the document numbered {@code n}. */
    Optional<Source> byNumber(int n) {
        return n >= 1 && n <= first.size() ? Optional.of(first.get(n - 1)) : Optional.empty();
    }

    int size() {
        return first.size();
    }

    List<Source> all() {
        return List.copyOf(first);
    }
}
