/**
 * External tools served by MCP servers (the official MCP Java SDK), declared per tenant and
 * allow-listed per expert: each server tool becomes a {@link io.askexpert.tools.Tool} named
 * {@code mcp__<server>__<tool>} with the server's schema, a timeout and a side-effect flag that
 * feeds the human-in-the-loop rules. Entry point: {@link io.askexpert.mcp.McpTools}.
 */
@NullMarked
package io.askexpert.mcp;

import org.jspecify.annotations.NullMarked;
