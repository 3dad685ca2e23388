package io.askexpert.llm;

/** Thrown by a provider attempt; the gateway turns it into a retry, a fallback or a {@code Failed} event. */
public final class LlmFailureException extends Exception {

    private final transient LlmFailure failure;

    public LlmFailureException(LlmFailure failure) {
        super(failure.message(), null, false, false);
        this.failure = failure;
    }

    public LlmFailureException(LlmFailure failure, Throwable cause) {
        super(failure.message(), cause, false, false);
        this.failure = failure;
    }

    public LlmFailure failure() {
        return failure;
    }
}
