package io.askexpert.interactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.config.Mode;
import io.askexpert.errors.AskExpertException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

class InteractiveRequestTest {

    private final JsonMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private InteractiveRequest parse(String body) {
        return json.readValue(body, InteractiveRequest.class);
    }

    @Test
    void applies_the_contract_defaults() {
        Question q = parse("{\"query\":\"What is an IND?\",\"agent_id\":\"fda-expert\"}").validated(Mode.MODE1);
        assertThat(q.maxTokens()).isEqualTo(2048);
        assertThat(q.includeCitations()).isTrue();
        assertThat(q.includeReasoning()).isTrue();
        assertThat(q.enableRag()).isTrue();
        assertThat(q.continueOnDisconnect()).isFalse();
        assertThat(q.interrupt()).isFalse();
        assertThat(q.maxExperts()).isEqualTo(3);
        assertThat(q.sessionId()).isNull();
    }

    @Test
    void accepts_the_aliases_existing_clients_send() {
        Question q = parse("""
                {"message":"What is an IND?","expert_id":"fda-expert","conversation_id":"s-1",
                 "messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}],
                 "unknown_field":42}""").validated(Mode.MODE1);
        assertThat(q.query()).isEqualTo("What is an IND?");
        assertThat(q.agentId()).isEqualTo("fda-expert");
        assertThat(q.sessionId()).isEqualTo("s-1");
        assertThat(q.clientHistory()).hasSize(2);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"agent_id":"a"}                                                      | query
            {"query":"hey","agent_id":"a"}                                        | query
            {"query":"What is an IND?"}                                           | agent_id
            {"query":"What is an IND?","agent_id":"a","options":{"max_tokens":0}}  | options.max_tokens
            {"query":"What is an IND?","agent_id":"a","options":{"max_tokens":9000}} | options.max_tokens
            {"query":"What is an IND?","agent_id":"a","options":{"on_disconnect":"stay"}} | options.on_disconnect
            {"query":"What is an IND?","agent_id":"a","options":{"multitask":"queue"}} | options.multitask
            {"query":"What is an IND?","agent_id":"a","options":{"max_experts":6}} | options.max_experts
            {"query":"What is an IND?","agent_id":"a","options":{"fusion_weights":{"vector":-1}}} | options.fusion_weights.vector
            {"query":"What is an IND?","agent_id":"a","options":{"fusion_weights":{"vector":0,"graph":0,"relational":0}}} | options.fusion_weights
            {"query":"What is an IND?","agent_id":"a","messages":[{"role":"system","content":"x"}]} | conversation_history[0].role
            """)
    void rejects_bad_input_naming_the_field(String body, String field) {
        assertThatThrownBy(() -> parse(body).validated(Mode.MODE1))
                .isInstanceOf(AskExpertException.class)
                .satisfies(e -> assertThat(((AskExpertException) e).details()).containsEntry("field", field));
    }

    @Test
    void a_short_query_reports_the_lengths_like_the_contract_example() {
        assertThatThrownBy(() -> parse("{\"query\":\"hey\",\"agent_id\":\"a\"}").validated(Mode.MODE1))
                .satisfies(e -> assertThat(((AskExpertException) e).details())
                        .containsEntry("min_length", 5).containsEntry("actual_length", 3));
    }

    @Test
    void mode_2_needs_no_agent() {
        assertThat(parse("{\"query\":\"What is an IND?\"}").validated(Mode.MODE2).agentId()).isNull();
    }
}
