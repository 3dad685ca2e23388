package io.askexpert.observability;

import io.askexpert.config.AskExpertSettings;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the tracer: OTLP/HTTP to {@code LANGFUSE_HOST/api/public/otel} or a no-op. */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TracingConfiguration.class);

    @Bean(destroyMethod = "")
    OpenTelemetry openTelemetry(AskExpertSettings settings) {
        AskExpertSettings.Langfuse langfuse = settings.langfuse();
        if (!langfuse.exporting()) {
            log.info("Langfuse tracing off ({})", langfuse.enabled()
                    ? "LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY not both set" : "LANGFUSE_ENABLED=false");
            return OpenTelemetry.noop();
        }
        String credentials = langfuse.publicKey().value() + ":" + langfuse.secretKey().value();
        String endpoint = langfuse.host().toString().replaceAll("/+$", "") + "/api/public/otel/v1/traces";
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint)
                .addHeader("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .addHeader("x-langfuse-ingestion-version", "4")
                .setTimeout(Duration.ofSeconds(10))
                .build();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), "ask-expert"))))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        log.info("Langfuse tracing on: exporting to {}", endpoint);
        return OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    }

    @Bean
    Tracing tracing(OpenTelemetry openTelemetry) {
        return new Tracing(openTelemetry.getTracer("io.askexpert"));
    }

    /** Flushes spans still buffered when the process stops. */
    @Bean
    org.springframework.beans.factory.DisposableBean tracingShutdown(OpenTelemetry openTelemetry) {
        return () -> {
            if (openTelemetry instanceof OpenTelemetrySdk sdk) {
                sdk.getSdkTracerProvider().shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        };
    }
}
