package io.askexpert.llm.provider;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client that carries provider requests, one of the candidates measured side by side in
 * docs/PERFORMANCE.md ({@code ask-expert.llm.http-client}):
 * <ul>
 *   <li>{@code jdk-N} (the default is {@code jdk-4}): N JDK {@code HttpClient}s taking streams in
 *       turn (HTTP/2 over TLS, HTTP/1.1 on plain http). Each client's one selector thread receives
 *       every frame of its streams and hands each to the stream's reader; N of them share the
 *       frames instead of one. It had the lowest added time to first token at 100 streams.</li>
 *   <li>{@code jdk}: one JDK client, as before ({@code jdk-1}).</li>
 *   <li>{@code blocking}: Apache HttpClient 5's classic client, one pooled keep-alive HTTP/1.1
 *       connection per stream in flight, read by the answer's own virtual thread on a blocking
 *       socket: no selector thread and no hand-off per frame.</li>
 * </ul>
 */
sealed interface UpstreamHttp extends AutoCloseable permits UpstreamHttp.Jdk, UpstreamHttp.Blocking {

    /** A response whose status and headers arrived; {@code abort} closes its connection at once. */
    record Response(int status, Function<String, Optional<String>> header, InputStream body, Closeable abort) {
    }

    /** Posts {@code body} (JSON) and returns once the status line and headers are in. */
    Response post(URI uri, Map<String, String> headers, byte[] body) throws IOException, InterruptedException;

    @Override
    void close();

    /** The client a setting names; throws for an unknown name. */
    static UpstreamHttp of(String kind, URI baseUrl, Duration connectTimeout) {
        String k = kind.strip().toLowerCase(Locale.ROOT);
        if (k.equals("blocking")) {
            return new Blocking(connectTimeout);
        }
        if (k.equals("jdk")) {
            return new Jdk(1, baseUrl, connectTimeout);
        }
        if (k.matches("jdk-[1-9][0-9]?")) {
            return new Jdk(Integer.parseInt(k.substring(4)), baseUrl, connectTimeout);
        }
        throw new IllegalArgumentException("ask-expert.llm.http-client must be blocking, jdk or jdk-N (N 1-99), not "
                + kind);
    }

    /** JDK clients taking requests in turn. */
    final class Jdk implements UpstreamHttp {

        private final List<HttpClient> clients;
        private final AtomicInteger next = new AtomicInteger();

        Jdk(int count, URI baseUrl, Duration connectTimeout) {
            this.clients = IntStream.range(0, count).mapToObj(i -> HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    // HTTP/1.1 on plain http, where local servers rarely speak h2c.
                    .version("https".equals(baseUrl.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build()).toList();
        }

        @Override
        public Response post(URI uri, Map<String, String> headers, byte[] body) throws IOException, InterruptedException {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(builder::header);
            HttpClient client = clients.get(Math.floorMod(next.getAndIncrement(), clients.size()));
            HttpResponse<InputStream> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Response(response.statusCode(), name -> response.headers().firstValue(name), response.body(),
                    response.body());
        }

        @Override
        public void close() {
            clients.forEach(HttpClient::close);
        }
    }

    /** Apache HttpClient 5 classic: blocking sockets, read on the caller's (virtual) thread. */
    final class Blocking implements UpstreamHttp {

        /** Far above any per-instance stream count: the service's own admission limit bounds streams. */
        private static final int MAX_CONNECTIONS = 20_000;

        private final CloseableHttpClient client;

        Blocking(Duration connectTimeout) {
            PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(MAX_CONNECTIONS)
                    .setMaxConnPerRoute(MAX_CONNECTIONS)
                    // No read timeout here: the gateway's watchdog owns first-token and gap timeouts.
                    .setDefaultConnectionConfig(ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.of(connectTimeout))
                            .setSocketTimeout(Timeout.DISABLED)
                            .setValidateAfterInactivity(Timeout.ofSeconds(2))
                            .build())
                    .build();
            this.client = HttpClients.custom()
                    .setConnectionManager(connections)
                    .setDefaultRequestConfig(RequestConfig.custom()
                            .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                            .setRedirectsEnabled(false)
                            .build())
                    // Retries are the gateway's (FallbackChain), with their backoff and budget.
                    .disableAutomaticRetries()
                    .disableRedirectHandling()
                    .disableCookieManagement()
                    .disableAuthCaching()
                    .build();
        }

        @Override
        public Response post(URI uri, Map<String, String> headers, byte[] body) throws IOException {
            HttpPost post = new HttpPost(uri);
            headers.forEach(post::setHeader);
            post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
            ClassicHttpResponse response = client.executeOpen(null, post, null);
            InputStream content = response.getEntity() == null ? InputStream.nullInputStream()
                    : response.getEntity().getContent();
            // Closing the content would read a chunked body to its end; an abort drops the connection instead.
            Closeable abort = () -> {
                post.cancel();
                response.close();
            };
            return new Response(response.getCode(), name -> Optional.ofNullable(response.getFirstHeader(name))
                    .map(Header::getValue), content, abort);
        }

        @Override
        public void close() {
            client.close(CloseMode.IMMEDIATE);
        }
    }
}
