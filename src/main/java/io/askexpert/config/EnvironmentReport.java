package io.askexpert.config;

import static io.askexpert.config.EnvironmentVariable.extra;
import static io.askexpert.config.EnvironmentVariable.flag;
import static io.askexpert.config.EnvironmentVariable.intRange;
import static io.askexpert.config.EnvironmentVariable.minLength;
import static io.askexpert.config.EnvironmentVariable.oneOf;
import static io.askexpert.config.EnvironmentVariable.optional;
import static io.askexpert.config.EnvironmentVariable.prefixed;
import static io.askexpert.config.EnvironmentVariable.required;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code check-env} (and {@code scripts/check-env.sh}) prints: every variable of the
 * runbook's Configuration Reference plus the ones this implementation adds, each
 * {@code set}, {@code default}, {@code missing} or {@code invalid}. Secret values are never shown.
 */
public final class EnvironmentReport {

    /** Every variable the service reads, in the runbook's order. */
    public static final List<EnvironmentVariable> VARIABLES = List.of(
            required("SUPABASE_URL", false, "Supabase project URL (pre-flight checks)", EnvironmentVariable::httpUrl),
            required("SUPABASE_SERVICE_KEY", true, "Supabase service role key", EnvironmentVariable::any),
            required("ANTHROPIC_API_KEY", true, "Anthropic API key (offline answers without it)", EnvironmentVariable::any),
            required("JWT_SECRET", true, "HS256 JWT signing secret, 32+ characters", minLength(32)),
            required("REDIS_URL", false, "Redis URL; in-process cache, queue and locks without it",
                    prefixed("redis://", "rediss://")),
            optional("LOG_LEVEL", "INFO", "Logging level", oneOf("TRACE", "DEBUG", "INFO", "WARN", "ERROR")),
            optional("WORKERS", "8", "Concurrent mission workers per instance", intRange(1, 256)),
            optional("MODE1_TIMEOUT", "60", "Mode 1 request timeout (s)", intRange(1, 86_400)),
            optional("MODE2_TIMEOUT", "90", "Mode 2 request timeout (s)", intRange(1, 86_400)),
            optional("MODE3_TIMEOUT", "300", "Mode 3 request timeout (s)", intRange(1, 86_400)),
            optional("MODE4_TIMEOUT", "600", "Mode 4 request timeout (s)", intRange(1, 86_400)),
            optional("FUSION_TIMEOUT", "5", "Fusion retrieval timeout (s)", intRange(1, 600)),
            optional("FUSION_FALLBACK_ENABLED", "true", "Enable fusion fallback", EnvironmentVariable::bool),
            optional("LANGFUSE_ENABLED", "true", "Enable Langfuse tracing", EnvironmentVariable::bool),
            optional("LANGFUSE_HOST", "https://cloud.langfuse.com", "Langfuse host", EnvironmentVariable::httpUrl),
            flag("FF_MODE4_ENABLED", "Enable Mode 4 autonomous"),
            flag("FF_FUSION_SYNERGY", "Enable synergy boosting"),
            flag("FF_HITL_STRICT", "Require HITL for critical actions"),
            flag("FF_COST_TRACKING", "Enable cost tracking"),
            extra("DATABASE_URL", null, true, "PostgreSQL (jdbc:postgresql:// or postgres://); embedded without it",
                    prefixed("jdbc:postgresql:", "postgres://", "postgresql://")),
            extra("DATABASE_RETRY_TIMEOUT", "15", false, "Seconds the writes ending an answer are retried while the database is unreachable (0: never)",
                    intRange(0, 600)),
            extra("LLM_FALLBACK_MODEL", null, false, "Model tried when the primary fails before its first token", EnvironmentVariable::any),
            extra("LLM_CONNECT_TIMEOUT", "5", false, "LLM connect timeout (s)", intRange(1, 600)),
            extra("LLM_FIRST_TOKEN_TIMEOUT", "20", false, "LLM time allowed to the first token before fallback (s)", intRange(1, 3_600)),
            extra("LLM_TOKEN_GAP_TIMEOUT", "15", false, "LLM longest silence between tokens (s)", intRange(1, 3_600)),
            extra("LLM_MAX_RETRIES", "2", false, "Retries per model on 429/5xx before the fallback model", intRange(0, 10)),
            extra("LLM_PRICES_FILE", null, false, "YAML price table merged over the built-in one", EnvironmentVariable::any),
            extra("ANTHROPIC_BASE_URL", "https://api.anthropic.com", false, "Anthropic API base URL", EnvironmentVariable::httpUrl),
            extra("ANTHROPIC_MODEL", "claude-sonnet-4-20250514", false, "Default Anthropic model", EnvironmentVariable::any),
            extra("OPENAI_API_KEY", null, true, "OpenAI (or compatible) API key", EnvironmentVariable::any),
            extra("OPENAI_BASE_URL", "https://api.openai.com/v1", false, "OpenAI-compatible base URL (Ollama, vLLM…)", EnvironmentVariable::httpUrl),
            extra("OPENAI_MODEL", "gpt-4o-mini", false, "Default OpenAI-compatible model", EnvironmentVariable::any),
            extra("LANGFUSE_PUBLIC_KEY", null, false, "Langfuse public key", EnvironmentVariable::any),
            extra("LANGFUSE_SECRET_KEY", null, true, "Langfuse secret key", EnvironmentVariable::any),
            extra("ASK_EXPERT_DATA_DIR", "~/.ask-expert", false, "Embedded database, generated secret, local index", EnvironmentVariable::any),
            extra("MISSION_LEASE_TTL", "30", false, "Seconds a worker holds a mission without renewing; a dead worker's mission is taken over after it",
                    intRange(1, 3_600)),
            extra("PORT", "8000", false, "HTTP port", intRange(1, 65_535)),
            extra("FUSION_FALLBACK_EXPERT", null, false, "Slug of the expert that answers when fusion finds none (unset: the most general expert)", EnvironmentVariable::any),
            extra("FUSION_CACHE_SIZE", "10000", false, "Fusion selections kept in memory (0 = no cache)", intRange(0, 1_000_000)),
            extra("FUSION_CACHE_TTL", "300", false, "Seconds a cached fusion selection is reused (0 = no cache)", intRange(0, 86_400)),
            extra("FUSION_PANEL_MIN_CONFIDENCE", "65", false, "Confidence (0-100) a panel member after the lead needs",
                    intRange(0, 100)),
            extra("KNOWLEDGE_VECTOR_STORE", "auto", false, "Vector index: auto (pgvector when present), pgvector or lucene",
                    EnvironmentVariable::any),
            extra("KNOWLEDGE_FUSION", "rrf", false, "Hybrid search fusion: rrf (reciprocal rank, k = 60) or score (normalised score sum)",
                    EnvironmentVariable::any),
            extra("AUTH_TRUST_TENANT_HEADER", "false", false, "Accept X-Tenant-ID from tokens without a tenant claim (only behind a gateway that sets it)",
                    EnvironmentVariable::bool),
            extra("AUTH_PLATFORM_ROLE_ENABLED", "false", false, "Honour the platform_admin role (publishes content visible to every tenant)",
                    EnvironmentVariable::bool),
            extra("ASK_EXPERT_AUTO_MIGRATE", "true", false, "Upgrade the schema at start-up", EnvironmentVariable::bool),
            extra("RATE_LIMITS_ENABLED", "true", false, "Enforce the per tenant+user limits of api.md §3", EnvironmentVariable::bool),
            extra("RATE_LIMIT_INTERACTIVE_PER_MINUTE", "60", false, "Mode 1/2 stream + query per minute", intRange(1, Integer.MAX_VALUE)),
            extra("RATE_LIMIT_MISSION_CREATE_PER_MINUTE", "10", false, "Mode 3/4 mission create per minute", intRange(1, Integer.MAX_VALUE)),
            extra("RATE_LIMIT_MISSION_STREAMS", "5", false, "Mode 3/4 concurrent streams", intRange(1, Integer.MAX_VALUE)),
            extra("RATE_LIMIT_MISSION_STATUS_PER_MINUTE", "120", false, "Mission status polls per minute", intRange(1, Integer.MAX_VALUE)),
            extra("RATE_LIMIT_AGENT_LIST_PER_MINUTE", "30", false, "Agent list per minute", intRange(1, Integer.MAX_VALUE)),
            extra("TOOL_HTTP_ALLOWED_HOSTS", null, false, "Hosts (host or host:port, comma-separated) the http_post tool may call; empty refuses every call",
                    EnvironmentVariable::hostList),
            extra("ASK_EXPERT_STARTER_CATALOGUE", "true", false, "Load the shipped starter experts on first start", EnvironmentVariable::bool),
            extra("OUTBOUND_ALLOWED_HOSTS", null, false, "Hosts, host:port, IPs or CIDR blocks that webhooks, http_post and MCP may reach although private/loopback",
                    EnvironmentVariable::any),
            extra("OUTBOUND_TIMEOUT", "10", false, "Deadline of one outbound exchange, body included (s)", intRange(1, 600)),
            extra("OUTBOUND_MAX_RESPONSE_BYTES", "1048576", false, "Largest outbound response body read", intRange(1, 104_857_600)),
            extra("WEBHOOK_MAX_ATTEMPTS", "8", false, "Tries per webhook delivery (exponential backoff between them)", intRange(1, 50)),
            extra("WEBHOOK_ENCRYPTION_KEY", null, true, "AES-256 key (base64 of 32 bytes) encrypting stored webhook secrets; unset: generated into the data directory",
                    value -> WebhookSettings.keyProblem(value)),
            extra("MCP_STDIO_ENABLED", "false", false, "Allow tenants' stdio MCP servers (runs their commands on this host)", EnvironmentVariable::bool),
            extra("MCP_STDIO_COMMANDS", null, false, "Commands stdio MCP servers may run, comma-separated (empty: any)", EnvironmentVariable::any),
            extra("MCP_TOOL_TIMEOUT", "30", false, "Deadline of one MCP tool call (s)", intRange(1, 3_600)));

