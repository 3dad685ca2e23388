package io.askexpert.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.askexpert.errors.AskExpertException;
import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.mockllm.MockStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway over real HTTP against the mock server, in both wire formats and every failure path. */
class LlmGatewayIT {

    private static final String CLAUDE = "claude-sonnet-4-20250514";
    private static final PriceTable PRICES = PriceTable.load(Optional.empty());

    private MockLlmServer mock;
    private LlmGateway gateway;

    @BeforeEach
    void startMock() throws Exception {
        mock = MockLlmServer.start(MockLlmConfig.forTests().withCacheTokens(7, 3));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        mock.close();
    }

    private LlmGateway gateway(LlmTestSettings settings) {
        gateway = new LlmGateway(settings.build(), PRICES, new SimpleMeterRegistry());
        return gateway;
    }

    private LlmTestSettings settings() {
        return LlmTestSettings.against(mock.baseUri(), mock.openAiBaseUri());
    }

    private static LlmRequest request(String model) {
        return LlmRequest.of(model, "You are a regulatory expert.", "What belongs in the CMC section of an IND?", 1024);
    }

    /** Collects what a streamed call emits. */
    static final class Recorder implements java.util.function.Consumer<LlmEvent> {
        final List<LlmEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void accept(LlmEvent event) {
            events.add(event);
        }

        String text() {
            return events.stream().filter(e -> e instanceof LlmEvent.TextDelta)
                    .map(e -> ((LlmEvent.TextDelta) e).text()).collect(Collectors.joining());
        }

        long deltas() {
            return events.stream().filter(e -> e instanceof LlmEvent.TextDelta).count();
        }
    }

    private static LlmEvent terminal(LlmCall call) throws Exception {
        return call.terminal().get(20, TimeUnit.SECONDS);
    }

