package io.askexpert.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InputTextTest {

    @Test
    void counts_only_what_a_reader_sees() {
        assertThat(InputText.visibleLength("What is an IND?")).isEqualTo(12);
        assertThat(InputText.visibleLength("\u00a0\u200b\u202e\u2060\ufeff")).isZero();
        assertThat(InputText.visibleLength("\t\n \u3000")).isZero();
        assertThat(InputText.visibleLength("a\u200bb")).isEqualTo(2);
        assertThat(InputText.visibleLength("\ud83d\ude00\ud83d\ude00")).isEqualTo(2);
        assertThat(InputText.visibleLength("\ud800")).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"\u00a0\u00a0\u200b\u200b\u202e\u202e", "ab\u200b\u200b\u200b", "'   '"})
    void refuses_text_without_enough_visible_characters(String text) {
        assertThatThrownBy(() -> InputText.require("query", text, 5, 100))
                .isInstanceOfSatisfying(AskExpertException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details()).containsEntry("field", "query");
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"'  What is an IND?  '|What is an IND?", "Why a 510(k)?|Why a 510(k)?"})
    void keeps_text_with_enough_visible_characters_stripped(String text, String expected) {
        assertThat(InputText.require("query", text, 5, 100)).isEqualTo(expected);
    }
}
