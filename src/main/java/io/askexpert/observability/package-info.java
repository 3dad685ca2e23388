/**
 * Metrics and traces under the runbook's names (Monitoring &amp; Alerting, Langfuse Traces).
 * Entry point for traces: {@link io.askexpert.observability.Tracing}.
 */
@NullMarked
package io.askexpert.observability;

import org.jspecify.annotations.NullMarked;
