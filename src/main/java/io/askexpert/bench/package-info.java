/**
 * The benchmark harness: an SSE load generator on virtual threads and the report it writes.
 * It measures streams of the service and of the providers' wire formats alike, so the mock
 * LLM can be measured directly and through the service in the same run.
 * Entry point: {@link io.askexpert.bench.SseLoadGenerator}.
 */
@NullMarked
package io.askexpert.bench;

import org.jspecify.annotations.NullMarked;
