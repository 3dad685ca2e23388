package io.askexpert.config;

import java.util.Objects;

/**
 * A credential read from the environment. {@link #toString()} never shows the value, because
 * records print every component and settings end up in logs and failure reports.
 */
public record Secret(String value) {

    public static final Secret NONE = new Secret("");

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return value == null || value.isBlank() ? NONE : new Secret(value.strip());
    }

    public boolean isPresent() {
        return !value.isEmpty();
    }

    public int length() {
        return value.length();
    }

    @Override
    public String toString() {
        return isPresent() ? "Secret[******]" : "Secret[none]";
    }
}
