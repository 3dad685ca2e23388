package io.askexpert.tools;

import io.askexpert.config.AskExpertSettings;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code http_post}: POSTs a JSON body to a URL the operator allows ({@link HttpEgress}) and returns
 * the status and the body text. It changes something outside, so it sends the call's
 * {@code Idempotency-Key}: the key is stable across retries and worker takeovers, and a receiver
 * that honours it applies the effect once however often the call is repeated (one that does not
 * may see a call twice after a crash; see docs/TOOLS.md). No redirects are followed, the whole call
 * is bounded by {@link #TIMEOUT} and the response body by {@link #MAX_RESPONSE_BYTES}.
 */
@Component
final class HttpPostTool implements Tool {

    static final String NAME = "http_post";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_RESPONSE_BYTES = 1 << 20;
    static final int MAX_REQUEST_BYTES = 1 << 20;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpEgress egress;
    private final Duration timeout;
    private final ToolSpec spec;
    private final HttpClient client;

    @Autowired
    HttpPostTool(AskExpertSettings settings) {
        this(settings.tools().httpAllowedHostList(), TIMEOUT);
    }

    HttpPostTool(List<String> allowedHosts, Duration timeout) {
        this.egress = new HttpEgress(allowedHosts);
        this.timeout = timeout;
        // The registry's deadline sits past the client's, so a slow server is reported by the client.
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
                timeout.plusSeconds(2), BigDecimal.ZERO, true, true);
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public ToolOutput run(ToolInvocation invocation) throws IOException, InterruptedException {
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
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/plain;q=0.9, */*;q=0.1")
                .header("Idempotency-Key", invocation.idempotencyKey())
                .header("User-Agent", "ask-expert-tool/1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        byte[] received;
        boolean truncated;
        try (InputStream in = response.body()) {
            received = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            truncated = received.length > MAX_RESPONSE_BYTES;
        }
        Map<String, @Nullable Object> value = new LinkedHashMap<>();
        value.put("status", response.statusCode());
        value.put("body", new String(received, 0, Math.min(received.length, MAX_RESPONSE_BYTES), StandardCharsets.UTF_8));
        value.put("truncated", truncated);
        response.headers().firstValue("Location").ifPresent(location -> value.put("location", location));
        return ToolOutput.of(value);
    }
}
