package io.askexpert.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TitlesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "What is a 510(k)?|What is a 510(k)?",
            "'  What   is\n a 510(k)?  '|What is a 510(k)?",
            "How should a sponsor prepare for an FDA Type B pre-IND meeting for a small molecule?"
                    + "|How should a sponsor prepare for an FDA Type B pre-IND…",
            "' '|New conversation"})
    void titles_come_from_the_first_question(String question, String title) {
        assertThat(Titles.fromQuestion(question)).isEqualTo(title).hasSizeLessThanOrEqualTo(Titles.MAX + 1);
    }
}
