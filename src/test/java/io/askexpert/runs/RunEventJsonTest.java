package io.askexpert.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.fusion.FusionEvidence;
import io.askexpert.fusion.PanelRole;
import io.askexpert.fusion.SelectedExpert;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The bytes of each event are pinned: api.md §4's names, case and optional fields. */
class RunEventJsonTest {

    private final RunEventJson json = new RunEventJson();

    static final RunEvent.Passage PASSAGE = new RunEvent.Passage("c1", 1, "fda", "Guidance", "Text \"quoted\"\nnext",
            null, 0.82, "d1", "c1", Map.of());

    static Stream<Arguments> golden() {
        return Stream.of(
                Arguments.of(new RunEvent.Run("run_1", "s1", null, "mode1_manual_interactive"),
                        "run", "{\"run_id\":\"run_1\",\"session_id\":\"s1\",\"mode\":\"mode1_manual_interactive\"}"),
                Arguments.of(new RunEvent.Token("Hi", 0), "token", "{\"content\":\"Hi\",\"tokenIndex\":0}"),
                Arguments.of(new RunEvent.AgentSelected(new RunEvent.AgentSelected.Agent("a1", "FDA", 2, "510(k)", 1.0)),
                        "agent_selected",
                        "{\"agent\":{\"id\":\"a1\",\"name\":\"FDA\",\"level\":2,\"specialty\":\"510(k)\",\"score\":1.0}}"),
                Arguments.of(new RunEvent.Reasoning("retrieval", "FDA", "a1", 2, "5 passages", "completed", 12),
                        "reasoning", "{\"step\":\"retrieval\",\"agent\":\"FDA\",\"agentId\":\"a1\",\"agentLevel\":2,"
                                + "\"content\":\"5 passages\",\"status\":\"completed\",\"durationMs\":12}"),
                Arguments.of(new RunEvent.Citation(PASSAGE), "citation",
                        "{\"id\":\"c1\",\"index\":1,\"source\":\"fda\",\"title\":\"Guidance\","
                                + "\"excerpt\":\"Text \\\"quoted\\\"\\nnext\",\"url\":null,\"confidence\":0.82,"
                                + "\"document_id\":\"d1\",\"chunk_id\":\"c1\",\"metadata\":{}}"),
                Arguments.of(new RunEvent.Cost(10, 20, 3, 4, 37, new BigDecimal("0.000123"), new BigDecimal("0.000123"), null),
                        "cost", "{\"inputTokens\":10,\"outputTokens\":20,\"cacheReadTokens\":3,\"cacheWriteTokens\":4,"
                                + "\"totalTokens\":37,\"estimatedCost\":0.000123,\"currentCost\":0.000123,\"budgetLimit\":null}"),
                Arguments.of(new RunEvent.Failed("LLM_ERROR", "every provider failed", true, null), "error",
                        "{\"code\":\"LLM_ERROR\",\"message\":\"every provider failed\",\"recoverable\":true}"),
                Arguments.of(new RunEvent.Cancelled("client_disconnected", new BigDecimal("0.0001")), "cancelled",
                        "{\"reason\":\"client_disconnected\",\"partial_cost\":0.0001}"),
                Arguments.of(new RunEvent.Done(true, "s1", "m1", "run_1", 1234, 57, new BigDecimal("0.00000001"), null, null),
                        "done", "{\"success\":true,\"session_id\":\"s1\",\"message_id\":\"m1\",\"run_id\":\"run_1\","
                                + "\"response_time_ms\":1234,\"totalTokens\":57,\"cost\":0.00000001}"),
                Arguments.of(new RunEvent.Fusion(List.of(new SelectedExpert("e1", "EMA", 87, PanelRole.LEAD, 2, "CHMP", "Profile similarity ranks it #1.")),
                                RunEvent.Fusion.Evidence.of(new FusionEvidence("weighted_rrf",
                                        new FusionEvidence.Weights(0.4, 0.35, 0.25), List.of("vector"),
                                        Map.of("vector", new FusionEvidence.SourceReport("ok", 3, 2)), Map.of(), Map.of(),
                                        Map.of(), 4, 1, false, null))),
                        "fusion", "{\"selectedExperts\":[{\"id\":\"e1\",\"name\":\"EMA\",\"confidence\":87,\"role\":\"lead\","
                                + "\"level\":2,\"specialty\":\"CHMP\",\"reason\":\"Profile similarity ranks it #1.\"}],\"evidence\":{\"method\":\"weighted_rrf\","
                                + "\"weights\":{\"vector\":0.4,\"graph\":0.35,\"relational\":0.25},\"sources_used\":[\"vector\"],"
                                + "\"per_source\":{\"vector\":{\"status\":\"ok\",\"hits\":3,\"latencyMs\":2}},"
                                + "\"retrieval_time_ms\":4,\"degraded\":false}}"));
    }

    @ParameterizedTest
    @MethodSource("golden")
    void encodes_each_event_exactly(RunEvent event, String name, String data) {
        assertThat(event.wireName()).isEqualTo(name);
        assertThat(json.encode(event)).isEqualTo(data);
    }

    @Test
    void every_event_of_the_contract_has_a_record_that_encodes_on_one_line() throws Exception {
        List<String> contract = List.of("run", "progress", "fusion", "agent_selected", "reasoning", "token", "sources",
                "citation", "tool_call", "tool_result", "plan", "step_started", "step_completed", "step_progress",
                "team_assembly", "delegation", "checkpoint", "artifact", "notification", "preflight",
                "mission_started", "mission_completed", "cost", "heartbeat", "error", "cancelled", "done");
        List<Class<?>> records = Stream.concat(Arrays.stream(RunEvent.class.getPermittedSubclasses()),
                        Arrays.stream(RunEvent.Terminal.class.getPermittedSubclasses()))
                .filter(Class::isRecord).toList();
        List<String> names = new java.util.ArrayList<>();
        for (Class<?> type : records) {
            RunEvent event = (RunEvent) sample(type);
            names.add(event.wireName());
            assertThat(json.encode(event)).doesNotContain("\n").startsWith("{").endsWith("}");
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(contract);
    }

    /** An instance of a record with placeholder values, built through its canonical constructor. */
    private static Object sample(Class<?> type) throws Exception {
        if (type == String.class || type == Object.class) {
            return "x";
        }
        if (type == int.class || type == Integer.class) {
            return 1;
        }
        if (type == long.class || type == Long.class) {
            return 1L;
        }
        if (type == double.class) {
            return 1.0;
        }
        if (type == boolean.class) {
            return true;
        }
        if (type == BigDecimal.class) {
            return BigDecimal.ONE;
        }
        if (type == List.class) {
            return List.of();
        }
        if (type == Map.class) {
            return Map.of();
        }
        var components = type.getRecordComponents();
        Class<?>[] types = Arrays.stream(components).map(java.lang.reflect.RecordComponent::getType).toArray(Class[]::new);
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = sample(types[i]);
        }
        var constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor.newInstance(args);
    }
}
