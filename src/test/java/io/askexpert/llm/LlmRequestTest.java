package io.askexpert.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A request's tool rules are checked where it is built, not discovered as a provider's 400. */
class LlmRequestTest {

    private static final LlmTool CALCULATOR = new LlmTool("calculator", "Arithmetic.",
            Map.of("type", "object", "properties", Map.of("expression", Map.of("type", "string"))));
    private static final LlmToolCall CALL = new LlmToolCall("t1", "calculator", Map.of("expression", "1+1"));

    private static LlmRequest conversation(LlmMessage... messages) {
        return LlmRequest.of(null, "", "q", 100).withMessages(List.of(messages));
    }

    @Test
    void accepts_a_tool_loop_conversation() {
        LlmRequest r = conversation(LlmMessage.user("Step 1"), LlmMessage.toolCalls("", List.of(CALL)),
                LlmMessage.toolResults(LlmToolResult.of("t1", "2")), LlmMessage.user("And then?"))
                .withTools(List.of(CALCULATOR), LlmToolChoice.tool("calculator"));
        assertThat(r.question()).isEqualTo("And then?");
        assertThat(r.messages().get(2).role()).isEqualTo(LlmMessage.Role.USER);
    }

    @Test
    void refuses_tool_results_that_do_not_answer_the_calls_before_them() {
        assertThatThrownBy(() -> conversation(LlmMessage.user("Step 1"),
                LlmMessage.toolResults(LlmToolResult.of("t1", "2"))))
                .hasMessageContaining("must follow the tool-calls turn");
        assertThatThrownBy(() -> conversation(LlmMessage.user("Step 1"), LlmMessage.toolCalls("", List.of(CALL)),
                LlmMessage.toolResults(LlmToolResult.of("t9", "2"))))
                .hasMessageContaining("answers no call");
        LlmToolCall second = new LlmToolCall("t2", "calculator", Map.of());
        assertThatThrownBy(() -> conversation(LlmMessage.user("Step 1"), LlmMessage.toolCalls("", List.of(CALL, second)),
                LlmMessage.toolResults(LlmToolResult.of("t1", "2"))))
                .hasMessageContaining("missing [t2]");
    }

    @Test
    void refuses_a_tool_choice_the_tools_cannot_meet_and_duplicate_names() {
        LlmRequest plain = LlmRequest.of(null, "", "q", 100);
        assertThatThrownBy(() -> plain.withTools(List.of(CALCULATOR), LlmToolChoice.tool("search")))
                .hasMessageContaining("not among the tools");
        assertThatThrownBy(() -> plain.withTools(List.of(), LlmToolChoice.ANY)).hasMessageContaining("at least one tool");
        assertThatThrownBy(() -> plain.withTools(List.of(CALCULATOR, CALCULATOR), LlmToolChoice.AUTO))
                .hasMessageContaining("unique");
        assertThatThrownBy(() -> new LlmTool("no spaces", "", Map.of("type", "object"))).hasMessageContaining("name");
        assertThatThrownBy(() -> new LlmTool("t", "", Map.of("type", "string"))).hasMessageContaining("object");
    }

    @ParameterizedTest
    @CsvSource({"end_turn,END_TURN", "stop,END_TURN", "tool_use,TOOL_USE", "tool_calls,TOOL_USE",
            "max_tokens,MAX_TOKENS", "length,MAX_TOKENS", "stop_sequence,STOP_SEQUENCE", "refusal,REFUSAL",
            "content_filter,REFUSAL", "pause_turn,OTHER", "eos,OTHER"})
    void stop_reasons_of_both_providers_map_to_one_vocabulary(String wire, StopReason expected) {
        assertThat(StopReason.fromWire(wire)).isEqualTo(expected);
    }
}
