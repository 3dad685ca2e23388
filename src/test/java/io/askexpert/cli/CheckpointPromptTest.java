package io.askexpert.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CheckpointPromptTest {

    private static final JsonNode CHECKPOINT = JsonMapper.builder().build().readTree("""
            {"id":"c-1","type":"plan_approval","urgency":"normal","title":"Approve the plan",
             "question":"The expert plans 2 steps: Research, Synthesis. Go ahead?","context":{"steps":[{"name":"Research"},{"name":"Synthesis"}],"sources":["EU CTR"]},
             "options":["approve","modify","reject"],"timeout_s":86400}""");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private CheckpointPrompt prompt(String input, boolean all) {
        return new CheckpointPrompt(new BufferedReader(new StringReader(input)),
                new PrintStream(out, true, StandardCharsets.UTF_8), all, true);
    }

    @Test
    void one_line_answers() {
        assertThat(CheckpointPrompt.parse("approve", List.of())).contains(new CheckpointPrompt.Answer("approve", null, null));
        assertThat(CheckpointPrompt.parse("  A  ", List.of())).contains(new CheckpointPrompt.Answer("approve", null, null));
        assertThat(CheckpointPrompt.parse("reject too broad", List.of()))
                .contains(new CheckpointPrompt.Answer("reject", "too broad", null));
        assertThat(CheckpointPrompt.parse("modify: add the UK rules", List.of()))
                .contains(new CheckpointPrompt.Answer("modify", "add the UK rules", null));
        assertThat(CheckpointPrompt.parse("2", List.of("keep", "raise to $10")))
                .contains(new CheckpointPrompt.Answer("approve", null, "raise to $10"));
        assertThat(CheckpointPrompt.parse("3", List.of("keep", "raise"))).isEmpty();
        assertThat(CheckpointPrompt.parse("maybe", List.of())).isEmpty();
        assertThat(CheckpointPrompt.parse("", List.of())).isEmpty();
    }

    @Test
    void shows_the_checkpoint_and_reads_piped_answers_asking_again_after_a_bad_one() throws Exception {
        Optional<CheckpointPrompt.Answer> answer = prompt("perhaps\nmodify\nalso cover Japan\n", false).ask(CHECKPOINT);

        assertThat(answer).contains(new CheckpointPrompt.Answer("modify", "also cover Japan", null));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Checkpoint c-1 (plan_approval, urgency normal), decides itself in 24 h")
                .contains("  Approve the plan\n  The expert plans 2 steps: Research, Synthesis. Go ahead?\n  sources: EU CTR")
                .doesNotContain("\n  steps:")
                .contains("Answer approve, reject or modify <comment>.")
                .doesNotContain("1) approve")
                .contains("What should change? also cover Japan");
    }

    @Test
    void ended_input_is_no_decision_and_yes_approves_without_reading() throws Exception {
        assertThat(prompt("", false).ask(CHECKPOINT)).isEmpty();
        assertThat(prompt("", true).ask(CHECKPOINT)).hasValueSatisfying(a -> assertThat(a.decision()).isEqualTo("approve"));
    }
}
