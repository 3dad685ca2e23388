package io.askexpert.interactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.knowledge.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CitationTrackerTest {

    private static final List<Source> PASSAGES = List.of(passage(1), passage(2), passage(3));

    private static Source passage(int index) {
        return new Source("c" + index, index, "kb", "Title " + index, "excerpt", null, 0.9, "d" + index, "c" + index, Map.of());
    }

    private static List<Integer> citedWhileStreaming(String... deltas) {
        CitationTracker tracker = new CitationTracker(PASSAGES);
        List<Integer> order = new ArrayList<>();
        for (String d : deltas) {
            tracker.accept(d).forEach(s -> order.add(s.index()));
        }
        tracker.finish().forEach(s -> order.add(s.index()));
        return order;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            An IND needs CMC data [2] and a protocol [1].        | 2,1
            Both apply [1, 3].                                   | 1,3
            Adjacent markers [3][1] and a repeat [3].            | 3,1
            Unknown numbers [7] are ignored, known ones kept [2] | 2
            No citation at all.                                  | ''
            """)
    void reports_each_cited_passage_once_in_order_of_first_citation(String answer, String expected) {
        List<Integer> want = expected.isEmpty() ? List.of()
                : java.util.Arrays.stream(expected.split(",")).map(Integer::valueOf).toList();
        assertThat(citedWhileStreaming(answer)).isEqualTo(want);
    }

    @Test
    void a_marker_split_across_tokens_is_found_once_complete() {
        CitationTracker tracker = new CitationTracker(PASSAGES);
        assertThat(tracker.accept("see [")).isEmpty();
        assertThat(tracker.accept("2")).isEmpty();
        assertThat(tracker.accept("] and more")).extracting(Source::index).containsExactly(2);
    }

    @Test
    void an_unclosed_bracket_at_the_end_is_resolved_by_finish() {
        CitationTracker tracker = new CitationTracker(PASSAGES);
        tracker.accept("text [1");
        assertThat(tracker.finish()).isEmpty();
        assertThat(tracker.citedSoFar()).isEmpty();
    }

    @Test
    void cited_so_far_lists_passages_in_passage_order() {
        CitationTracker tracker = new CitationTracker(PASSAGES);
        tracker.accept("[3] then [1] ");
        assertThat(tracker.citedSoFar()).extracting(Source::index).containsExactly(1, 3);
    }
}
