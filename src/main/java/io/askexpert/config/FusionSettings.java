package io.askexpert.config;

import static io.askexpert.config.AskExpertSettings.requirePositive;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * {@code FUSION_TIMEOUT}, {@code FUSION_FALLBACK_ENABLED}, the weighted-RRF parameters and the
 * selection cache ({@code FUSION_CACHE_SIZE} entries, {@code FUSION_CACHE_TTL} seconds; 0 turns it off),
 * the confidence a panel member after the lead needs ({@code FUSION_PANEL_MIN_CONFIDENCE}), and how
 * the sources' hits are combined ({@code FUSION_METHOD}: {@code weighted_rrf} or {@code weighted_score}).
 * Bound under {@code ask-expert.fusion} as {@link AskExpertSettings#fusion()}.
 */
public record FusionSettings(
        @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("5") Duration timeout,
        @DefaultValue("true") boolean fallbackEnabled,
        @DefaultValue("60") @Min(1) int rrfK,
        @DefaultValue("0.40") double vectorWeight,
        @DefaultValue("0.35") double graphWeight,
        @DefaultValue("0.25") double relationalWeight,
        @DefaultValue("") String fallbackExpert,
        @DurationUnit(ChronoUnit.MILLIS) @DefaultValue("2000") Duration sourceTimeout,
        @DefaultValue("15") @Min(0) @Max(100) int minConfidence,
        @DefaultValue("0.5") double synergyStrength,
        @DefaultValue("1.25") double synergyMaxBoost,
        @DefaultValue("10000") @Min(0) int cacheSize,
        @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("300") Duration cacheTtl,
        @DefaultValue("65") @Min(0) @Max(100) int panelMinConfidence,
        @DefaultValue("weighted_rrf") FusionMethod method) {
    public FusionSettings {
        if (cacheTtl == null || cacheTtl.isNegative()) {
            throw new IllegalArgumentException("FUSION_CACHE_TTL must be zero (off) or a positive number of seconds");
        }
        requirePositive("FUSION_TIMEOUT", timeout);
        requirePositive("FUSION_SOURCE_TIMEOUT_MS", sourceTimeout);
        if (synergyStrength < 0 || synergyMaxBoost < 1) {
            throw new IllegalArgumentException("fusion synergy strength must be >= 0 and its max boost >= 1");
        }
        if (vectorWeight < 0 || graphWeight < 0 || relationalWeight < 0
                || vectorWeight + graphWeight + relationalWeight <= 0) {
            throw new IllegalArgumentException(
                    "fusion weights must be non-negative and not all zero (vector, graph, relational)");
        }
    }
}
