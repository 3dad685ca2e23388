package io.askexpert.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One environment variable the service reads: whether production requires it, its default,
 * whether its value is a secret (never printed), and the rule a value must satisfy.
 *
 * @param check returns a problem description for a bad value, or empty when the value is fine
 */
public record EnvironmentVariable(String name, Kind kind, @Nullable String defaultValue, boolean secret,
                                  String description, Function<String, Optional<String>> check) {

    public enum Kind { REQUIRED, OPTIONAL, FEATURE_FLAG, EXTRA }

    static EnvironmentVariable required(String name, boolean secret, String description,
                                        Function<String, Optional<String>> check) {
        return new EnvironmentVariable(name, Kind.REQUIRED, null, secret, description, check);
    }

    static EnvironmentVariable optional(String name, String defaultValue, String description,
                                        Function<String, Optional<String>> check) {
        return new EnvironmentVariable(name, Kind.OPTIONAL, defaultValue, false, description, check);
    }

    static EnvironmentVariable flag(String name, String description) {
        return new EnvironmentVariable(name, Kind.FEATURE_FLAG, "true", false, description, EnvironmentVariable::bool);
    }

    static EnvironmentVariable extra(String name, @Nullable String defaultValue, boolean secret, String description,
                                     Function<String, Optional<String>> check) {
        return new EnvironmentVariable(name, Kind.EXTRA, defaultValue, secret, description, check);
    }

    static Optional<String> any(String value) {
        return Optional.empty();
    }

    static Optional<String> bool(String value) {
        return List.of("true", "false").contains(value.toLowerCase(Locale.ROOT))
                ? Optional.empty() : Optional.of("must be true or false");
    }

    static Function<String, Optional<String>> intRange(int min, int max) {
        return value -> {
            try {
                int n = Integer.parseInt(value.strip());
                return n >= min && n <= max ? Optional.empty()
                        : Optional.of("must be between " + min + " and " + max);
            } catch (NumberFormatException e) {
                return Optional.of("must be a whole number");
            }
        };
    }

    static Optional<String> httpUrl(String value) {
        try {
            URI uri = URI.create(value.strip());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    ? Optional.empty() : Optional.of("must be an http(s) URL");
        } catch (IllegalArgumentException e) {
            return Optional.of("must be an http(s) URL");
        }
    }

    static Optional<String> hostList(String value) {
        for (String entry : value.split(",")) {
            String e = entry.strip();
            if (!e.isEmpty() && !e.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?")) {
                return Optional.of("must list host or host:port entries, comma-separated (no scheme, path or wildcard)");
            }
        }
        return Optional.empty();
    }

    static Function<String, Optional<String>> prefixed(String... prefixes) {
        return value -> {
            for (String p : prefixes) {
                if (value.strip().startsWith(p)) {
                    return Optional.empty();
                }
            }
            return Optional.of("must start with " + String.join(" or ", prefixes));
        };
    }

    static Function<String, Optional<String>> minLength(int min) {
        return value -> value.length() >= min ? Optional.empty()
                : Optional.of("must be at least " + min + " characters (has " + value.length() + ")");
    }

    static Function<String, Optional<String>> oneOf(String... allowed) {
        return value -> List.of(allowed).contains(value.toUpperCase(Locale.ROOT)) ? Optional.empty()
                : Optional.of("must be one of " + String.join(", ", allowed));
    }
}
