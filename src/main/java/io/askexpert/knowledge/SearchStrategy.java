package io.askexpert.knowledge;

import io.askexpert.errors.AskExpertException;
import java.util.Locale;

/** How {@code /knowledge/search} ranks: both lists fused by RRF, or one of them alone. */
public enum SearchStrategy {
    HYBRID, VECTOR, KEYWORD;

    /** Parses the API's lower-case name; null means the default, hybrid. */
    public static SearchStrategy parse(String value) {
        if (value == null || value.isBlank()) {
            return HYBRID;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AskExpertException.invalid("strategy", "strategy must be one of hybrid, vector, keyword");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
