package io.askexpert.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;

class ProcessRoleTest {

    private static AskExpertSettings bind(Map<String, String> properties) {
        var conversion = new ApplicationConversionService();
        conversion.addConverter(new SecretConverter());
        return new Binder(List.of(new MapConfigurationPropertySource(properties)), null, conversion)
                .bindOrCreate("ask-expert", AskExpertSettings.class);
    }

    @ParameterizedTest
    @CsvSource({
            "serve,  SERVE,  true,  true",
            "api,    API,    true,  false",
            "worker, WORKER, false, true",
            "cli,    CLI,    false, false"})
    void the_runbook_values_of_ask_expert_role_bind_as_before(String value, ProcessRole role, boolean api, boolean worker) {
        AskExpertSettings settings = bind(Map.of(ProcessRole.PROPERTY, value));
        assertThat(settings.role()).isEqualTo(role);
        assertThat(role.value()).isEqualTo(value);
        assertThat(settings.servesApi()).isEqualTo(api);
        assertThat(settings.runsWorker()).isEqualTo(worker);
    }

    @Test
    void serve_is_the_default() {
        assertThat(bind(Map.of()).role()).isEqualTo(ProcessRole.SERVE);
    }

    @Test
    void an_unknown_role_is_refused_at_start() {
        assertThatThrownBy(() -> bind(Map.of(ProcessRole.PROPERTY, "scheduler"))).isInstanceOf(BindException.class);
    }

    @Test
    void the_annotation_constant_is_the_worker_value() {
        assertThat(ProcessRole.WORKER_VALUE).isEqualTo(ProcessRole.WORKER.value());
    }
}
