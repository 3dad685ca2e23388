package io.askexpert.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.config.EnvironmentReport.Line;
import io.askexpert.config.EnvironmentReport.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentReportTest {

    private static Line line(List<Line> lines, String name) {
        return lines.stream().filter(l -> l.variable().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void reports_set_default_missing_and_invalid() {
        List<Line> lines = EnvironmentReport.evaluate(Map.of(
                "WORKERS", "4", "MODE1_TIMEOUT", "soon", "REDIS_URL", "redis://localhost:6379/0"));
        assertThat(line(lines, "WORKERS").status()).isEqualTo(Status.SET);
        assertThat(line(lines, "MODE2_TIMEOUT").status()).isEqualTo(Status.DEFAULT);
        assertThat(line(lines, "MODE2_TIMEOUT").detail()).isEqualTo("90");
        assertThat(line(lines, "JWT_SECRET").status()).isEqualTo(Status.MISSING);
        assertThat(line(lines, "MODE1_TIMEOUT").status()).isEqualTo(Status.INVALID);
        assertThat(EnvironmentReport.passes(lines)).isFalse();
    }

    @Test
    void never_shows_a_secret_value() {
        List<Line> lines = EnvironmentReport.evaluate(Map.of(
                "JWT_SECRET", "a-very-long-secret-value-of-forty-characters",
                "ANTHROPIC_API_KEY", "sk-ant-xyz", "DATABASE_URL", "postgres://u:pw@h/db"));
        assertThat(lines).extracting(Line::detail)
                .noneMatch(d -> d.contains("a-very-long") || d.contains("sk-ant") || d.contains("pw@"));
        assertThat(line(lines, "JWT_SECRET").status()).isEqualTo(Status.SET);
    }

    @Test
    void flags_a_short_jwt_secret_as_invalid() {
        List<Line> lines = EnvironmentReport.evaluate(Map.of("JWT_SECRET", "short"));
        assertThat(line(lines, "JWT_SECRET").status()).isEqualTo(Status.INVALID);
        assertThat(line(lines, "JWT_SECRET").detail()).contains("32");
    }

    @Test
    void checks_the_http_tool_allowlist_entries() {
        assertThat(line(EnvironmentReport.evaluate(Map.of("TOOL_HTTP_ALLOWED_HOSTS", "hooks.example.com,10.0.0.5:8080,[::1]:9000")),
                "TOOL_HTTP_ALLOWED_HOSTS").status()).isEqualTo(Status.SET);
        assertThat(line(EnvironmentReport.evaluate(Map.of("TOOL_HTTP_ALLOWED_HOSTS", "https://hooks.example.com")),
                "TOOL_HTTP_ALLOWED_HOSTS").status()).isEqualTo(Status.INVALID);
        assertThat(line(EnvironmentReport.evaluate(Map.of("TOOL_HTTP_ALLOWED_HOSTS", "*.example.com")),
                "TOOL_HTTP_ALLOWED_HOSTS").status()).isEqualTo(Status.INVALID);
    }
}
