package io.askexpert.observability;

import io.askexpert.config.Mode;
import java.util.EnumSet;
import java.util.Set;

/**
 * One component {@code /health/detailed} reports, contributed as a bean by the package that owns
 * it. The names {@code database}, {@code redis}, {@code llm}, {@code vector_index} and
 * {@code queue} also appear as top-level keys (api.md §8); any other name only under
 * {@code checks}. A check should answer within a second or two; it is cut off after
 * {@link SystemHealth#CHECK_TIMEOUT} and reported unhealthy.
 */
public interface HealthCheck {

    String name();

    /** Without a required component the service cannot serve at all: {@code /health/detailed} answers 503. */
    default boolean required() {
        return false;
    }

    /** The modes that cannot serve while this component is unhealthy (in {@code checks.<name>.modes} as 1–4). */
    default Set<Mode> modes() {
        return EnumSet.allOf(Mode.class);
    }

    ComponentHealth check();
}
