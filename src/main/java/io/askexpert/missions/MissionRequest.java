package io.askexpert.missions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.errors.InputText;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /mode3/mission/create} (api.md §6.1). {@link #validated()} checks every
 * rule and names the offending field; defaults are applied there.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MissionRequest(@Nullable String goal, @JsonProperty("agent_id") @Nullable String agentId,
                             @Nullable String title, @Nullable Options options,
                             @Nullable Map<String, @Nullable Object> context) {

    public static final int MIN_GOAL = 10;
    public static final int MAX_GOAL = 5_000;
    static final BigDecimal DEFAULT_BUDGET = new BigDecimal("5.00");
    static final BigDecimal MAX_BUDGET = new BigDecimal("10000");
    static final Duration DEFAULT_CHECKPOINT_TIMEOUT = Duration.ofHours(24);

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Options(@JsonProperty("max_steps") @Nullable Integer maxSteps,
                          @JsonProperty("budget_limit_usd") @Nullable BigDecimal budgetLimitUsd,
                          @JsonProperty("require_checkpoints") @Nullable Boolean requireCheckpoints,
                          @JsonProperty("checkpoint_types") @Nullable List<@Nullable String> checkpointTypes,
                          @JsonProperty("checkpoint_timeout_s") @Nullable Long checkpointTimeoutS) {
    }

    /** What a valid request asks for, with defaults applied. */
    public record Valid(String goal, String agentId, @Nullable String title, MissionOptions options,
                        Map<String, @Nullable Object> context) {
    }

    public Valid validated() {
        String g = InputText.require("goal", goal, MIN_GOAL, MAX_GOAL);
        if (InputText.isInvisible(agentId)) {
            throw AskExpertException.invalid("agent_id", "agent_id is required in mode 3");
        }
        if (agentId.length() > 128) {
            throw AskExpertException.invalid("agent_id", "agent_id must be at most 128 characters");
        }
        if (title != null && title.length() > 200) {
            throw AskExpertException.invalid("title", "title must be at most 200 characters");
        }
        Options o = options == null ? new Options(null, null, null, null, null) : options;
        int maxSteps = o.maxSteps() == null ? 10 : o.maxSteps();
        if (maxSteps < 1 || maxSteps > 50) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "options.max_steps must be 1 to 50",
                    Map.of("field", "options.max_steps", "min", 1, "max", 50, "actual", maxSteps));
        }
        BigDecimal budget = o.budgetLimitUsd() == null ? DEFAULT_BUDGET : o.budgetLimitUsd();
        if (budget.signum() <= 0 || budget.compareTo(MAX_BUDGET) > 0) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR,
                    "options.budget_limit_usd must be more than 0 and at most " + MAX_BUDGET.toPlainString(),
                    Map.of("field", "options.budget_limit_usd"));
        }
        Set<CheckpointType> types = EnumSet.noneOf(CheckpointType.class);
        if (o.checkpointTypes() != null) {
            for (String t : o.checkpointTypes()) {
                types.add(checkpointType(t));
            }
        }
        long timeoutS = o.checkpointTimeoutS() == null ? DEFAULT_CHECKPOINT_TIMEOUT.toSeconds() : o.checkpointTimeoutS();
        if (timeoutS < 1 || timeoutS > Duration.ofDays(30).toSeconds()) {
            throw AskExpertException.invalid("options.checkpoint_timeout_s",
                    "options.checkpoint_timeout_s must be 1 second to 30 days");
        }
        MissionOptions opts = new MissionOptions(maxSteps, budget, o.requireCheckpoints() == null || o.requireCheckpoints(),
                types, false, 1, MissionOptions.Priority.NORMAL, false, Duration.ofSeconds(timeoutS));
        Map<String, @Nullable Object> ctx = new LinkedHashMap<>();
        if (context != null) {
            context.forEach((k, v) -> {
                if (v != null) {
                    ctx.put(k, v);
                }
            });
        }
        if (MissionJson.write(ctx).length() > 20_000) {
            throw AskExpertException.invalid("context", "context must be at most 20,000 characters of JSON");
        }
        return new Valid(g, agentId.strip(), title == null || title.isBlank() ? null : title.strip(), opts, ctx);
    }

    private static CheckpointType checkpointType(@Nullable String t) {
        try {
            if (t != null) {
                return CheckpointType.fromWire(t);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "options.checkpoint_types holds an unknown type",
                Map.of("field", "options.checkpoint_types", "allowed",
                        List.of("budget", "plan_approval", "step_review", "critical_decision", "external_action",
                                "final_review")));
    }
}
