package io.askexpert.llm.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.knowledge.Source;
import io.askexpert.llm.LlmMessage;
import io.askexpert.llm.LlmRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfflineProviderTest {

    private static LlmRequest ask(String question, String excerpt) {
        Source passage = new Source("1", 1, "regulatory-fda", "INDs", excerpt, null, 1.0, "d1", "1", Map.of());
        return new LlmRequest(null, "system", List.of(LlmMessage.user(question)), 500, 0, List.of(passage), null);
    }

    @Test
    void a_section_number_does_not_end_a_sentence() {
        String answer = OfflineProvider.answer(ask("When does an IND go into effect after FDA receives it?",
                "Unless FDA notifies the sponsor otherwise, the IND goes into effect 30 days after FDA receives it "
                        + "(§312.40). Annual reports are due (§312.33) within 60 days of the anniversary of the IND."));

        assertThat(answer).contains("the IND goes into effect 30 days after FDA receives it (§312.40). [1]")
                .doesNotContain("§312. [1]");
    }

    @Test
    void sentences_end_at_a_stop_before_white_space_and_at_line_ends() {
        String answer = OfflineProvider.answer(ask("What does the annual IND report contain and when is it due?",
                "The annual IND report summarises the progress of each study.\n"
                        + "Annual report contents of the IND\nIt is due within 60 days of the IND anniversary date!"));

        assertThat(answer).contains("The annual IND report summarises the progress of each study. [1]")
                .contains("It is due within 60 days of the IND anniversary date! [1]");
    }
}
