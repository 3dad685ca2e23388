package io.askexpert.mockllm;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the mock does to one request. Named by the request's model ({@code mock-429},
 * {@code mock-500}, {@code mock-stall-first}, {@code mock-cut-after-3}…) or scripted through
 * {@code POST /_mock/scenarios} with the same names without the {@code mock-} prefix.
 */
sealed interface Fault {

    /** A normal answer. */
    record None() implements Fault {
    }

    /** An HTTP error status before any body; {@code retryAfterSeconds} sets {@code Retry-After} when positive. */
    record Status(int status, int retryAfterSeconds) implements Fault {
    }

    /** Headers (and for Anthropic the {@code message_start}) sent, then no token at all. */
    record StallFirst() implements Fault {
    }

    /** {@code tokens} tokens, then silence with the connection open. */
    record StallAfter(int tokens) implements Fault {
    }

    /** {@code tokens} tokens, then the connection is closed with no final event. */
    record CutAfter(int tokens) implements Fault {
    }

    Pattern STATUS = Pattern.compile("(\\d{3})(?:[:-](?:retry-)?(\\d+))?");
    Pattern AFTER = Pattern.compile("(stall|cut)-after-(\\d+)");

    /** Parses {@code ok}, {@code 429}, {@code 429:2} (Retry-After 2 s), {@code 500}, {@code stall-first}, {@code stall-after-N}, {@code cut-after-N}. */
    static Optional<Fault> parse(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        if (s.equals("ok") || s.equals("none")) {
            return Optional.of(new None());
        }
        if (s.equals("stall-first")) {
            return Optional.of(new StallFirst());
        }
        Matcher status = STATUS.matcher(s);
        if (status.matches()) {
            int code = Integer.parseInt(status.group(1));
            if (code < 400 || code > 599) {
                return Optional.empty();
            }
            int retryAfter = status.group(2) != null ? Integer.parseInt(status.group(2)) : code == 429 ? 1 : 0;
            return Optional.of(new Status(code, retryAfter));
        }
        Matcher after = AFTER.matcher(s);
        if (after.matches()) {
            int n = Integer.parseInt(after.group(2));
            return Optional.of(after.group(1).equals("stall") ? new StallAfter(n) : new CutAfter(n));
        }
        return Optional.empty();
    }

    /** The fault a model name asks for: {@code mock-<spec>}; any other model answers normally. */
    static Fault fromModel(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return m.startsWith("mock-") ? parse(m.substring(5)).orElse(new None()) : new None();
    }

    default String label() {
        return switch (this) {
            case None n -> "ok";
            case Status s -> String.valueOf(s.status());
            case StallFirst s -> "stall-first";
            case StallAfter s -> "stall-after";
            case CutAfter c -> "cut-after";
        };
    }
}
