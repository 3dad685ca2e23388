package io.askexpert.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the service, typed. The runbook's environment variable names are bound once,
 * in {@code application.properties}; defaults here equal the runbook's table. Each capability
 * receives only its slice (for example {@code FusionEngine(FusionSettings, …)}).
 * Cross-field rules live in compact constructors and name the environment variable they concern.
 */
@ConfigurationProperties("ask-expert")
@Validated
public record AskExpertSettings(
        @DefaultValue("serve") ProcessRole role,
        @Valid @DefaultValue Database database,
        @Valid @DefaultValue Redis redis,
        @Valid @DefaultValue Auth auth,
        @Valid @DefaultValue Modes modes,
        @Valid @DefaultValue FusionSettings fusion,
        @Valid @DefaultValue LlmSettings llm,
        @Valid @DefaultValue Langfuse langfuse,
        @Valid @DefaultValue Features features,
        @Valid @DefaultValue Supabase supabase,
        @Valid @DefaultValue Runs runs,
        @Valid @DefaultValue Instances instances,
        @Valid @DefaultValue RateLimits rateLimits,
        @DefaultValue("8") @Min(1) @Max(256) int workers,
        Path dataDir,
        @Valid @DefaultValue Knowledge knowledge,
        @Valid @DefaultValue Budgets budgets,
        @Valid @DefaultValue Tools tools,
        @Valid @DefaultValue Outbound outbound,
        @Valid @DefaultValue WebhookSettings webhooks,
        @Valid @DefaultValue Mcp mcp) {

    public AskExpertSettings {
        if (dataDir == null) {
            dataDir = Path.of(System.getProperty("user.home"), ".ask-expert");
        }
    }

    /** True when the process runs the HTTP API ({@code serve} or {@code api}). */
    public boolean servesApi() {
        return role.servesApi();
    }

    /** True when the process runs mission workers ({@code serve} or {@code worker}). */
    public boolean runsWorker() {
        return role.runsWorker();
    }

    /**
     * {@code DATABASE_URL}; absent means the embedded PostgreSQL under the data directory.
     * {@code DATABASE_RETRY_TIMEOUT}: seconds the writes that end an answer are tried again while
     * the database is unreachable (0: never), so a short outage delays {@code done} instead of
     * turning a streamed answer into an error.
     */
    public record Database(@Nullable String url, @DefaultValue("true") boolean autoMigrate,
                           @DefaultValue("20") @Min(1) int poolSize,
                           @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("15") Duration retryTimeout) {
        public Database {
            if (retryTimeout == null || retryTimeout.isNegative()) {
                throw new IllegalArgumentException("DATABASE_RETRY_TIMEOUT must be 0 or more seconds");
            }
        }

        public boolean embedded() {
            return url == null || url.isBlank();
        }
    }

    /** {@code REDIS_URL}; absent means in-process cache, queue, event log, rate limits and locks. */
    public record Redis(@Nullable String url) {
        public Redis {
            if (url != null && !url.isBlank() && !(url.startsWith("redis://") || url.startsWith("rediss://"))) {
                throw new IllegalArgumentException("REDIS_URL must start with redis:// or rediss://");
            }
        }

        public boolean configured() {
            return url != null && !url.isBlank();
        }
    }

    /**
     * {@code JWT_SECRET} (HS256, 32+ characters) and the audience tokens must carry.
     * {@code AUTH_TRUST_TENANT_HEADER}: accept {@code X-Tenant-ID} from any token without a tenant
     * claim (only behind a gateway that sets the header itself). {@code AUTH_PLATFORM_ROLE_ENABLED}:
     * honour the {@code platform_admin} role, which may publish content visible to every tenant.
     */
    public record Auth(@DefaultValue("") Secret jwtSecret, @DefaultValue("authenticated") String audience,
                       @DefaultValue("false") boolean trustTenantHeader,
                       @DefaultValue("false") boolean platformRoleEnabled) {
        public static final int MIN_SECRET_LENGTH = 32;

        public Auth {
            if (jwtSecret.isPresent() && jwtSecret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("JWT_SECRET must be at least " + MIN_SECRET_LENGTH
                        + " characters for HS256 (it has " + jwtSecret.length() + ")");
            }
        }
    }

    /** {@code MODE1_TIMEOUT} … {@code MODE4_TIMEOUT}, in seconds as the runbook writes them. */
    public record Modes(
            @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("60") Duration mode1Timeout,
            @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("90") Duration mode2Timeout,
            @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("300") Duration mode3Timeout,
            @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("600") Duration mode4Timeout) {
        public Modes {
            requirePositive("MODE1_TIMEOUT", mode1Timeout);
            requirePositive("MODE2_TIMEOUT", mode2Timeout);
            requirePositive("MODE3_TIMEOUT", mode3Timeout);
            requirePositive("MODE4_TIMEOUT", mode4Timeout);
        }

        public Duration timeout(Mode mode) {
            return switch (mode) {
                case MODE1 -> mode1Timeout;
                case MODE2 -> mode2Timeout;
                case MODE3 -> mode3Timeout;
                case MODE4 -> mode4Timeout;
            };
        }
    }

    /** {@code LANGFUSE_ENABLED}, {@code LANGFUSE_HOST} and the key pair used for OTLP Basic auth. */
    public record Langfuse(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("https://cloud.langfuse.com") URI host,
            @DefaultValue("") Secret publicKey,
            @DefaultValue("") Secret secretKey) {
        /** Tracing is exported only when enabled and both keys are present. */
        public boolean exporting() {
            return enabled && publicKey.isPresent() && secretKey.isPresent();
        }
    }

    /** The runbook's feature flags, all on by default. */
    public record Features(
            @DefaultValue("true") boolean mode4Enabled,
            @DefaultValue("true") boolean fusionSynergy,
            @DefaultValue("true") boolean hitlStrict,
            @DefaultValue("true") boolean costTracking) {
    }

    /** {@code SUPABASE_URL} and {@code SUPABASE_SERVICE_KEY}: checked by the pre-flight scripts. */
    public record Supabase(@Nullable String url, @DefaultValue("") Secret serviceKey) {
    }

    /**
     * {@code KNOWLEDGE_VECTOR_STORE}: {@code auto} uses pgvector when the database has it and the
     * local Lucene index otherwise; {@code pgvector} or {@code lucene} force one.
     * {@code KNOWLEDGE_FUSION}: how hybrid search merges its two lists, {@code rrf} (default) or
     * {@code score}. Batches of more than {@code asyncThreshold} documents are ingested as jobs.
     */
    public record Knowledge(@DefaultValue("auto") String vectorStore,
                            @DefaultValue("rrf") String fusion,
                            @DefaultValue("20") @Min(1) int asyncThreshold,
                            @DefaultValue("true") boolean loadStarter) {
        public Knowledge {
            if (!java.util.List.of("auto", "pgvector", "lucene").contains(vectorStore)) {
                throw new IllegalArgumentException("KNOWLEDGE_VECTOR_STORE must be auto, pgvector or lucene");
            }
            if (!java.util.List.of("score", "rrf").contains(fusion)) {
                throw new IllegalArgumentException("KNOWLEDGE_FUSION must be rrf or score");
            }
        }
    }

    /**
     * api.md §3 limits per tenant+user: {@code RATE_LIMITS_ENABLED} and one
     * {@code RATE_LIMIT_<CATEGORY>} variable per category (per minute, or concurrent streams).
     */
    public record RateLimits(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("60") @Min(1) int interactivePerMinute,
            @DefaultValue("10") @Min(1) int missionCreatePerMinute,
            @DefaultValue("5") @Min(1) int missionStreams,
            @DefaultValue("120") @Min(1) int missionStatusPerMinute,
            @DefaultValue("30") @Min(1) int agentListPerMinute,
            @DefaultValue("ask_expert:rate:") String keyPrefix) {
    }

    /**
     * Streams and runs (api.md §4): a {@code heartbeat} after this much silence, events kept this
     * long after a run ends (the contract asks for at least 10 minutes) and, for a run that never
     * ended, this long after its last event. Overload bounds: at most {@code maxLive} runs live on
     * one instance, and at most {@code maxPendingWrites} interactive starts whose rows are still
     * waiting to be written; past either a new request is answered {@code 503} with
     * {@code Retry-After} at once.
     */
    public record Runs(
            @DefaultValue("15s") Duration heartbeatInterval,
            @DefaultValue("15m") Duration retention,
            @DefaultValue("1h") Duration liveRetention,
            @DefaultValue("6000") @Min(1) int maxLive,
            @DefaultValue("256") @Min(1) int maxPendingWrites) {
        public Runs {
            requirePositive("ask-expert.runs.heartbeat-interval", heartbeatInterval);
            if (retention == null || retention.compareTo(Duration.ofMinutes(10)) < 0) {
                throw new IllegalArgumentException("ask-expert.runs.retention must be at least 10 minutes (api.md §4)");
            }
            requirePositive("ask-expert.runs.live-retention", liveRetention);
        }
    }

    /**
     * Every process heartbeats in {@code service_instances} this often; one silent for
     * {@code staleAfter} is presumed dead, and the runs and jobs it owned are closed.
     */
    public record Instances(
            @DefaultValue("5s") Duration heartbeatInterval,
            @DefaultValue("30s") Duration staleAfter) {
        public Instances {
            requirePositive("ask-expert.instances.heartbeat-interval", heartbeatInterval);
            requirePositive("ask-expert.instances.stale-after", staleAfter);
            if (staleAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("ask-expert.instances.stale-after must be at least two heartbeat "
                        + "intervals, or a live instance that missed one beat would be taken for dead");
            }
        }
    }

    /**
     * Budget reservations (api.md §6.5): one held longer than {@code staleReservationAfter} is
     * presumed abandoned by a dead worker and released, checked every {@code sweepInterval}. It must
     * exceed the longest LLM or tool call, or a live call would lose its hold.
     */
    public record Budgets(
            @DefaultValue("15m") Duration staleReservationAfter,
            @DefaultValue("1m") Duration sweepInterval) {
        public Budgets {
            requirePositive("ask-expert.budgets.stale-reservation-after", staleReservationAfter);
            requirePositive("ask-expert.budgets.sweep-interval", sweepInterval);
        }
    }

    /**
     * {@code TOOL_HTTP_ALLOWED_HOSTS}: the hosts ({@code host} or {@code host:port}, comma-separated)
     * the {@code http_post} tool may call; empty means it refuses every call. A private, loopback or
     * link-local address is reachable only when its {@code host:port} is listed explicitly.
     */
    public record Tools(@DefaultValue("") String httpAllowedHosts) {
        public Tools {
            for (String entry : httpAllowedHostList(httpAllowedHosts)) {
                if (entry.contains("/") || entry.contains("@") || entry.contains("*") || entry.isBlank()) {
                    throw new IllegalArgumentException("TOOL_HTTP_ALLOWED_HOSTS must list host or host:port entries, "
                            + "comma-separated (no scheme, path or wildcard)");
                }
            }
        }

        /** The allowlist's entries, lower-case and trimmed. */
        public java.util.List<String> httpAllowedHostList() {
            return httpAllowedHostList(httpAllowedHosts);
        }

        private static java.util.List<String> httpAllowedHostList(String value) {
            return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(e -> !e.isEmpty())
                    .map(e -> e.toLowerCase(java.util.Locale.ROOT)).toList();
        }
    }

    /**
     * Outbound HTTP to addresses tenants choose (webhooks, {@code http_post}, MCP over HTTP).
     * {@code OUTBOUND_ALLOWED_HOSTS}: hosts, {@code host:port}, IP literals or CIDR blocks the
     * operator allows even though they resolve to private, loopback or link-local addresses;
     * {@code OUTBOUND_TIMEOUT} (s) bounds a whole exchange; {@code OUTBOUND_MAX_RESPONSE_BYTES} caps a body.
     */
    public record Outbound(
            @DefaultValue("") String allowedHosts,
            @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("10") Duration timeout,
            @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("5") Duration connectTimeout,
            @DefaultValue("1048576") @Min(1) int maxResponseBytes) {
        public Outbound {
            requirePositive("OUTBOUND_TIMEOUT", timeout);
            requirePositive("outbound connect timeout", connectTimeout);
        }
    }

    /**
     * MCP servers declared by tenants. {@code MCP_STDIO_ENABLED}: stdio servers run a command on this
     * host, so they are off unless the operator turns them on; {@code MCP_STDIO_COMMANDS} narrows
     * which commands may run (comma-separated; empty = any). {@code MCP_TOOL_TIMEOUT} (s) bounds one call.
     */
    public record Mcp(
            @DefaultValue("false") boolean stdioEnabled,
            @DefaultValue("") String stdioCommands,
            @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("30") Duration toolTimeout,
            @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("20") Duration connectTimeout) {
        public Mcp {
            requirePositive("MCP_TOOL_TIMEOUT", toolTimeout);
            requirePositive("MCP connect timeout", connectTimeout);
        }

        /** The commands an stdio server may run; empty means any (when stdio is enabled). */
        public java.util.List<String> allowedCommands() {
            return java.util.Arrays.stream(stdioCommands.split(",")).map(String::strip).filter(c -> !c.isEmpty()).toList();
        }
    }

    // Package-private: the slices kept in their own files (FusionSettings, LlmSettings, WebhookSettings) share it.
    static void requirePositive(String variable, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(variable + " must be a positive number of seconds");
        }
    }
}
