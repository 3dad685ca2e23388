package io.askexpert.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Asks the terminal for a checkpoint's decision. One line answers it, so piped input works as well
 * as a person: {@code approve [comment]}, {@code reject [comment]}, {@code modify <comment>} (or
 * {@code a}, {@code r}, {@code m}), or the number of one of the checkpoint's options (approve with
 * that option). {@code modify} without a comment asks for it on the next line.
 */
final class CheckpointPrompt {

    /** A decision as api.md §6.1 sends it. */
    record Answer(String decision, @Nullable String comment, @Nullable String option) {
    }

    private static final Map<String, String> DECISIONS = Map.of("a", "approve", "approve", "approve", "y", "approve",
            "yes", "approve", "r", "reject", "reject", "reject", "n", "reject", "no", "reject", "m", "modify", "modify", "modify");
    private static final int MAX_TRIES = 5;

    private final BufferedReader in;
    private final PrintStream out;
    private final boolean approveAll;
    private final boolean echo;

    /**
     * @param approveAll approve every checkpoint without asking ({@code --yes})
     * @param echo       repeat each answer read, for input that is not a terminal (a pipe, a file)
     */
    CheckpointPrompt(BufferedReader in, PrintStream out, boolean approveAll, boolean echo) {
        this.in = in;
        this.out = out;
        this.approveAll = approveAll;
        this.echo = echo;
    }

    /** Shows the checkpoint and reads the decision; empty when the input has ended. */
    Optional<Answer> ask(JsonNode checkpoint) throws IOException {
        List<String> options = new ArrayList<>();
        // Options that are the decisions themselves (approve, modify, reject) are answered as decisions.
        checkpoint.path("options").forEach(o -> {
            if (!DECISIONS.containsKey(o.asString().strip().toLowerCase(Locale.ROOT))) {
                options.add(o.asString());
            }
        });
        show(checkpoint, options);
        if (approveAll) {
            out.println("Decision: approve (--yes)");
            return Optional.of(new Answer("approve", "approved with --yes", null));
        }
        for (int tries = 0; tries < MAX_TRIES; tries++) {
            out.print("Decision? approve / reject / modify <comment>" + (options.isEmpty() ? "" : " / option number") + ": ");
            out.flush();
            String line = in.readLine();
            if (line == null) {
                out.println();
                return Optional.empty();
            }
            if (echo) {
                out.println(line);
            }
            Optional<Answer> answer = parse(line, options);
            if (answer.isPresent() && answer.get().decision().equals("modify") && answer.get().comment() == null) {
                out.print("What should change? ");
                out.flush();
                String comment = in.readLine();
                if (comment == null) {
                    out.println();
                    return Optional.empty();
                }
                if (echo) {
                    out.println(comment);
                }
                if (comment.isBlank()) {
                    out.println("modify needs a comment that says what to change.");
                    continue;
                }
                return Optional.of(new Answer("modify", comment.strip(), null));
            }
            if (answer.isPresent()) {
                return answer;
            }
            out.println("Answer approve, reject or modify <comment>" + (options.isEmpty() ? "" : ", or 1-" + options.size()) + ".");
        }
        throw new IllegalArgumentException("no valid decision after " + MAX_TRIES + " answers");
    }

    /** One line of input as a decision, or empty when it is none. Pure. */
    static Optional<Answer> parse(String line, List<String> options) {
        String text = line.strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.matches("\\d{1,3}")) {
            int n = Integer.parseInt(text);
            return n >= 1 && n <= options.size() ? Optional.of(new Answer("approve", null, options.get(n - 1))) : Optional.empty();
        }
        String[] parts = text.split("[\\s:]+", 2);
        String decision = DECISIONS.get(parts[0].toLowerCase(Locale.ROOT));
        if (decision == null) {
            return Optional.empty();
        }
        String comment = parts.length > 1 && !parts[1].isBlank() ? parts[1].strip() : null;
        return Optional.of(new Answer(decision, comment, null));
    }

    private void show(JsonNode checkpoint, List<String> options) {
        out.println();
        out.println("Checkpoint " + checkpoint.path("id").asString() + " (" + checkpoint.path("type").asString()
                + ", urgency " + checkpoint.path("urgency").asString("normal") + ")" + timeout(checkpoint));
        String title = checkpoint.path("title").asString("");
        if (!title.isBlank()) {
            out.println("  " + title);
        }
        String question = checkpoint.path("question").asString("");
        if (!question.isBlank()) {
            question.lines().forEach(l -> out.println("  " + l));
        }
        JsonNode context = checkpoint.path("context");
        if (context.isObject()) {
            // The question says what is asked; the context adds the facts it does not repeat (not the goal).
            for (Map.Entry<String, JsonNode> entry : context.properties()) {
                String value = render(entry.getValue());
                if (!entry.getKey().equals("goal") && !value.isBlank() && !said(question, entry.getValue(), value)) {
                    out.println(MissionPrinter.clip("  " + entry.getKey().replace('_', ' ') + ": " + value));
                }
            }
        }
        for (int i = 0; i < options.size(); i++) {
            out.println("  " + (i + 1) + ") " + options.get(i));
        }
    }

    /** Whether the question already says it (a plan's steps listed in the question, for one). */
    private static boolean said(String question, JsonNode value, String rendered) {
        if (value.isArray() && !value.isEmpty()) {
            for (JsonNode item : value) {
                String name = item.isObject() ? item.path("name").asString(item.toString()) : item.asString(item.toString());
                if (!question.contains(name)) {
                    return false;
                }
            }
            return true;
        }
        return question.contains(rendered);
    }

    private static String render(JsonNode value) {
        if (value.isString()) {
            return value.asString();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(v.isObject() ? v.path("name").asString(v.toString()) : v.asString(v.toString())));
            return String.join("; ", items);
        }
        return value.toString();
    }

    private static String timeout(JsonNode checkpoint) {
        long seconds = checkpoint.path("timeout_s").asLong(0);
        if (seconds <= 0) {
            return "";
        }
        String in = seconds >= 7200 ? seconds / 3600 + " h" : seconds >= 120 ? seconds / 60 + " min" : seconds + " s";
        return ", decides itself in " + in;
    }
}
