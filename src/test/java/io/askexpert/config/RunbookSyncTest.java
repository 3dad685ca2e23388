package io.askexpert.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every environment variable of the runbook's Configuration Reference is bound and checked. */
class RunbookSyncTest {

    /** The runbook's tables (Required, Optional, Feature Flags), with their defaults. */
    static final Map<String, String> RUNBOOK = Map.ofEntries(
            Map.entry("SUPABASE_URL", ""), Map.entry("SUPABASE_SERVICE_KEY", ""),
            Map.entry("ANTHROPIC_API_KEY", ""), Map.entry("JWT_SECRET", ""), Map.entry("REDIS_URL", ""),
            Map.entry("LOG_LEVEL", "INFO"), Map.entry("WORKERS", "8"),
            Map.entry("MODE1_TIMEOUT", "60"), Map.entry("MODE2_TIMEOUT", "90"),
            Map.entry("MODE3_TIMEOUT", "300"), Map.entry("MODE4_TIMEOUT", "600"),
            Map.entry("FUSION_TIMEOUT", "5"), Map.entry("FUSION_FALLBACK_ENABLED", "true"),
            Map.entry("LANGFUSE_ENABLED", "true"), Map.entry("LANGFUSE_HOST", "https://cloud.langfuse.com"),
            Map.entry("FF_MODE4_ENABLED", "true"), Map.entry("FF_FUSION_SYNERGY", "true"),
            Map.entry("FF_HITL_STRICT", "true"), Map.entry("FF_COST_TRACKING", "true"));

    /** Variables the issues add beyond the runbook. */
    static final List<String> EXTRA = List.of("DATABASE_URL", "DATABASE_RETRY_TIMEOUT", "LLM_FALLBACK_MODEL", "OPENAI_API_KEY",
            "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL", "LANGFUSE_PUBLIC_KEY", "LANGFUSE_SECRET_KEY",
            "ASK_EXPERT_DATA_DIR", "PORT", "LLM_CONNECT_TIMEOUT", "LLM_FIRST_TOKEN_TIMEOUT", "LLM_TOKEN_GAP_TIMEOUT",
            "LLM_MAX_RETRIES", "LLM_PRICES_FILE", "TOOL_HTTP_ALLOWED_HOSTS", "OUTBOUND_ALLOWED_HOSTS", "OUTBOUND_TIMEOUT",
            "OUTBOUND_MAX_RESPONSE_BYTES", "WEBHOOK_MAX_ATTEMPTS", "WEBHOOK_ENCRYPTION_KEY", "MCP_STDIO_ENABLED", "MCP_STDIO_COMMANDS", "MCP_TOOL_TIMEOUT");

    static List<String> allVariables() {
        return java.util.stream.Stream.concat(RUNBOOK.keySet().stream().sorted(), EXTRA.stream()).toList();
    }

    private static String applicationProperties() throws IOException {
        try (InputStream in = RunbookSyncTest.class.getResourceAsStream("/application.properties")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @MethodSource("allVariables")
    void every_variable_is_bound_in_application_properties(String name) throws IOException {
        String expectedDefault = RUNBOOK.getOrDefault(name, null);
        String properties = applicationProperties();
        if (expectedDefault == null || expectedDefault.isEmpty()) {
            assertThat(properties).contains("${" + name + ":");
        } else {
            assertThat(properties).contains("${" + name + ":" + expectedDefault + "}");
        }
    }

    @ParameterizedTest
    @MethodSource("allVariables")
    void every_variable_is_reported_by_check_env(String name) {
        assertThat(EnvironmentReport.VARIABLES).extracting(EnvironmentVariable::name).contains(name);
    }

    @Test
    void check_env_defaults_equal_the_runbook() {
        for (EnvironmentVariable v : EnvironmentReport.VARIABLES) {
            String runbookDefault = RUNBOOK.get(v.name());
            if (runbookDefault != null && !runbookDefault.isEmpty()) {
                assertThat(v.defaultValue()).as(v.name()).isEqualTo(runbookDefault);
            }
        }
    }
}