    @Test
    void streams_an_anthropic_answer_with_usage_and_cache_tokens_from_the_stream() throws Exception {
        Recorder events = new Recorder();
        LlmEvent end = terminal(gateway(settings().anthropicOnly()).stream(request(CLAUDE), events));

        assertThat(end).isInstanceOf(LlmEvent.Completed.class);
        LlmEvent.Completed done = (LlmEvent.Completed) end;
        assertThat(done.provider()).isEqualTo("anthropic");
        assertThat(done.model()).isEqualTo(CLAUDE);
        assertThat(done.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(events.deltas()).isEqualTo(20);
        assertThat(events.text()).startsWith("Regulatory guidance expects");
        assertThat(done.usage().outputTokens()).isEqualTo(20);
        assertThat(done.usage().cacheReadTokens()).isEqualTo(7);
        assertThat(done.usage().cacheWriteTokens()).isEqualTo(3);
        assertThat(done.usage().inputTokens()).isPositive();
        assertThat(done.costUsd()).isEqualByComparingTo(PRICES.cost(done.usage(), CLAUDE)).isPositive();
        assertThat(events.events.getLast()).isSameAs(end);
    }

    @Test
    void streams_an_openai_answer_with_the_final_usage_chunk() throws Exception {
        Recorder events = new Recorder();
        LlmEvent end = terminal(gateway(settings().openAiOnly()).stream(request("gpt-4o-mini"), events));

        LlmEvent.Completed done = (LlmEvent.Completed) end;
        assertThat(done.provider()).isEqualTo("openai");
        assertThat(done.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(events.deltas()).isEqualTo(20);
        assertThat(done.usage().outputTokens()).isEqualTo(20);
        // prompt_tokens include the cached ones; the gateway splits them so each is priced once.
        assertThat(done.usage().cacheReadTokens()).isEqualTo(7);
        assertThat(done.usage().cacheWriteTokens()).isZero();
        assertThat(done.usage().inputTokens()).isPositive();
    }

    @Test
    void cost_is_the_same_streamed_and_not_in_both_formats() throws Exception {
        LlmGateway g = gateway(settings());
        for (String model : List.of(CLAUDE, "gpt-4o-mini")) {
            LlmEvent.Completed streamed = (LlmEvent.Completed) terminal(g.stream(request(model), new Recorder()));
            LlmResponse whole = g.complete(request(model));
            assertThat(whole.usage()).isEqualTo(streamed.usage());
            assertThat(whole.costUsd()).isEqualByComparingTo(streamed.costUsd()).isPositive();
            assertThat(whole.text()).startsWith("Regulatory guidance expects");
        }
    }

    @Test
    void falls_back_after_429_before_the_first_token() throws Exception {
        Recorder events = new Recorder();
        LlmEvent end = terminal(gateway(settings().withFallback("openai:gpt-4o-mini").withRetries(0))
                .stream(request("anthropic:mock-429"), events));

        LlmEvent.Completed done = (LlmEvent.Completed) end;
        assertThat(done.provider()).isEqualTo("openai");
        assertThat(done.model()).isEqualTo("gpt-4o-mini");
        assertThat(events.deltas()).isEqualTo(20);
        assertThat(mock.stats().byFault()).containsEntry("429", 1L).containsEntry("ok", 1L);
    }

    @Test
    void retries_500_with_backoff_then_falls_back() throws Exception {
        LlmEvent end = terminal(gateway(settings().withFallback("openai:gpt-4o-mini").withRetries(2))
                .stream(request("anthropic:mock-500"), new Recorder()));

        assertThat(((LlmEvent.Completed) end).provider()).isEqualTo("openai");
        assertThat(mock.stats().byFault()).containsEntry("500", 3L).containsEntry("ok", 1L);
    }

    @Test
    void a_stall_before_the_first_token_times_out_and_falls_back_without_retrying_the_stalled_model() throws Exception {
        LlmEvent end = terminal(gateway(settings().withFallback("openai:gpt-4o-mini").withRetries(2))
                .stream(request("anthropic:mock-stall-first"), new Recorder()));

        assertThat(((LlmEvent.Completed) end).provider()).isEqualTo("openai");
        assertThat(mock.stats().byFault()).containsEntry("stall-first", 1L);
        await().until(() -> mock.stats().clientClosed() == 1);
    }

    @Test
    void a_cut_after_the_first_token_ends_with_failed_and_no_fallback() throws Exception {
        Recorder events = new Recorder();
        LlmEvent end = terminal(gateway(settings().withFallback("openai:gpt-4o-mini"))
                .stream(request("anthropic:mock-cut-after-3"), events));

        assertThat(end).isInstanceOf(LlmEvent.Failed.class);
        LlmEvent.Failed failed = (LlmEvent.Failed) end;
        assertThat(failed.beforeFirstToken()).isFalse();
        assertThat(failed.failure().kind()).isEqualTo(LlmFailure.Kind.STREAM_CUT);
        assertThat(failed.partialUsage().outputTokens()).isEqualTo(3);
        assertThat(events.deltas()).isEqualTo(3);
        assertThat(mock.stats().requests()).isEqualTo(1);
    }

    @Test
    void a_stall_mid_stream_ends_with_a_token_gap_failure() throws Exception {
        Recorder events = new Recorder();
        LlmEvent end = terminal(gateway(settings().withFallback("openai:gpt-4o-mini"))
                .stream(request("anthropic:mock-stall-after-2"), events));

        LlmEvent.Failed failed = (LlmEvent.Failed) end;
        assertThat(failed.failure().kind()).isEqualTo(LlmFailure.Kind.TOKEN_GAP_TIMEOUT);
        assertThat(failed.beforeFirstToken()).isFalse();
        assertThat(events.deltas()).isEqualTo(2);
        await().until(() -> mock.stats().clientClosed() == 1);
    }

    @Test
    void cancel_closes_the_upstream_connection_and_reports_partial_usage() throws Exception {
        mock.close();
        mock = MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(10), 20, 200));
        Recorder events = new Recorder();
        LlmCall call = gateway(settings().anthropicOnly()).stream(request(CLAUDE), events);
        await().until(() -> events.deltas() >= 2);

        long before = System.nanoTime();
        call.cancel();
        LlmEvent end = terminal(call);
        await().until(() -> mock.stats().clientClosed() == 1);
        MockStats stats = mock.stats();
        System.out.printf("cancel → upstream connection closed at the mock: %.2f ms%n",
                (stats.lastClientCloseNanos() - before) / 1e6);

        LlmEvent.Failed failed = (LlmEvent.Failed) end;
        assertThat(failed.failure().kind()).isEqualTo(LlmFailure.Kind.CANCELLED);
        assertThat(failed.partialUsage().outputTokens()).isGreaterThanOrEqualTo(2);
        assertThat(failed.partialUsage().inputTokens()).isPositive();
        assertThat(stats.activeStreams()).isZero();
        assertThat(stats.streamsCompleted()).isZero();
    }

