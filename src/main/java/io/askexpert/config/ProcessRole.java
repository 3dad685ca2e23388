package io.askexpert.config;

/**
 * What this process does, from {@code ASK_EXPERT_ROLE} (or the command that started it): the
 * values are the runbook's, lower case as before ({@code serve}, {@code api}, {@code worker}), and
 * {@code cli} for a short command's context.
 */
public enum ProcessRole {
    /** The HTTP API and the in-process mission worker (the default). */
    SERVE,
    /** The HTTP API only; missions run on separate workers. */
    API,
    /** Mission workers only; no servlet stack (its health and metrics: {@code observability.WorkerEndpoints}). */
    WORKER,
    /** A short command ({@code db}, {@code token}, …): neither the API nor a worker. */
    CLI;

    /** The property that holds the role, bound from {@code ASK_EXPERT_ROLE}. */
    public static final String PROPERTY = "ask-expert.role";
    /** {@link #WORKER}'s value, for annotations, which cannot call {@link #value()}. */
    public static final String WORKER_VALUE = "worker";

    /** The value as {@code ASK_EXPERT_ROLE} and {@code --ask-expert.role} spell it. */
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** True for {@code serve} and {@code api}. */
    public boolean servesApi() {
        return this == SERVE || this == API;
    }

    /** True for {@code serve} and {@code worker}. */
    public boolean runsWorker() {
        return this == SERVE || this == WORKER;
    }
}
