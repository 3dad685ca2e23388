package io.askexpert.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.Mode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SystemHealthTest {

    final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void release() {
        never.countDown();
    }

    static AskExpertSettings settings(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("ask-expert", AskExpertSettings.class);
    }

    static HealthCheck check(String name, boolean required, Set<Mode> modes, java.util.function.Supplier<ComponentHealth> result) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean required() {
                return required;
            }

            @Override
            public Set<Mode> modes() {
                return modes;
            }

            @Override
            public ComponentHealth check() {
                return result.get();
            }
        };
    }

    static SystemHealth health(AskExpertSettings settings, List<HealthCheck> checks) {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        for (int i = 0; i < checks.size(); i++) {
            beans.registerSingleton("check" + i, checks.get(i));
        }
        return new SystemHealth(beans.getBeanProvider(HealthCheck.class), settings);
    }

    @Test
    void all_healthy_and_missing_components_are_not_configured() {
        SystemHealth health = health(settings(Map.of()), List.of(
                check("database", true, Set.of(Mode.values()), () -> ComponentHealth.healthy("db")),
                check("redis", false, Set.of(Mode.values()), () -> ComponentHealth.healthy("in-process"))));
        SystemHealth.Report report = health.report();
        assertThat(report.status()).isEqualTo(ComponentHealth.Status.HEALTHY);
        assertThat(report.serving()).isTrue();
        assertThat(report.components()).containsEntry("database", ComponentHealth.Status.HEALTHY)
                .containsEntry("llm", ComponentHealth.Status.NOT_CONFIGURED)
                .containsKeys("redis", "vector_index", "queue");
        assertThat(health.mode(Mode.MODE1).available()).isTrue();
        assertThat(health.mode(Mode.MODE1).name()).isEqualTo("mode1_manual_interactive");
    }

    @Test
    void optional_down_degrades_required_down_is_unhealthy_and_blocks_its_modes() {
        SystemHealth degraded = health(settings(Map.of()), List.of(
                check("database", true, Set.of(Mode.values()), () -> ComponentHealth.healthy("db")),
                check("llm", false, Set.of(Mode.MODE1, Mode.MODE2), () -> ComponentHealth.unhealthy("no provider"))));
        assertThat(degraded.report().status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(degraded.report().serving()).isTrue();
        assertThat(degraded.mode(Mode.MODE2).available()).isFalse();
        assertThat(degraded.mode(Mode.MODE2).reasons()).containsExactly("llm is unhealthy");
        assertThat(degraded.mode(Mode.MODE3).available()).isTrue();

        SystemHealth down = health(settings(Map.of()), List.of(
                check("database", true, Set.of(Mode.values()), () -> ComponentHealth.unhealthy("gone"))));
        assertThat(down.report().status()).isEqualTo(ComponentHealth.Status.UNHEALTHY);
        assertThat(down.report().serving()).isFalse();
        assertThat(down.mode(Mode.MODE4).available()).isFalse();
    }

    @Test
    void throwing_and_hanging_checks_are_unhealthy_without_leaking_messages() {
        SystemHealth health = health(settings(Map.of()), List.of(
                check("redis", true, Set.of(Mode.MODE1), () -> {
                    throw new IllegalStateException("redis://user:secret@host");
                }),
                check("queue", false, Set.of(Mode.MODE3), () -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return ComponentHealth.healthy("late");
                })));
        SystemHealth.Report report = health.report();
        assertThat(report.checks().get("redis").status()).isEqualTo(ComponentHealth.Status.UNHEALTHY);
        assertThat(report.checks().get("redis").detail()).doesNotContain("secret").contains("IllegalStateException");
        assertThat(report.checks().get("queue").status()).isEqualTo(ComponentHealth.Status.UNHEALTHY);
        assertThat(report.status()).isEqualTo(ComponentHealth.Status.UNHEALTHY);
    }

    @Test
    void mode4_flag_off_makes_mode4_unavailable_only() {
        SystemHealth health = health(settings(Map.of("ask-expert.features.mode4-enabled", "false")), List.of());
        assertThat(health.mode(Mode.MODE4).available()).isFalse();
        assertThat(health.mode(Mode.MODE4).reasons()).containsExactly("disabled by FF_MODE4_ENABLED=false");
        assertThat(health.mode(Mode.MODE4).features()).containsEntry("mode4_enabled", false);
        assertThat(health.mode(Mode.MODE3).available()).isTrue();
    }
}
