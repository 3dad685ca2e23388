package io.askexpert.runs;

import java.util.function.BiConsumer;

/**
 * Carries "cancel run X" to the instance that runs X. Delivery is at most once and only to
 * instances listening at the time, which is enough: only the owner of a live run acts on it.
 * Implementations: {@code RedisCancelSignal} (pub/sub on {@code ask_expert_run_cancel}) and
 * {@code InProcessCancelSignal}.
 */
interface CancelSignal {

    void send(String runId, String reason);

    /** Registers the one receiver of this instance: {@code (runId, reason)}. */
    void listen(BiConsumer<String, String> receiver);
}
