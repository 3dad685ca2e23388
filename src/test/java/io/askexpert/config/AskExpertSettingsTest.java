package io.askexpert.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;

class AskExpertSettingsTest {

    private static AskExpertSettings bind(Map<String, String> properties) {
        var conversion = new ApplicationConversionService();
        conversion.addConverter(new SecretConverter());
        Binder binder = new Binder(java.util.List.of(new MapConfigurationPropertySource(properties)), null, conversion);
        return binder.bindOrCreate("ask-expert", AskExpertSettings.class);
    }

    @Test
    void defaults_equal_the_runbook_table() {
        AskExpertSettings s = bind(Map.of());
        assertThat(s.modes().mode1Timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.modes().mode2Timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.modes().mode3Timeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(s.modes().mode4Timeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(s.fusion().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.fusion().fallbackEnabled()).isTrue();
        assertThat(s.langfuse().enabled()).isTrue();
        assertThat(s.langfuse().host().toString()).isEqualTo("https://cloud.langfuse.com");
        assertThat(s.workers()).isEqualTo(8);
        assertThat(s.features()).isEqualTo(new AskExpertSettings.Features(true, true, true, true));
        assertThat(s.database().embedded()).isTrue();
        assertThat(s.redis().configured()).isFalse();
    }

    @Test
    void timeouts_are_read_in_seconds_as_the_runbook_writes_them() {
        AskExpertSettings s = bind(Map.of("ask-expert.fusion.timeout", "2", "ask-expert.modes.mode1-timeout", "15"));
        assertThat(s.fusion().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.modes().mode1Timeout()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void the_fusion_method_is_weighted_rrf_unless_fusion_method_names_the_other_and_an_unknown_one_is_refused() {
        assertThat(bind(Map.of()).fusion().method()).isEqualTo(FusionMethod.WEIGHTED_RRF);
        assertThat(bind(Map.of("ask-expert.fusion.method", "weighted_score")).fusion().method())
                .isEqualTo(FusionMethod.WEIGHTED_SCORE);
        assertThatThrownBy(() -> bind(Map.of("ask-expert.fusion.method", "borda"))).isInstanceOf(BindException.class)
                .hasMessageContaining("ask-expert.fusion.method");
    }

    @Test
    void refuses_a_jwt_secret_shorter_than_32_characters_naming_the_variable() {
        assertThatThrownBy(() -> bind(Map.of("ask-expert.auth.jwt-secret", "too-short")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("JWT_SECRET").hasMessageContaining("32");
    }

    @Test
    void refuses_a_redis_url_that_is_not_redis() {
        assertThatThrownBy(() -> bind(Map.of("ask-expert.redis.url", "http://localhost:6379")))
                .rootCause().hasMessageContaining("REDIS_URL");
    }

    @Test
    void refuses_a_non_positive_timeout_naming_the_variable() {
        assertThatThrownBy(() -> bind(Map.of("ask-expert.modes.mode3-timeout", "0")))
                .rootCause().hasMessageContaining("MODE3_TIMEOUT");
    }

    @Test
    void secrets_never_print() {
        AskExpertSettings s = bind(Map.of("ask-expert.auth.jwt-secret", "0123456789abcdef0123456789abcdef-xyz",
                "ask-expert.llm.anthropic-api-key", "sk-ant-very-secret"));
        assertThat(s.toString()).doesNotContain("0123456789abcdef").doesNotContain("sk-ant-very-secret");
    }

    @Test
    void the_http_tool_allowlist_is_host_or_host_and_port_and_empty_by_default() {
        assertThat(bind(Map.of()).tools().httpAllowedHostList()).isEmpty();
        assertThat(bind(Map.of("ask-expert.tools.http-allowed-hosts", " Hooks.Example.com, 10.0.0.5:8080 ,,"))
                .tools().httpAllowedHostList()).containsExactly("hooks.example.com", "10.0.0.5:8080");
        assertThatThrownBy(() -> bind(Map.of("ask-expert.tools.http-allowed-hosts", "https://hooks.example.com/x")))
                .isInstanceOf(BindException.class)
                .hasStackTraceContaining("TOOL_HTTP_ALLOWED_HOSTS");
        assertThat(bind(Map.of()).budgets().staleReservationAfter()).isEqualTo(Duration.ofMinutes(15));
    }
}
