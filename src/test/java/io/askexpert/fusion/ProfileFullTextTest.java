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
    void one_occurrence_contributes_its_weight_over_zeta_2() {
        assertThat(ProfileFullText.contribution(new byte[] {3})).isCloseTo(1.0 / 1.64493406685, within(1e-9));
        // A then D: max 1.0 at the first position; sum 1.0 + 0.1/4.
        assertThat(ProfileFullText.contribution(new byte[] {3, 0}))
                .isCloseTo((1.0 + 1.025 - 1.0) / 1.64493406685, within(1e-6));
        // D then A: the maximum is at the second position, so it is counted whole once.
        assertThat(ProfileFullText.contribution(new byte[] {0, 3}))
                .isCloseTo((1.0 + (0.1 + 1.0 / 4) - 1.0 / 4) / 1.64493406685, within(1e-6));
    }

    @Test
    void ranks_any_word_queries_over_distinct_lexemes_and_normalises() {
        var index = ProfileFullText.of(Arrays.asList("'fda':1A 'ind':2B", "'ema':1A", null, "'ind':5"));

        List<ProfileFullText.Match> matches = index.match(List.of("ind", "fda", "fda", "nda"), 4, doc -> true);

        assertThat(matches).extracting(ProfileFullText.Match::document).containsExactlyInAnyOrder(0, 3);
        ProfileFullText.Match first = matches.stream().filter(m -> m.document() == 0).findFirst().orElseThrow();
        // Three distinct query lexemes; "nda" is in no document but still divides. Each lexeme's
        // share is weighed by ln(1 + documents / documents containing it): "fda" 1 of 4, "ind" 2 of 4.
        double raw = (1.0 * Math.log(5) + 0.4 * Math.log(3)) / 1.64493406685 / 3;
        assertThat((double) first.rank()).isCloseTo(raw / (raw + 1), within(1e-6));
    }

    @Test
    void invisible_documents_are_not_returned() {
        var index = ProfileFullText.of(List.of("'ind':1A", "'ind':1A"));

        assertThat(index.match(List.of("ind"), 2, doc -> doc == 1)).extracting(ProfileFullText.Match::document)
                .containsExactly(1);
        assertThat(index.match(List.of(), 2, doc -> true)).isEmpty();
    }
}
