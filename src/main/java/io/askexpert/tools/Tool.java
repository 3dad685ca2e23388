package io.askexpert.tools;

/** One tool the experts may call. Implementations are beans; {@link ToolRegistry} collects them. */
public interface Tool {

    ToolSpec spec();

    /**
     * Runs the call with input already checked against the schema. The registry interrupts it at
     * the spec's timeout; a side-effecting tool sends {@link ToolInvocation#idempotencyKey()} to
     * the other side so that a retried call changes nothing twice.
     */
    ToolOutput run(ToolInvocation invocation) throws Exception;
}
