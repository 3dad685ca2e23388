package io.askexpert.missions;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/** The JSON columns of missions: options, context and journal results, written and read one way. */
final class MissionJson {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private MissionJson() {
    }

    static String write(@Nullable Object value) {
        return JSON.writeValueAsString(value);
    }

    static Map<String, @Nullable Object> map(@Nullable String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> m = JSON.readValue(json, LinkedHashMap.class);
        return m;
    }

    static <T> T read(String json, Class<T> type) {
        return JSON.readValue(json, type);
    }

    static <T> T read(String json, JavaType type) {
        return JSON.readValue(json, type);
    }

    static boolean valid(String json) {
        try {
            JSON.readTree(json);
            return true;
        } catch (JacksonException e) {
            return false;
        }
    }

    static String options(MissionOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_steps", o.maxSteps());
        m.put("budget_limit_usd", o.budgetLimitUsd().toPlainString());
        m.put("require_checkpoints", o.requireCheckpoints());
        m.put("checkpoint_types", o.checkpointTypes().stream().map(CheckpointType::wireName).sorted().toList());
        m.put("enable_fusion", o.enableFusion());
        m.put("max_team_size", o.maxTeamSize());
        m.put("priority", o.priority().wireName());
        m.put("notify_on_completion", o.notifyOnCompletion());
        m.put("checkpoint_timeout_s", o.checkpointTimeout().toSeconds());
        return write(m);
    }

    static MissionOptions options(String json) {
        Map<String, @Nullable Object> m = map(json);
        Set<CheckpointType> types = EnumSet.noneOf(CheckpointType.class);
        if (m.get("checkpoint_types") instanceof List<?> list) {
            list.forEach(t -> types.add(CheckpointType.fromWire(String.valueOf(t))));
        }
        return new MissionOptions(((Number) m.get("max_steps")).intValue(),
                new BigDecimal(String.valueOf(m.get("budget_limit_usd"))),
                Boolean.TRUE.equals(m.get("require_checkpoints")), types,
                Boolean.TRUE.equals(m.get("enable_fusion")), ((Number) m.get("max_team_size")).intValue(),
                MissionOptions.Priority.valueOf(String.valueOf(m.get("priority")).toUpperCase(java.util.Locale.ROOT)),
                Boolean.TRUE.equals(m.get("notify_on_completion")),
                Duration.ofSeconds(((Number) m.get("checkpoint_timeout_s")).longValue()));
    }
}
