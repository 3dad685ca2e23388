package io.askexpert.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one load run does: {@code streams} concurrent SSE requests, each opened once (a run of
 * N streams holds N connections at the same time), for at most {@code timeout}.
 *
 * @param tokenEvents   SSE event names that carry answer tokens ({@code token} for the service,
 *                      {@code content_block_delta} for Anthropic, empty name for OpenAI's unnamed events)
 * @param terminalEvents event names (or {@code [DONE]} data) that end a stream normally
 * @param expectedTokens frames each stream should carry, or 0 when unknown; a stream with fewer lost frames
 * @param rampUp        spread the stream starts over this long, so connection setup is not one burst
 * @param rounds        requests each stream makes one after another on its keep-alive connection; at
 *                      low concurrency one request per run would give a single sample, too few for a percentile
 * @param warmRounds    the first rounds of each stream are not counted: they open the connections,
 *                      and a storm of connects measures the accept queue, not streaming
 */
public record LoadSpec(URI url, String body, Map<String, String> headers, int streams, Duration timeout,
                       List<String> tokenEvents, List<String> terminalEvents, int expectedTokens, Duration rampUp,
                       int rounds, int warmRounds) {

    public LoadSpec {
        Objects.requireNonNull(url, "url");
        headers = Map.copyOf(headers);
        tokenEvents = List.copyOf(tokenEvents);
        terminalEvents = List.copyOf(terminalEvents);
        if (streams < 1) {
            throw new IllegalArgumentException("streams must be >= 1, got " + streams);
        }
        if (rounds < 1 || warmRounds < 0 || warmRounds >= rounds) {
            throw new IllegalArgumentException("need 1 <= rounds and 0 <= warm rounds < rounds, got " + rounds
                    + " and " + warmRounds);
        }
        if (expectedTokens < 0) {
            throw new IllegalArgumentException("expectedTokens must be >= 0");
        }
    }

    public LoadSpec withRampUp(Duration newRampUp) {
        return new LoadSpec(url, body, headers, streams, timeout, tokenEvents, terminalEvents, expectedTokens, newRampUp,
                rounds, warmRounds);
    }

    /** {@code measured} counted rounds per stream after {@code warm} uncounted ones. */
    public LoadSpec withRounds(int measured, int warm) {
        return new LoadSpec(url, body, headers, streams, timeout, tokenEvents, terminalEvents, expectedTokens, rampUp,
                measured + warm, warm);
    }
}
