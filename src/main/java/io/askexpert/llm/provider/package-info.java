/**
 * Internal to {@code llm}: the provider implementations (Anthropic Messages, OpenAI chat
 * completions, offline extractive) and their shared HTTP and SSE plumbing. Use
 * {@link io.askexpert.llm.LlmGateway}, never these classes directly.
 */
@NullMarked
package io.askexpert.llm.provider;

import org.jspecify.annotations.NullMarked;
