package io.askexpert.outbound;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** How one outbound request ended. Callers switch over it; a new case fails compilation where it matters. */
public sealed interface OutboundResult {

    /** The other side answered (any status, redirects included: they are never followed). */
    record Answered(int status, Map<String, List<String>> headers, byte[] body) implements OutboundResult {
        public Answered {
            headers = Map.copyOf(headers);
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

    enum Failure { TIMEOUT, CONNECTION, TOO_LARGE }
}
