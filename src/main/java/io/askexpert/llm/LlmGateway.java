package io.askexpert.llm;

import io.askexpert.config.LlmSettings;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.llm.provider.AnthropicProvider;
import io.askexpert.llm.provider.OfflineProvider;
import io.askexpert.llm.provider.OpenAiProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way to call a model. {@link #stream} relays text deltas as they arrive, and each tool
 * call once its input is whole, and ends with exactly one {@code Completed} or {@code Failed}
 * event; {@link #complete} returns the whole turn with the same usage and cost. Both go through the same chain: retries with backoff and
 * {@code Retry-After}, {@code LLM_FALLBACK_MODEL} before the first token only, a circuit breaker
 * per provider and model, and the connect, first-token and token-gap timeouts. With no provider key the
 * offline provider answers from the request's passages.
 */
public final class LlmGateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LlmGateway.class);

    private final ModelRouter router;
    private final FallbackChain chain;
    private final PriceTable prices;
    private final LlmMetrics metrics;
    private final StreamWatchdog watchdog;
    private final Map<String, LlmProvider> providers;
    private final CircuitBreakers breakers;

    public LlmGateway(LlmSettings settings, PriceTable prices, MeterRegistry registry) {
        this.providers = providers(settings);
        LlmProvider first = providers.values().iterator().next();
        String defaultModel = switch (first.name()) {
            case "anthropic" -> settings.anthropicModel();
            case "openai" -> settings.openaiModel();
            default -> OfflineProvider.MODEL;
        };
        this.router = new ModelRouter(providers, new ModelRouter.Target(first, defaultModel), settings.fallbackModel());
        this.prices = prices;
        this.metrics = new LlmMetrics(registry);
        this.watchdog = new StreamWatchdog(settings.firstTokenTimeout(), settings.tokenGapTimeout());
        this.breakers = new CircuitBreakers(settings.breakerWindow(), settings.breakerFailureRate(),
                settings.breakerOpenDuration());
        this.chain = new FallbackChain(router, breakers, watchdog, metrics, settings);
        log.info("LLM gateway: {} (default model {}{}; HTTP client {})", offline() ? "offline provider, no key configured"
                        : String.join(", ", providers.keySet()), defaultModel,
                settings.fallbackModel().isBlank() ? "" : ", fallback " + settings.fallbackModel(), settings.httpClient());
    }

    private static Map<String, LlmProvider> providers(LlmSettings settings) {
        Map<String, LlmProvider> providers = new LinkedHashMap<>();
        if (settings.anthropicApiKey().isPresent()) {
            providers.put("anthropic", new AnthropicProvider(settings.anthropicApiKey().value(),
                    settings.anthropicBaseUrl(), settings.connectTimeout(), settings.httpClient()));
        }
        if (settings.openaiApiKey().isPresent()) {
            providers.put("openai", new OpenAiProvider(settings.openaiApiKey().value(),
                    settings.openaiBaseUrl(), settings.connectTimeout(), settings.httpClient()));
        }
        if (providers.isEmpty()) {
            providers.put("offline", new OfflineProvider());
        }
        return providers;
    }

    /**
     * Starts a streamed call on its own virtual thread. {@code sink} receives, on that thread and
     * in order, the text deltas and whole tool calls and then one terminal event; it should hand
     * them on quickly. {@link LlmCall#terminal()} completes with that terminal event.
     */
    public LlmCall stream(LlmRequest request, Consumer<LlmEvent> sink) {
        LlmCall call = new LlmCall();
        Thread.ofVirtual().name("llm-call").start(() -> {
            call.bindWorker(Thread.currentThread());
            metrics.streamOpened();
            LlmEvent.Terminal terminal;
            try {
                terminal = terminal(chain.run(request, call, true, sink,
                        (provider, model, attempt) -> provider.stream(request, model, attempt)));
            } finally {
                metrics.streamClosed();
            }
            try {
                sink.accept(terminal);
            } catch (RuntimeException e) {
                log.debug("LLM event consumer failed on the terminal event", e);
            }
            call.finish(terminal);
        });
        return call;
    }

    /** The whole answer at once; every provider failing is {@code LLM_ERROR} (502). */
    public LlmResponse complete(LlmRequest request) {
        LlmCall call = new LlmCall();
        call.bindWorker(Thread.currentThread());
        FallbackChain.Outcome<LlmProvider.Answer> outcome = chain.run(request, call, false, event -> { },
                (provider, model, attempt) -> provider.complete(request, model, attempt));
        return switch (outcome) {
            case FallbackChain.Outcome.Success<LlmProvider.Answer> s -> {
                String provider = s.target().provider().name();
                BigDecimal cost = cost(s.usage(), s.target().model());
                metrics.finished(provider, s.target().model(), "completed", s.usage(), cost);
                yield new LlmResponse(s.value().text(), s.usage(), s.value().stopReason(), s.target().model(),
                        provider, s.target().provider().offline(), cost, s.toolCalls());
            }
            case FallbackChain.Outcome.Failure<LlmProvider.Answer> f -> {
                metrics.finished(f.target().provider().name(), f.target().model(), "failed", f.partialUsage(),
                        cost(f.partialUsage(), f.target().model()));
                throw new AskExpertException(ErrorCode.LLM_ERROR, f.failure().message(),
                        Map.of("failure", f.failure().kind().name().toLowerCase()));
            }
        };
    }

    private LlmEvent.Terminal terminal(FallbackChain.Outcome<StopReason> outcome) {
        return switch (outcome) {
            case FallbackChain.Outcome.Success<StopReason> s -> {
                String provider = s.target().provider().name();
                BigDecimal cost = cost(s.usage(), s.target().model());
                metrics.finished(provider, s.target().model(), "completed", s.usage(), cost);
                yield new LlmEvent.Completed(s.usage(), s.value(), s.target().model(), provider,
                        s.target().provider().offline(), cost, s.toolCalls());
            }
            case FallbackChain.Outcome.Failure<StopReason> f -> {
                String provider = f.target().provider().name();
                metrics.finished(provider, f.target().model(),
                        f.failure().kind() == LlmFailure.Kind.CANCELLED ? "cancelled" : "failed",
                        f.partialUsage(), cost(f.partialUsage(), f.target().model()));
                yield new LlmEvent.Failed(f.failure(), f.beforeFirstToken(), f.partialUsage(), f.target().model(), provider);
            }
        };
    }

    /** {@code usage} priced for {@code model} in USD; 0 (with a warning) for a model with no price. */
    public BigDecimal cost(Usage usage, String model) {
        return prices.cost(usage, model);
    }

    /**
     * The most a call of {@code model} can cost with a prompt of {@code inputTokens} and an answer of
     * {@code outputTokens}: priced at the dearest model its chain may answer with (the model asked
     * for, or the default when no key serves its provider, then {@code LLM_FALLBACK_MODEL}).
     */
    public BigDecimal maxCost(@Nullable String model, long inputTokens, long outputTokens) {
        Usage usage = new Usage(inputTokens, outputTokens, 0, 0);
        return router.chain(model).stream().map(t -> prices.cost(usage, t.model()))
                .max(Comparator.naturalOrder()).orElse(BigDecimal.ZERO);
    }

    /**
     * {@code request} with {@code max_tokens} lowered so that its prompt ({@link LlmRequest#estimatedInputTokens})
     * and its answer cost at most {@code limitUsd} on any model of its chain; empty when fewer than
     * {@code minTokens} of answer would fit. A model without a price costs nothing and limits nothing.
     */
    public Optional<LlmRequest> within(LlmRequest request, BigDecimal limitUsd, int minTokens) {
        BigDecimal input = BigDecimal.valueOf(request.estimatedInputTokens());
        BigDecimal microLimit = limitUsd.multiply(BigDecimal.valueOf(1_000_000));
        long fits = request.maxTokens();
        for (ModelRouter.Target t : router.chain(request.model())) {
            Optional<PriceTable.Price> price = prices.price(t.model());
            if (price.isEmpty()) {
                continue;
            }
            BigDecimal room = microLimit.subtract(price.get().input().multiply(input));
            long tokens = room.signum() < 0 ? -1 : price.get().output().signum() == 0 ? fits
                    : room.divide(price.get().output(), 0, RoundingMode.DOWN).min(BigDecimal.valueOf(fits)).longValue();
            fits = Math.min(fits, tokens);
        }
        return fits < Math.max(1, minTokens) ? Optional.empty()
                : Optional.of(fits == request.maxTokens() ? request : request.withMaxTokens((int) fits));
    }

    /** The model used when a request (or an expert) names none. */
    public String defaultModel() {
        return router.defaultTarget().model();
    }

    /**
     * The state of each circuit breaker used so far, one per provider and model:
     * {@code anthropic/claude-sonnet-4-20250514} → {@code closed}, {@code open} or {@code half_open}.
     */
    public Map<String, String> breakerStates() {
        return breakers.states();
    }

    /** True when no provider key is configured and answers are extractive. */
    public boolean offline() {
        return router.defaultTarget().provider().offline();
    }

    @Override
    public void close() {
        watchdog.close();
        for (LlmProvider p : providers.values()) {
            if (p instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.debug("closing LLM provider {} failed", p.name(), e);
                }
            }
        }
    }
}
