package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileFullTextTest {

    @Test
    void reads_lexemes_positions_weights_and_escapes() {
        var entries = TsVectorText.parse("'fda':1A,7 'o''brien':3B 'back\\\\slash':4C 'bare'");

        assertThat(entries).extracting(TsVectorText.Entry::lexeme).containsExactly("fda", "o'brien", "back\\slash", "bare");
        assertThat(entries.get(0).weights()).containsExactly(3, 0);
        assertThat(entries.get(1).weights()).containsExactly(2);
        assertThat(entries.get(2).weights()).containsExactly(1);
        // No positions: counted once at weight D.
        assertThat(entries.get(3).weights()).containsExactly(0);
    }

    @Test
    void malformed_text_is_refused() {
        assertThatThrownBy(() -> TsVectorText.parse("fda:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TsVectorText.parse("'fda")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_lexeme_counts_the_field_weight_of_each_of_its_positions() {
        assertThat(ProfileFullText.frequency(new byte[] {3})).isEqualTo(2.0);
        // A, then D twice: name 2 + description 0.5 + 0.5.
        assertThat(ProfileFullText.frequency(new byte[] {3, 0, 0})).isEqualTo(3.0);
        assertThat(ProfileFullText.frequency(new byte[] {2, 1})).isEqualTo(2.5);
    }

    @Test
    void ranks_any_word_queries_by_bm25_over_distinct_lexemes_normalised_to_the_best_possible() {
        var index = ProfileFullText.of(Arrays.asList("'fda':1A 'ind':2B", "'ema':1A", null, "'ind':5"));

        List<ProfileFullText.Match> matches = index.match(List.of("ind", "fda", "fda", "nda"), 4, doc -> true);

        assertThat(matches).extracting(ProfileFullText.Match::document).containsExactlyInAnyOrder(0, 3);
        // Lengths 3.5, 2, 0, 0.5 (average 1.5); "fda" in 1 of 4 documents, "ind" in 2; "nda" in none adds nothing.
        double fda = Math.log(1 + 3.5 / 1.5);
        double ind = Math.log(1 + 2.5 / 2.5);
        double norm0 = 1 - 0.75 + 0.75 * 3.5 / 1.5;
        double norm3 = 1 - 0.75 + 0.75 * 0.5 / 1.5;
        double most = (fda + ind) * 2.2;
        double first = (fda * 2.0 * 2.2 / (2.0 + 1.2 * norm0) + ind * 1.5 * 2.2 / (1.5 + 1.2 * norm0)) / most;
        double last = ind * 0.5 * 2.2 / (0.5 + 1.2 * norm3) / most;
        assertThat((double) rank(matches, 0)).isCloseTo(first, within(1e-6));
        assertThat((double) rank(matches, 3)).isCloseTo(last, within(1e-6));
    }

    @Test
    void the_name_outranks_a_long_description_which_outranks_a_single_mention() {
        // Same word once in the name, or four times in a long description, or in a short one.
        var index = ProfileFullText.of(List.of("'audit':1A 'gcp':2A", "'audit':3,4,5,6 'site':1 'visit':2 'plan':7,8,9",
                "'audit':1 'x':2"));

        List<ProfileFullText.Match> matches = index.match(List.of("audit"), 3, doc -> true);

        assertThat(rank(matches, 0)).isGreaterThan(rank(matches, 1));
        assertThat(rank(matches, 1)).isGreaterThan(rank(matches, 2));
        assertThat(matches).allSatisfy(m -> assertThat(m.rank()).isBetween(0f, 1f));
    }

    private static float rank(List<ProfileFullText.Match> matches, int document) {
        return matches.stream().filter(m -> m.document() == document).findFirst().orElseThrow().rank();
    }

    @Test
    void invisible_documents_are_not_returned() {
        var index = ProfileFullText.of(List.of("'ind':1A", "'ind':1A"));

        assertThat(index.match(List.of("ind"), 2, doc -> doc == 1)).extracting(ProfileFullText.Match::document)
                .containsExactly(1);
        assertThat(index.match(List.of(), 2, doc -> true)).isEmpty();
    }
}
