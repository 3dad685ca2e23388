package io.askexpert.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.askexpert.config.AskExpertSettings;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;

/** Spans reach a Langfuse-shaped OTLP/HTTP endpoint with Basic auth and the runbook's names. */
class LangfuseExportIT {

    record Received(String path, String authorization, String ingestionVersion, byte[] body) {
    }

    private static AskExpertSettings settings(Map<String, String> props) {
        var conversion = new ApplicationConversionService();
        conversion.addConverter(String.class, io.askexpert.config.Secret.class, io.askexpert.config.Secret::of);
        return new Binder(List.of(new MapConfigurationPropertySource(props)), null, conversion)
                .bindOrCreate("ask-expert", AskExpertSettings.class);
    }

    @Test
    void exports_spans_to_the_langfuse_otel_endpoint_with_basic_auth() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("x-langfuse-ingestion-version"),
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            AskExpertSettings s = settings(Map.of(
                    "ask-expert.langfuse.host", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "ask-expert.langfuse.public-key", "pk-lf-test",
                    "ask-expert.langfuse.secret-key", "sk-lf-test"));
            TracingConfiguration config = new TracingConfiguration();
            OpenTelemetry otel = config.openTelemetry(s);
            Tracing tracing = config.tracing(otel);
            try (var trace = tracing.start("mode1", "abcdef12-3456", "u1", "req-9")) {
                trace.step(SpanName.LLM_GENERATION).close();
            }
            ((OpenTelemetrySdk) otel).getSdkTracerProvider().forceFlush().join(5, java.util.concurrent.TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
            Received r = received.getFirst();
            assertThat(r.path()).isEqualTo("/api/public/otel/v1/traces");
            assertThat(r.authorization()).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString("pk-lf-test:sk-lf-test".getBytes(StandardCharsets.UTF_8)));
            assertThat(r.ingestionVersion()).isEqualTo("4");
            String body = new String(r.body(), StandardCharsets.ISO_8859_1);
            assertThat(body).contains("ask_expert_mode1_abcdef12").contains("llm_generation");
            ((OpenTelemetrySdk) otel).close();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void without_both_keys_nothing_is_exported() {
        AskExpertSettings s = settings(Map.of("ask-expert.langfuse.public-key", "pk-only"));
        assertThat(new TracingConfiguration().openTelemetry(s)).isSameAs(OpenTelemetry.noop());
    }
}