    @Test
    void honours_retry_after_before_retrying_the_same_model() throws Exception {
        mock.script(CLAUDE, "429:1", "ok");
        long start = System.nanoTime();
        LlmEvent end = terminal(gateway(settings().anthropicOnly().withRetries(1)).stream(request(CLAUDE), new Recorder()));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(((LlmEvent.Completed) end).model()).isEqualTo(CLAUDE);
        assertThat(mock.stats().byFault()).containsEntry("429", 1L).containsEntry("ok", 1L);
        // The retry waited for the provider's Retry-After (1 s), not the 20 ms backoff.
        assertThat(elapsedMs).isGreaterThanOrEqualTo(950);
    }

    @Test
    void the_breaker_opens_after_repeated_failures_and_stops_calling_the_provider() throws Exception {
        LlmGateway g = gateway(settings().anthropicOnly().withRetries(0).withBreakerWindow(4));
        LlmFailure.Kind last = null;
        for (int i = 0; i < 6 && last != LlmFailure.Kind.CIRCUIT_OPEN; i++) {
            last = ((LlmEvent.Failed) terminal(g.stream(request("mock-500"), new Recorder()))).failure().kind();
        }
        assertThat(last).isEqualTo(LlmFailure.Kind.CIRCUIT_OPEN);
        long served = mock.stats().requests();
        LlmEvent.Failed again = (LlmEvent.Failed) terminal(g.stream(request("mock-500"), new Recorder()));
        assertThat(again.failure().kind()).isEqualTo(LlmFailure.Kind.CIRCUIT_OPEN);
        assertThat(mock.stats().requests()).isEqualTo(served);
    }

    @Test
    void a_fallback_model_on_the_same_provider_answers_while_the_primary_models_breaker_is_open() throws Exception {
        LlmGateway g = gateway(settings().anthropicOnly().withRetries(0).withBreakerWindow(4)
                .withFallback("claude-haiku-4-5"));
        for (int i = 0; i < 4; i++) {
            LlmEvent.Completed done = (LlmEvent.Completed) terminal(g.stream(request("mock-500"), new Recorder()));
            assertThat(done.model()).isEqualTo("claude-haiku-4-5");
        }
        assertThat(g.breakerStates()).containsEntry("anthropic/mock-500", "open")
                .containsEntry("anthropic/claude-haiku-4-5", "closed");
        long failedAtPrimary = mock.stats().byFault().get("500");

        for (int i = 0; i < 5; i++) {
            LlmEvent.Completed done = (LlmEvent.Completed) terminal(g.stream(request("mock-500"), new Recorder()));
            assertThat(done.model()).isEqualTo("claude-haiku-4-5");
            assertThat(done.provider()).isEqualTo("anthropic");
        }
        // The open breaker spares the failing model; its sibling keeps answering.
        assertThat(mock.stats().byFault().get("500")).isEqualTo(failedAtPrimary);
        assertThat(mock.stats().byFault()).containsEntry("ok", 9L);
    }

    @Test
    void complete_falls_back_on_500_and_fails_with_llm_error_when_everything_fails() {
        LlmGateway g = gateway(settings().withFallback("openai:gpt-4o-mini").withRetries(0));
        assertThat(g.complete(request("anthropic:mock-500")).provider()).isEqualTo("openai");

        LlmGateway failing = new LlmGateway(settings().withFallback("openai:mock-503").withRetries(0).build(), PRICES,
                new SimpleMeterRegistry());
        try {
            assertThatThrownBy(() -> failing.complete(request("anthropic:mock-500")))
                    .isInstanceOf(AskExpertException.class)
                    .hasMessageContaining("every provider and the fallback failed");
        } finally {
            failing.close();
        }
    }
}
