package io.askexpert.outbound;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Entry point: the one way the service sends HTTP to an address a user or tenant chose. Every request
 * goes through the {@link AddressPolicy} after resolution; redirects are never followed (a 3xx is
 * returned as an answer, so a public URL cannot bounce the service to a private one); the whole
 * exchange has a deadline and the body a size cap (read up to it, then cut).
 *
 * <p>No second resolution: a plain-http request is sent to the checked address itself (the address
 * is used as the connection's proxy, so the request line carries the full URL and the Host header
 * the name, and any HTTP/1.1 server answers it as usual). An https request connects by name, and a
 * rebinding DNS answer gains nothing: a server at another address cannot prove in the TLS handshake
 * that it is the named host.
 */
public final class OutboundHttp implements AutoCloseable {

    /** Deadlines and the response cap: {@code OUTBOUND_TIMEOUT}, {@code OUTBOUND_MAX_RESPONSE_BYTES}. */
    public record Limits(Duration timeout, Duration connectTimeout, int maxResponseBytes) {
        public Limits {
            if (timeout.isNegative() || timeout.isZero() || connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("outbound timeouts must be positive");
            }
            if (maxResponseBytes < 1) {
                throw new IllegalArgumentException("OUTBOUND_MAX_RESPONSE_BYTES must be at least 1");
            }
        }
    }

    private final AddressPolicy policy;
    private final Limits limits;
    private final HttpClient tlsClient;

    public OutboundHttp(AddressPolicy policy, Limits limits) {
        this.policy = policy;
        this.limits = limits;
        this.tlsClient = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(limits.connectTimeout()).build();
    }

    public AddressPolicy policy() {
        return policy;
    }

    public Limits limits() {
        return limits;
    }

    /** {@code POST} with a body; {@code headers} must not name the ones the client sets itself (Host, Content-Length…). */
    public OutboundResult post(URI url, Map<String, String> headers, byte[] body) {
        return send("POST", url, headers, body);
    }

    public OutboundResult send(String method, URI url, Map<String, String> headers, byte @Nullable [] body) {
        CheckedTarget target;
        try {
            target = policy.check(url);
        } catch (OutboundRefused e) {
            return new OutboundResult.Refused(e.getMessage(), e.addressClass());
        }
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(limits.timeout())
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(builder::header);
            request = builder.build();
        } catch (IllegalArgumentException e) {
            return new OutboundResult.Refused("the request cannot be sent as given: " + e.getMessage(), null);
        }
        HttpClient client = target.https() ? tlsClient : clientBuilder(target).build();
        try {
            return exchange(client, request);
        } finally {
            if (client != tlsClient) {
                client.shutdownNow();
            }
        }
    }

    /**
     * A client builder for a library that makes its own requests to {@code target} (the MCP
     * transport): pinned to the checked address for plain http, no redirects, the connect timeout.
     */
    public HttpClient.Builder clientBuilder(CheckedTarget target) {
        HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(limits.connectTimeout());
        if (!target.https()) {
            builder.version(HttpClient.Version.HTTP_1_1)
                    .proxy(ProxySelector.of(new InetSocketAddress(target.address(), target.port())));
        }
        return builder;
    }

    private OutboundResult exchange(HttpClient client, HttpRequest request) {
        CompletableFuture<HttpResponse<CappedBody.Capped>> pending =
                client.sendAsync(request, info -> new CappedBody(limits.maxResponseBytes()));
        try {
            // The request timeout covers the wait for headers only; this deadline covers the body too.
            HttpResponse<CappedBody.Capped> response = pending.get(limits.timeout().toMillis() + 250, TimeUnit.MILLISECONDS);
            return new OutboundResult.Answered(response.statusCode(), response.headers().map(), response.body().bytes(),
                    response.body().truncated());
        } catch (TimeoutException e) {
            pending.cancel(true);
            return timedOut();
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return new OutboundResult.Failed(OutboundResult.Failure.TIMEOUT, "interrupted before an answer arrived");
        } catch (ExecutionException e) {
            return classify(e.getCause());
        }
    }

    private OutboundResult timedOut() {
        return new OutboundResult.Failed(OutboundResult.Failure.TIMEOUT,
                "no complete answer within " + limits.timeout().toMillis() + " ms");
    }

    private OutboundResult classify(@Nullable Throwable cause) {
        return switch (cause) {
            case HttpConnectTimeoutException t -> new OutboundResult.Failed(OutboundResult.Failure.TIMEOUT,
                    "no connection within " + limits.connectTimeout().toMillis() + " ms");
            case HttpTimeoutException t -> timedOut();
            case IOException io -> new OutboundResult.Failed(OutboundResult.Failure.CONNECTION,
                    "connection failed (" + io.getClass().getSimpleName() + ")");
            case null, default -> new OutboundResult.Failed(OutboundResult.Failure.CONNECTION,
                    "the exchange failed (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")");
        };
    }

    @Override
    public void close() {
        tlsClient.shutdownNow();
    }
}
