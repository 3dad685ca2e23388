/**
 * The LLM gateway (issue #4 item 1): Anthropic, OpenAI-compatible and offline providers behind
 * {@link io.askexpert.llm.LlmProvider}, native tool calling in both wire formats, fallback before
 * the first token, retries, circuit breakers, three timeouts, usage from the provider's own stream
 * and its price.
 * Entry point: {@link io.askexpert.llm.LlmGateway}.
 */
@NullMarked
package io.askexpert.llm;

import org.jspecify.annotations.NullMarked;
