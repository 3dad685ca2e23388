package io.askexpert.tools;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.outbound.OutboundHttp;
import io.askexpert.outbound.OutboundResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code http_post}: POSTs a JSON body to a destination the operator lists ({@link HttpEgress}) and
 * returns the status and the body text. It changes something outside, so it sends the call's
 * {@code Idempotency-Key}: the key is stable across retries and worker takeovers, and a receiver
 * that honours it applies the effect once however often the call is repeated (one that does not
 * may see a call twice after a crash; see docs/TOOLS.md). The request goes through
 * {@link OutboundHttp}: the address policy after resolution, the checked address, no redirects,
 * {@code OUTBOUND_TIMEOUT} for the whole exchange and the body read up to {@link #MAX_RESPONSE_BYTES}.
 */
@Component
final class HttpPostTool implements Tool {

    static final String NAME = "http_post";
    static final int MAX_RESPONSE_BYTES = 1 << 20;
    static final int MAX_REQUEST_BYTES = 1 << 20;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpEgress egress;
    private final OutboundHttp outbound;
    private final ToolSpec spec;

    @Autowired
    HttpPostTool(AskExpertSettings settings, OutboundHttp outbound) {
        this(settings.tools().httpAllowedHostList(), outbound);
    }

    HttpPostTool(List<String> allowedHosts, OutboundHttp outbound) {
        this.egress = new HttpEgress(allowedHosts, outbound.policy());
        this.outbound = outbound;
        // The registry's deadline sits past the exchange's, so a slow server is reported by the client.
        this.spec = new ToolSpec(NAME,
                "Sends a JSON body by HTTP POST to a URL on the operator's allowlist (webhooks, ticketing, notifications) "
                        + "and returns the response status and body. It changes something outside: use it only when the "
                        + "task asks for that effect.",
                Map.of("type", "object",
                        "properties", Map.of(
                                "url", Map.of("type", "string", "minLength", 1, "maxLength", 2_048,
                                        "description", "http(s) URL of an allowed host"),
                                "body", Map.of("type", "object", "description", "the JSON object to send")),
                        "required", List.of("url", "body"),
                        "additionalProperties", false),
                outbound.limits().timeout().plusSeconds(2), BigDecimal.ZERO, true, true);
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public ToolOutput run(ToolInvocation invocation) throws IOException {
        URI url;
        try {
            url = new URI((String) invocation.input().get("url"));
        } catch (URISyntaxException | NullPointerException e) {
            throw new InvalidToolInput("url is not a valid URL");
        }
        egress.check(url);
        byte[] body = JSON.writeValueAsBytes(invocation.input().get("body"));
        if (body.length > MAX_REQUEST_BYTES) {
            throw new InvalidToolInput("body must be at most " + MAX_REQUEST_BYTES + " bytes as JSON");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json, text/plain;q=0.9, */*;q=0.1");
        headers.put("Idempotency-Key", invocation.idempotencyKey());
        headers.put("User-Agent", "ask-expert-tool/1");
        return switch (outbound.post(url, headers, body)) {
            case OutboundResult.Answered a -> {
                int shown = Math.min(a.body().length, MAX_RESPONSE_BYTES);
                Map<String, @Nullable Object> value = new LinkedHashMap<>();
                value.put("status", a.status());
                value.put("body", new String(a.body(), 0, shown, StandardCharsets.UTF_8));
                value.put("truncated", a.truncated() || a.body().length > MAX_RESPONSE_BYTES);
                List<String> location = a.headers().get("Location");
                if (location != null && !location.isEmpty()) {
                    value.put("location", location.getFirst());
                }
                yield ToolOutput.of(value);
            }
            case OutboundResult.Refused r -> throw new ToolRefused(r.reason());
            case OutboundResult.Failed f -> throw f.failure() == OutboundResult.Failure.TIMEOUT
                    ? new HttpTimeoutException(f.reason()) : new ConnectException(f.reason());
        };
    }
}
