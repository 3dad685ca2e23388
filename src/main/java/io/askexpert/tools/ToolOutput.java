package io.askexpert.tools;

import io.askexpert.knowledge.Source;
import java.util.List;
import java.util.Objects;

/**
 * What a tool returned.
 *
 * @param value   JSON-able: a map, list, string, number or boolean
 * @param sources the knowledge passages the value quotes, for the report's citations
 */
public record ToolOutput(Object value, List<Source> sources) {

    public ToolOutput {
        Objects.requireNonNull(value, "value");
        sources = List.copyOf(sources);
    }

    public static ToolOutput of(Object value) {
        return new ToolOutput(value, List.of());
    }
}
