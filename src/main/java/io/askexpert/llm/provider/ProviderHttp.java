package io.askexpert.llm.provider;

import io.askexpert.llm.Attempt;
import io.askexpert.llm.LlmFailure;
import io.askexpert.llm.LlmFailureException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP side every remote provider shares: one JDK client per provider (HTTP/2 over TLS,
 * HTTP/1.1 on plain http, where local servers rarely speak h2c), status classification, and
 * {@code Retry-After}. Transport failures become {@link LlmFailure}s here and nowhere else.
 */
final class ProviderHttp implements AutoCloseable {

    private static final int ERROR_BODY_LIMIT = 4096;

    private final String provider;
    private final HttpClient client;
    final JsonMapper json = JsonMapper.builder().build();

    ProviderHttp(String provider, URI baseUrl, Duration connectTimeout) {
        this.provider = provider;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version("https".equals(baseUrl.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    static URI join(URI base, String path) {
        String b = base.toString().replaceAll("/+$", "");
        return URI.create(b + path);
    }

    HttpRequest post(URI uri, Map<String, String> headers, JsonNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        headers.forEach(builder::header);
        return builder.build();
    }

    /** Sends and returns the body of a 2xx answer, attached to the attempt; any other status is a failure. */
    InputStream open(HttpRequest request, Attempt attempt) throws LlmFailureException {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new LlmFailureException(LlmFailure.of(LlmFailure.Kind.CONNECT_FAILED,
                    provider + ": connection timed out"), e);
        } catch (HttpTimeoutException e) {
            throw new LlmFailureException(LlmFailure.of(LlmFailure.Kind.FIRST_TOKEN_TIMEOUT,
                    provider + ": no response in time"), e);
        } catch (ConnectException e) {
            throw new LlmFailureException(LlmFailure.of(LlmFailure.Kind.CONNECT_FAILED,
                    provider + ": connection refused"), e);
        } catch (IOException e) {
            throw new LlmFailureException(LlmFailure.of(LlmFailure.Kind.CONNECT_FAILED,
                    provider + ": request failed (" + e.getClass().getSimpleName() + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmFailureException(LlmFailure.of(LlmFailure.Kind.CANCELLED, provider + ": interrupted"), e);
        }
        InputStream body = response.body();
        attempt.attach(body);
        if (response.statusCode() / 100 != 2) {
            String detail = errorDetail(body);
            Duration retryAfter = retryAfter(response);
            LlmFailure base = LlmFailure.fromStatus(response.statusCode(), provider, retryAfter);
            throw new LlmFailureException(new LlmFailure(base.kind(),
                    base.message() + (detail.isEmpty() ? "" : ": " + detail), base.httpStatus(), retryAfter));
        }
        return body;
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

    static @Nullable Duration retryAfter(HttpResponse<?> response) {
        String ms = response.headers().firstValue("retry-after-ms").orElse(null);
        if (ms != null) {
            try {
                return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.strip())));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        return response.headers().firstValue("retry-after").map(ProviderHttp::parseRetryAfter).orElse(null);
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
