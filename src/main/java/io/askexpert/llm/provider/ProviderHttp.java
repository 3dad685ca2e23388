package io.askexpert.llm.provider;

import io.askexpert.llm.Attempt;
import io.askexpert.llm.LlmFailure;
import io.askexpert.llm.LlmFailureException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP side every remote provider shares: its {@link UpstreamHttp} client (which one is a
 * setting, measured in docs/PERFORMANCE.md), status classification, and {@code Retry-After}.
 * Transport failures become {@link LlmFailure}s here and nowhere else.
 */
final class ProviderHttp implements AutoCloseable {

    private static final int ERROR_BODY_LIMIT = 4096;

    private final String provider;
    private final UpstreamHttp client;
    final JsonMapper json = JsonMapper.builder().build();

    ProviderHttp(String provider, URI baseUrl, Duration connectTimeout, String clientKind) {
        this.provider = provider;
        this.client = UpstreamHttp.of(clientKind, baseUrl, connectTimeout);
    }

    static URI join(URI base, String path) {
        String b = base.toString().replaceAll("/+$", "");
        return URI.create(b + path);
    }

    /** A JSON POST, sent by {@link #open}. */
    record Post(URI uri, Map<String, String> headers, byte[] body) {
    }

    Post post(URI uri, Map<String, String> headers, JsonNode body) {
        return new Post(uri, headers, json.writeValueAsBytes(body));
    }

    /** Sends and returns the body of a 2xx answer, attached to the attempt; any other status is a failure. */
    InputStream open(Post request, Attempt attempt) throws LlmFailureException {
        UpstreamHttp.Response response;
        try {
            response = client.post(request.uri(), request.headers(), request.body());
        } catch (IOException e) {
            throw new LlmFailureException(transportFailure(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmFailureException(LlmFailure.of(LlmFailure.Kind.CANCELLED, provider + ": interrupted"), e);
        }
        InputStream body = response.body();
        attempt.attach(response.abort());
        if (response.status() / 100 != 2) {
            String detail = errorDetail(body);
            Duration retryAfter = retryAfter(response.header());
            LlmFailure base = LlmFailure.fromStatus(response.status(), provider, retryAfter);
            throw new LlmFailureException(new LlmFailure(base.kind(),
                    base.message() + (detail.isEmpty() ? "" : ": " + detail), base.httpStatus(), retryAfter));
        }
        return body;
    }

    private LlmFailure transportFailure(IOException e) {
        if (e instanceof HttpConnectTimeoutException || e instanceof org.apache.hc.client5.http.ConnectTimeoutException) {
            return LlmFailure.of(LlmFailure.Kind.CONNECT_FAILED, provider + ": connection timed out");
        }
        if (e instanceof HttpTimeoutException) {
            return LlmFailure.of(LlmFailure.Kind.FIRST_TOKEN_TIMEOUT, provider + ": no response in time");
        }
        if (e instanceof ConnectException) {
            return LlmFailure.of(LlmFailure.Kind.CONNECT_FAILED, provider + ": connection refused");
        }
        return LlmFailure.of(LlmFailure.Kind.CONNECT_FAILED,
                provider + ": request failed (" + e.getClass().getSimpleName() + ")");
    }

    /** A transport failure while reading a stream that had started. */
    LlmFailureException broken(IOException e) {
        return new LlmFailureException(LlmFailure.of(LlmFailure.Kind.STREAM_CUT,
                provider + ": stream broken (" + e.getClass().getSimpleName() + ")"), e);
    }

    LlmFailureException endedEarly() {
        return new LlmFailureException(LlmFailure.of(LlmFailure.Kind.STREAM_CUT,
                provider + ": stream ended before its final event"));
    }

    /** The provider's own error type and message (e.g. {@code rate_limit_error}), never our request. */
    private String errorDetail(InputStream body) {
        try (body) {
            byte[] bytes = body.readNBytes(ERROR_BODY_LIMIT);
            JsonNode error = json.readTree(new String(bytes, StandardCharsets.UTF_8)).path("error");
            String type = error.path("type").asString("");
            String message = error.path("message").asString("");
            return (type + " " + message).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    static @Nullable Duration retryAfter(java.util.function.Function<String, java.util.Optional<String>> header) {
        String ms = header.apply("retry-after-ms").orElse(null);
        if (ms != null) {
            try {
                return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.strip())));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        return header.apply("retry-after").map(ProviderHttp::parseRetryAfter).orElse(null);
    }

    static @Nullable Duration parseRetryAfter(String value) {
        String v = value.strip();
        try {
            return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(v) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