    /** The verdict on one variable. */
    public record Line(EnvironmentVariable variable, Status status, String detail) {
    }

    public enum Status { SET, DEFAULT, MISSING, INVALID }

    private EnvironmentReport() {
    }

    public static List<Line> evaluate(Map<String, String> env) {
        List<Line> lines = new ArrayList<>();
        for (EnvironmentVariable v : VARIABLES) {
            String value = env.get(v.name());
            if (value == null || value.isBlank()) {
                if (v.kind() == EnvironmentVariable.Kind.REQUIRED) {
                    lines.add(new Line(v, Status.MISSING, "required in production"));
                } else {
                    lines.add(new Line(v, Status.DEFAULT, v.defaultValue() == null ? "(unset)" : v.defaultValue()));
                }
                continue;
            }
            Optional<String> problem = v.check().apply(value);
            if (problem.isPresent()) {
                lines.add(new Line(v, Status.INVALID, problem.get()));
            } else {
                lines.add(new Line(v, Status.SET, v.secret() ? "(hidden)" : value));
            }
        }
        return lines;
    }

    /** True when nothing is invalid and nothing required is missing. */
    public static boolean passes(List<Line> lines) {
        return lines.stream().noneMatch(l -> l.status() == Status.INVALID || l.status() == Status.MISSING);
    }
}
