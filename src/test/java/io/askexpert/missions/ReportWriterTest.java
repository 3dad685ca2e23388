package io.askexpert.missions;

import static io.askexpert.missions.MissionFixtures.passage;
import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.knowledge.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportWriterTest {

    private SourceBook book() {
        SourceBook book = new SourceBook();
        book.register(List.of(passage("doc-a", "a1", 1, "EU CTR", "Article 42..."),
                passage("doc-b", "b1", 2, "21 CFR 312.32", "IND safety reports..."),
                passage("doc-c", "c1", 3, "ICH E2A", "Expedited reporting...")));
        return book;
    }

    @Test
    void renumbers_citations_in_order_of_first_appearance_and_lists_each_once() {
        ReportWriter.Report r = ReportWriter.write("# Brief\n\nUS first [2]. Then the EU [1]. The US again [2] and [3, 1].",
                book());

        assertThat(r.markdown()).contains("US first [1]. Then the EU [2]. The US again [1] and [3][2].");
        assertThat(r.cited()).extracting(Source::title).containsExactly("21 CFR 312.32", "EU CTR", "ICH E2A");
        assertThat(r.cited()).extracting(Source::index).containsExactly(1, 2, 3);
        assertThat(r.markdown()).contains("## Sources\n\n- [1] **21 CFR 312.32**");
        assertThat(r.markdown().split("\\*\\*EU CTR\\*\\*", -1)).hasSize(2);
    }

    @Test
    void the_same_document_found_twice_keeps_one_number() {
        SourceBook book = book();
        List<Source> again = book.register(List.of(passage("doc-b", "b7", 1, "21 CFR 312.32", "another chunk"),
                passage("doc-d", "d1", 2, "FDA guidance", "new")));

        assertThat(again).extracting(Source::index).containsExactly(2, 4);
        ReportWriter.Report r = ReportWriter.write("Claim [2]. Other claim [4]. Same doc [2].", book);
        assertThat(r.cited()).extracting(Source::documentId).containsExactly("doc-b", "doc-d");
        assertThat(r.markdown()).contains("Claim [1]. Other claim [2]. Same doc [1].");
    }

    @Test
    void drops_unknown_numbers_and_replaces_the_drafts_own_sources_section() {
        ReportWriter.Report r = ReportWriter.write("A claim [9] and a real one [3].\n\n## References\n\n[3] ICH E2A\n[9] made up\n",
                book());

        assertThat(r.markdown()).startsWith("A claim  and a real one [1].");
        assertThat(r.markdown()).doesNotContain("made up").doesNotContain("## References");
        assertThat(r.cited()).hasSize(1);
    }

    @Test
    void keeps_tables_links_footnotes_and_code_intact() {
        String draft = """
                | Region | Deadline | Source |
                |---|---|---|
                | EU | 7 days | [1] |
                | US | 15 days | [2] |

                See [the CTR](https://example.org/ctr) and note [^1].

                ```
                array[3]
                ```
                """;
        ReportWriter.Report r = ReportWriter.write(draft, book());

        assertThat(r.markdown()).contains("| Region | Deadline | Source |\n|---|---|---|\n| EU | 7 days | [1] |\n| US | 15 days | [2] |");
        assertThat(r.markdown()).contains("[the CTR](https://example.org/ctr)").contains("[^1]").contains("array[3]");
        assertThat(r.cited()).hasSize(2);
    }

    @Test
    void a_report_that_cites_nothing_says_so() {
        assertThat(ReportWriter.write("No claims.", book()).markdown()).endsWith("## Sources\n\nNo source was cited.\n");
    }

    @Test
    void keeps_a_references_heading_that_is_not_the_last_section() {
        String draft = "# R\n\n## References in the law\n\nText [1].\n\n## Next\n\nMore [2].";
        assertThat(ReportWriter.write(draft, book()).markdown()).contains("## References in the law").contains("## Next");
    }
}
