package io.askexpert.tools;

import java.math.BigDecimal;

/** One tool the experts may call. Implementations are beans; {@link ToolRegistry} collects them. */
public interface Tool {

    ToolSpec spec();

    /**
     * Runs the call with input already checked against the schema. The registry interrupts it at
     * the spec's timeout; a side-effecting tool sends {@link ToolInvocation#idempotencyKey()} to
     * the other side so that a retried call changes nothing twice.
     */
    ToolOutput run(ToolInvocation invocation) throws Exception;

    /**
     * The most this call can cost, which a mission holds of its budget before it runs: the spec's fixed
     * price, unless the cost depends on the input (a delegation: its expert's model).
     */
    default BigDecimal costBound(ToolInvocation invocation) {
        return spec().costUsd();
    }
}
