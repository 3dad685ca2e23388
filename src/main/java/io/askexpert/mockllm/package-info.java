/**
 * The mock LLM server (issue #6 item 1): speaks the Anthropic Messages and OpenAI chat-completions
 * wire formats, streamed and not, with configurable timing, usage (cache tokens included),
 * scripted faults and scripted replies with tool calls, matched on the request. Used by tests as a
 * library and by the benchmark through {@code mock-llm}.
 * Entry point: {@link io.askexpert.mockllm.MockLlmServer}.
 */
@NullMarked
package io.askexpert.mockllm;

import org.jspecify.annotations.NullMarked;
