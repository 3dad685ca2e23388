package io.askexpert.missions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.errors.InputText;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /mode4/mission/create} (api.md §6.2). {@link #validated()} checks every
 * rule, names the offending field and applies the defaults: {@code max_team_size} 4 (1–6),
 * {@code budget_limit_usd} 10.00, {@code priority} normal, {@code checkpoint_auto_timeout_s} 600.
 * Beyond the contract, {@code options.include_experts} names experts the team must include (ids or
 * slugs, at most 6): fusion fills the other seats, and the preflight checks the caller may use them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Mode4Request(@Nullable String goal, @Nullable String title, @Nullable Options options,
                           @Nullable Map<String, @Nullable Object> context) {

    static final BigDecimal DEFAULT_BUDGET = new BigDecimal("10.00");
    static final int DEFAULT_TEAM = 4;
    static final long DEFAULT_CHECKPOINT_TIMEOUT_S = 600;
    static final long MAX_CHECKPOINT_TIMEOUT_S = Duration.ofDays(30).toSeconds();

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Options(@JsonProperty("enable_fusion") @Nullable Boolean enableFusion,
                          @JsonProperty("max_team_size") @Nullable Integer maxTeamSize,
                          @JsonProperty("budget_limit_usd") @Nullable BigDecimal budgetLimitUsd,
                          @Nullable String priority,
                          @JsonProperty("notify_on_completion") @Nullable Boolean notifyOnCompletion,
                          @JsonProperty("checkpoint_auto_timeout_s") @Nullable Long checkpointAutoTimeoutS,
                          @JsonProperty("checkpoint_types") @Nullable List<@Nullable String> checkpointTypes,
                          @JsonProperty("include_experts") @Nullable List<@Nullable String> includeExperts) {
    }

    /** What a valid request asks for, with defaults applied. */
    public record Valid(String goal, @Nullable String title, MissionOptions options, List<String> includeExperts,
                        Map<String, @Nullable Object> context) {
    }

    public Valid validated() {
        String g = InputText.require("goal", goal, MissionRequest.MIN_GOAL, MissionRequest.MAX_GOAL);
        if (title != null && title.length() > 200) {
            throw AskExpertException.invalid("title", "title must be at most 200 characters");
        }
        Options o = options == null ? new Options(null, null, null, null, null, null, null, null) : options;
        int team = o.maxTeamSize() == null ? DEFAULT_TEAM : o.maxTeamSize();
        if (team < 1 || team > 6) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "options.max_team_size must be 1 to 6",
                    Map.of("field", "options.max_team_size", "min", 1, "max", 6, "actual", team));
        }
        BigDecimal budget = o.budgetLimitUsd() == null ? DEFAULT_BUDGET : o.budgetLimitUsd();
        if (budget.signum() <= 0 || budget.compareTo(MissionRequest.MAX_BUDGET) > 0) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "options.budget_limit_usd must be more than 0 and at most "
                    + MissionRequest.MAX_BUDGET.toPlainString(), Map.of("field", "options.budget_limit_usd"));
        }
        MissionOptions.Priority priority = priority(o.priority());
        long timeoutS = o.checkpointAutoTimeoutS() == null ? DEFAULT_CHECKPOINT_TIMEOUT_S : o.checkpointAutoTimeoutS();
        if (timeoutS < 1 || timeoutS > MAX_CHECKPOINT_TIMEOUT_S) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR,
                    "options.checkpoint_auto_timeout_s must be 1 second to 30 days", Map.of("field",
                    "options.checkpoint_auto_timeout_s", "min", 1, "max", MAX_CHECKPOINT_TIMEOUT_S, "actual", timeoutS));
        }
        Set<CheckpointType> types = EnumSet.noneOf(CheckpointType.class);
        if (o.checkpointTypes() != null) {
            for (String t : o.checkpointTypes()) {
                types.add(checkpointType(t));
            }
        }
        List<String> include = new ArrayList<>();
        if (o.includeExperts() != null) {
            if (o.includeExperts().size() > team) {
                throw AskExpertException.invalid("options.include_experts",
                        "options.include_experts holds at most options.max_team_size (" + team + ") experts");
            }
            for (String e : o.includeExperts()) {
                if (InputText.isInvisible(e) || e.length() > 128) {
                    throw AskExpertException.invalid("options.include_experts",
                            "options.include_experts holds expert ids or slugs of 1 to 128 characters");
                }
                if (!include.contains(e.strip())) {
                    include.add(e.strip());
                }
            }
        }
        // Steps are the team's delegations (one per member), so max_steps follows the team's size.
        MissionOptions opts = new MissionOptions(team, budget, !types.isEmpty(), types,
                o.enableFusion() == null || o.enableFusion(), team, priority,
                Boolean.TRUE.equals(o.notifyOnCompletion()), Duration.ofSeconds(timeoutS));
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
        return new Valid(g, title == null || title.isBlank() ? null : title.strip(), opts, List.copyOf(include), ctx);
    }

    private static MissionOptions.Priority priority(@Nullable String p) {
        if (p == null) {
            return MissionOptions.Priority.NORMAL;
        }
        return switch (p.strip().toLowerCase(Locale.ROOT)) {
            case "low" -> MissionOptions.Priority.LOW;
            case "normal" -> MissionOptions.Priority.NORMAL;
            case "high" -> MissionOptions.Priority.HIGH;
            default -> throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "options.priority must be low, normal or high",
                    Map.of("field", "options.priority", "allowed", List.of("low", "normal", "high")));
        };
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
                Map.of("field", "options.checkpoint_types", "allowed", List.of("budget", "plan_approval", "step_review",
                        "critical_decision", "external_action", "final_review")));
    }
}
