package io.askexpert.missions;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.knowledge.Source;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The members' own source numbers merged into the mission's, in plan order, as the report cites them. */
class TeamReportTest {

    private static Source source(String doc, int index) {
        return new Source("c-" + doc + index, index, "kb", "Doc " + doc, "excerpt of " + doc, "https://example.org/" + doc,
                0.9, doc, "chunk-" + doc, Map.of());
    }

    private static MemberReport report(int n, String text, List<Source> sources) {
        return new MemberReport(n, "id-" + n, "m" + n, "Member " + n, "task " + n, text, sources, false, null, 0, 10);
    }

    @Test
    void each_members_citations_point_at_the_same_documents_in_one_numbering() {
        SourceBook book = new SourceBook();
        MemberReport first = report(1, "A [1] and B [2].", List.of(source("a", 1), source("b", 2)));
        // The second member numbered its own sources: its [1] is document b, its [2] a new document c.
        MemberReport second = report(2, "B again [1], C [2], unknown [9].", List.of(source("b", 1), source("c", 2)));
        assertThat(TeamReport.renumbered(first, book)).isEqualTo("A [1] and B [2].");
        assertThat(TeamReport.renumbered(second, book)).isEqualTo("B again [2], C [3], unknown .");
        assertThat(book.all()).extracting(Source::documentId).containsExactly("a", "b", "c");
    }

    @Test
    void the_plan_names_each_step_after_its_member() {
        TeamPlan plan = new TeamPlan(List.of(new TeamPlan.Task(1, "id-1", "m1", "Safety Expert",
                "Compile the expedited reporting timelines for the US and the EU", "specialty", 60)), 0.7, true);
        assertThat(plan.event().steps()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo("step-1");
            assertThat(s.name()).startsWith("Safety Expert: Compile");
            assertThat(s.status()).isEqualTo("pending");
        });
    }
}
