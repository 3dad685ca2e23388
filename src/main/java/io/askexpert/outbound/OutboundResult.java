package io.askexpert.outbound;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** How one outbound request ended. Callers switch over it; a new case fails compilation where it matters. */
public sealed interface OutboundResult {

    /**
     * The other side answered (any status, redirects included: they are never followed);
     * {@code truncated} when the body went past {@code OUTBOUND_MAX_RESPONSE_BYTES} and was cut there.
     */
    record Answered(int status, Map<String, List<String>> headers, byte[] body, boolean truncated) implements OutboundResult {
        public Answered {
            // Header names are case-insensitive (HTTP/2 sends them in lower case).
            java.util.TreeMap<String, List<String>> copy = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
            headers = java.util.Collections.unmodifiableMap(copy);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The address policy refused the URL; nothing was sent. */
    record Refused(String reason, @Nullable AddressClass addressClass) implements OutboundResult {
    }

    /** Sent (or tried) but no usable answer: {@code reason} is safe to show and record. */
    record Failed(Failure failure, String reason) implements OutboundResult {
    }

    enum Failure { TIMEOUT, CONNECTION }
}
