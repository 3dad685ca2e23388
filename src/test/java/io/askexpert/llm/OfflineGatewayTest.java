package io.askexpert.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.knowledge.Source;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With no key configured, answers are extractive, cited, labelled offline and free. */
class OfflineGatewayTest {

    private final LlmGateway gateway = new LlmGateway(LlmTestSettings.offline().build(),
            PriceTable.load(Optional.empty()), new SimpleMeterRegistry());

    @AfterEach
    void close() {
        gateway.close();
    }

    private static Source source(int index, String title, String excerpt) {
        return new Source("c" + index, index, "regulatory", title, excerpt, null, 0.8, "d" + index, "c" + index, Map.of());
    }

    private static LlmRequest question(List<Source> passages) {
        return LlmRequest.of(null, "You are an FDA expert.",
                "What stability data does an IND need for the drug substance?", 512).withPassages(passages);
    }

    @Test
    void streams_the_most_relevant_sentences_with_their_citations() throws Exception {
        List<Source> passages = List.of(
                source(1, "IND CMC primer", "An IND must include stability data for the drug substance. "
                        + "Clinical hold letters are rare in phase 1."),
                source(2, "Device primer", "A 510(k) shows substantial equivalence to a predicate device."),
                source(3, "Stability guidance", "Stability data should cover the proposed storage conditions "
                        + "of the drug substance for the duration of the clinical study."));
        LlmGatewayIT.Recorder events = new LlmGatewayIT.Recorder();
        LlmEvent end = gateway.stream(question(passages), events).terminal().get(5, TimeUnit.SECONDS);

        assertThat(gateway.offline()).isTrue();
        assertThat(gateway.defaultModel()).isEqualTo("offline-extractive");
        LlmEvent.Completed done = (LlmEvent.Completed) end;
        assertThat(done.offline()).isTrue();
        assertThat(done.provider()).isEqualTo("offline");
        assertThat(done.costUsd()).isZero();
        assertThat(events.deltas()).isGreaterThan(10);
        String text = events.text();
        assertThat(text).startsWith("Offline answer").contains("[1]").contains("[3]").doesNotContain("510(k)");
        assertThat(text).contains("An IND must include stability data for the drug substance. [1]");
        assertThat(done.usage().outputTokens()).isEqualTo(events.deltas());
        assertThat(gateway.complete(question(passages)).text()).isEqualTo(text);
    }

    @Test
    void says_plainly_when_there_is_nothing_to_quote() {
        LlmResponse answer = gateway.complete(question(List.of()));
        assertThat(answer.offline()).isTrue();
        assertThat(answer.text()).startsWith("Offline answer").contains("no source passage");
    }

    @Test
    void accepts_a_request_with_tools_and_answers_without_calling_any() throws Exception {
        LlmTool calculator = new LlmTool("calculator", "Arithmetic.", Map.of("type", "object"));
        LlmRequest withTools = question(List.of(source(1, "IND CMC primer",
                "An IND must include stability data for the drug substance."))).withTools(List.of(calculator),
                LlmToolChoice.ANY);
        LlmGatewayIT.Recorder events = new LlmGatewayIT.Recorder();
        LlmEvent.Completed done = (LlmEvent.Completed) gateway.stream(withTools, events).terminal().get(5, TimeUnit.SECONDS);

        assertThat(done.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(done.toolCalls()).isEmpty();
        assertThat(events.events).noneMatch(e -> e instanceof LlmEvent.ToolCallRequested);
        assertThat(events.text()).contains("[1]");
        assertThat(gateway.complete(withTools).toolCalls()).isEmpty();
    }
}
