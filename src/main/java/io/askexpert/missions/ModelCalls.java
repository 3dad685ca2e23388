package io.askexpert.missions;

import io.askexpert.budget.Reservation;
import io.askexpert.errors.ErrorCode;
import io.askexpert.llm.LlmCall;
import io.askexpert.llm.LlmEvent;
import io.askexpert.llm.LlmFailure;
import io.askexpert.llm.LlmGateway;
import io.askexpert.llm.LlmRequest;
import io.askexpert.llm.PriceTable;
import io.askexpert.runs.RunEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * A mission's model calls: each one recorded under its key (so a replay never calls again), reserved
 * before it runs at {@code input tokens × input price + max_tokens × output price} and settled with
 * the provider's usage after, its text streamed as {@code token} events. A call that fails is tried
 * once more under the same key (the gateway has already retried and fallen back across providers);
 * a second failure is the step's failure.
 */
final class ModelCalls {

    /** The smallest reservation, so that a model missing from the price table still books a call. */
    private static final BigDecimal MIN_ESTIMATE = new BigDecimal("0.000001");

    private final LlmGateway llm;
    private final PriceTable prices;

    ModelCalls(LlmGateway llm, PriceTable prices) {
        this.llm = llm;
        this.prices = prices;
    }

    /** Thrown inside a recorded call when the model failed; nothing is recorded for it. */
    static final class CallFailed extends RuntimeException {
        private final LlmFailure failure;

        CallFailed(LlmFailure failure) {
            super(failure.message(), null, false, false);
            this.failure = failure;
        }

        LlmFailure failure() {
            return failure;
        }
    }

    /**
     * The turn recorded under {@code key}, or a new call of {@code request}. {@code what} names the
     * work for a failure's message ("step 2 (Compare the rules)").
     */
    LlmTurn turn(MissionContext ctx, String key, Supplier<LlmRequest> request, String what, boolean streamTokens)
            throws Exception {
        CallFailed last = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            ctx.run().checkInterrupted();
            try {
                return ctx.run().once(key, LlmTurn.class, () -> call(ctx, key, request.get(), streamTokens));
            } catch (CallFailed e) {
                if (e.failure().kind() == LlmFailure.Kind.CANCELLED) {
                    ctx.run().checkInterrupted();
                }
                last = e;
            }
        }
        throw new MissionFailure(ErrorCode.LLM_ERROR, capitalised(what) + " failed: the model call failed twice ("
                + last.failure().message() + ")");
    }

    private LlmTurn call(MissionContext ctx, String key, LlmRequest request, boolean streamTokens) throws Exception {
        Reservation reservation = ctx.run().reserve(key, estimate(request), "llm " + key);
        // The gateway delivers events on its own thread; they are emitted here, on the worker's thread,
        // because the run tells a recorded call's events from a replay's by the thread that emits them.
        BlockingQueue<LlmEvent> events = new LinkedBlockingQueue<>();
        LlmCall call = llm.stream(request, events::add);
        StringBuilder text = new StringBuilder();
        int tokens = 0;
        LlmEvent.Terminal terminal;
        try {
            while (true) {
                LlmEvent event = events.take();
                if (event instanceof LlmEvent.TextDelta d) {
                    text.append(d.text());
                    if (streamTokens) {
                        ctx.run().emit(new RunEvent.Token(d.text(), tokens++));
                    }
                } else if (event instanceof LlmEvent.Terminal t) {
                    terminal = t;
                    break;
                }
            }
        } catch (InterruptedException e) {
            // The worker is being stopped (cancel, pause, lost lease): stop the upstream call too.
            call.cancel();
            ctx.run().settle(reservation, BigDecimal.ZERO);
            ctx.run().checkInterrupted();
            Thread.currentThread().interrupt();
            throw e;
        }
        return switch (terminal) {
            case LlmEvent.Completed c -> {
                ctx.run().settle(reservation, c.costUsd(), ModelUsage.of(c));
                yield new LlmTurn(text.toString(), c.toolCalls(), c.stopReason(), c.model(), c.usage(), c.costUsd());
            }
            case LlmEvent.Failed f -> {
                ctx.run().settle(reservation, llm.cost(f.partialUsage(), f.model()), ModelUsage.of(f));
                throw new CallFailed(f.failure());
            }
        };
    }

    /** What the call may cost at most: its prompt at the input price and {@code max_tokens} at the output price. */
    BigDecimal estimate(LlmRequest request) {
        long inputTokens = request.estimatedInputTokens();
        String model = request.model() != null ? request.model() : llm.defaultModel();
        BigDecimal estimate = prices.price(model).map(p -> p.input().multiply(BigDecimal.valueOf(inputTokens))
                        .add(p.output().multiply(BigDecimal.valueOf(request.maxTokens())))
                        .divide(BigDecimal.valueOf(1_000_000), 8, RoundingMode.UP))
                .orElse(BigDecimal.ZERO);
        return estimate.max(MIN_ESTIMATE);
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
