package io.askexpert.runs;

import java.util.function.BiConsumer;

/** Without Redis there is one instance: a cancel is delivered straight to its receiver. */
final class InProcessCancelSignal implements CancelSignal {

    private volatile BiConsumer<String, String> receiver = (run, reason) -> { };

    @Override
    public void send(String runId, String reason) {
        receiver.accept(runId, reason);
    }

    @Override
    public void listen(BiConsumer<String, String> receiver) {
        this.receiver = receiver;
    }
}
