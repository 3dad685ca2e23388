package io.askexpert.missions;

import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.mockllm.MockReply;
import io.askexpert.mockllm.MockScenario;
import java.util.List;
import java.util.Map;

/**
 * The conversation every mission of the fault tests has with the mock LLM, in either wire format
 * (matched on the request, so a call repeated after a takeover gets the same answer): a two-step
 * plan; step 1 posts a notice with {@code http_post} (a side effect: under FF_HITL_STRICT a human
 * approves it first), step 2 computes a deadline with {@code calculator}; each step ends with
 * findings once its tool result is back; the report is one known text, so a test can tell a whole
 * report from a cut one.
 */
final class FaultScript {

    static final String REPORT_START = "FAULT-REPORT-BEGIN";
    static final String REPORT_END = "FAULT-REPORT-END";
    static final String POST_CALL = "call_post";
    static final String CALC_CALL = "call_calc";
    static final int LLM_CALLS_PER_MISSION = 6;

    private FaultScript() {
    }

    static void script(MockLlmServer mock, String receiverUrl) {
        MockReply plan = MockReply.text("{\"steps\": [{\"name\": \"Notify the safety tracker\", \"description\": "
                + "\"post the case notice\", \"tools\": [\"http_post\"]}, {\"name\": \"Compute the deadline\", "
                + "\"description\": \"days left\", \"tools\": [\"calculator\"]}], \"confidence\": 0.9}");
        MockReply post = new MockReply.Scripted("Posting the notice.", List.of(new MockReply.ToolCall(POST_CALL,
                "http_post", Map.of("url", receiverUrl, "body", Map.of("notice", "expedited case")))));
        MockReply calc = new MockReply.Scripted("Computing.", List.of(new MockReply.ToolCall(CALC_CALL, "calculator",
                Map.of("expression", "15 - 7"))));
        MockReply findings = MockReply.text("The step is done: the notice was accepted and the deadline is 8 days.");
        MockReply report = MockReply.text("# Case report\n\n" + REPORT_START + " The notice was posted once and the "
                + "expedited report is due in 8 days. Every step completed. " + REPORT_END);
        mock.scenario(
                MockScenario.reply(report).whenBodyContains("final report").repeating(),
                MockScenario.reply(plan).whenBodyContains("Plan the mission").repeating(),
                MockScenario.reply(findings).whenLastMessageIs(MockScenario.LastMessage.TOOL_RESULT).repeating(),
                MockScenario.reply(post).whenBodyContains("Now do step 1").whenLastMessageIs(MockScenario.LastMessage.TEXT)
                        .repeating(),
                MockScenario.reply(calc).whenBodyContains("Now do step 2").whenLastMessageIs(MockScenario.LastMessage.TEXT)
                        .repeating());
    }
}
