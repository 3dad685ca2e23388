/**
 * Tools, the L5 level of the expert hierarchy: what a mission's experts may call, each with its
 * JSON schema, timeout, cost and whether it has side effects. The registry is the one place that
 * knows them and runs them (span {@code tool_execution}). Entry point:
 * {@link io.askexpert.tools.ToolRegistry}.
 */
@NullMarked
package io.askexpert.tools;

import org.jspecify.annotations.NullMarked;
