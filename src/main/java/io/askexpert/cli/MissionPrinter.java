package io.askexpert.cli;

import io.askexpert.runs.Sequenced;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders a mission's event stream for a terminal, one line per thing that happened: the plan,
 * each step with a progress bar and the cost against the budget, tool calls and delegations,
 * artifacts, and how it ended. Lines, not redraws, so a log or a pipe reads the same as a terminal.
 */
final class MissionPrinter {

    private static final int BAR = 24;
    private static final int LINE = 110;
    private static final BigDecimal CENT = new BigDecimal("0.01");

    private final PrintStream out;
    private final boolean verbose;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, String> stepNames = new LinkedHashMap<>();
    private final List<JsonNode> artifacts = new ArrayList<>();
    private int stepsDone;
    private @Nullable BigDecimal spent;
    private @Nullable BigDecimal limit;
    private AnswerPrinter.@Nullable Ending ending;
    private @Nullable String failure;

    MissionPrinter(PrintStream out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    /** One event; returns true once it is the stream's terminal event. */
    boolean accept(Sequenced event) {
        JsonNode data = json.readTree(event.data());
        switch (event.event()) {
            case "mission_started" -> out.println("Mission " + data.path("mission_id").asString() + " started");
            case "plan" -> plan(data);
            case "step_started" -> out.println("> Step " + position(data.path("step_id").asString()) + ": "
                    + data.path("name").asString(stepNames.getOrDefault(data.path("step_id").asString(), "")));
            case "step_completed" -> {
                stepsDone++;
                String status = data.path("status").asString("completed");
                out.println("  " + bar(stepsDone, Math.max(stepNames.size(), stepsDone)) + " step "
                        + position(data.path("step_id").asString()) + " " + status
                        + " in " + seconds(data.path("duration_ms").asLong()) + budgetSuffix());
            }
            case "tool_call" -> out.println(clip("  tool " + data.path("tool").asString() + " " + compact(data.path("input"))));
            case "tool_result" -> {
                String error = data.path("error").asString("");
                if (!error.isBlank()) {
                    out.println(clip("  tool " + data.path("tool").asString() + " failed: " + error));
                } else if (verbose) {
                    out.println(clip("  tool " + data.path("tool").asString() + " answered in "
                            + data.path("durationMs").asLong() + " ms"));
                }
            }
            case "delegation" -> out.println(clip("  asks " + data.path("to").asString() + ": " + data.path("task").asString()
                    + (data.path("reason").asString("").isBlank() ? "" : " (" + data.path("reason").asString() + ")")));
            case "reasoning", "progress" -> {
                if (verbose) {
                    out.println(clip("  . " + data.path("content").asString(data.path("message").asString(""))));
                }
            }
            case "artifact" -> {
                artifacts.add(data);
                out.println("  artifact: " + data.path("title").asString() + " (" + data.path("type").asString()
                        + ", " + data.path("format").asString() + ")");
            }
            case "cost" -> {
                spent = decimal(data.path("currentCost"), decimal(data.path("estimatedCost"), spent));
                limit = decimal(data.path("budgetLimit"), limit);
                out.println("Cost: " + usd(spent) + (limit == null ? "" : " of " + usd(limit) + " budget"));
            }
            case "checkpoint" -> { } // the prompt shows it
            case "mission_completed" -> {
                JsonNode metrics = data.path("metrics");
                out.println("Mission " + data.path("status").asString("completed") + ": "
                        + metrics.path("steps_executed").asInt(stepsDone) + " steps in "
                        + seconds(metrics.path("duration_ms").asLong()) + ", "
                        + usd(decimal(metrics.path("total_cost_usd"), spent)));
            }
            case "done" -> ending = AnswerPrinter.Ending.DONE;
            case "error" -> {
                failure = data.path("code").asString() + ": " + data.path("message").asString();
                out.println("error: " + failure);
                ending = AnswerPrinter.Ending.ERROR;
            }
            case "cancelled" -> {
                out.println("Mission cancelled: " + data.path("reason").asString("")
                        + (data.has("partial_cost") ? " (cost " + usd(decimal(data.path("partial_cost"), null)) + ")" : ""));
                ending = AnswerPrinter.Ending.CANCELLED;
            }
            default -> { }
        }
        return ending != null;
    }

    void note(String line) {
        out.println(line);
    }

    AnswerPrinter.@Nullable Ending ending() {
        return ending;
    }

    List<JsonNode> artifacts() {
        return List.copyOf(artifacts);
    }

    private void plan(JsonNode data) {
        stepNames.clear();
        JsonNode steps = data.path("steps");
        String confidence = data.has("plan_confidence") ? " (confidence " + percent(data.path("plan_confidence")) + ")" : "";
        out.println("Plan" + confidence + ":");
        int n = 0;
        for (JsonNode step : steps) {
            n++;
            stepNames.put(step.path("id").asString(Integer.toString(n)), step.path("name").asString());
            long eta = step.path("estimated_time_s").asLong(0);
            String description = step.path("description").asString("");
            out.println(clip("  " + n + ". " + step.path("name").asString()
                    + (description.isBlank() ? "" : " - " + description) + (eta > 0 ? " (~" + eta + " s)" : "")));
        }
    }

    /** "2/5" for a known step id, else the id as it came. */
    private String position(String stepId) {
        int i = new ArrayList<>(stepNames.keySet()).indexOf(stepId);
        return i < 0 ? stepId : (i + 1) + "/" + stepNames.size();
    }

    private String budgetSuffix() {
        return spent == null ? "" : " | " + usd(spent) + (limit == null ? "" : " of " + usd(limit));
    }

    /** {@code [#########...............] 3/8} */
    static String bar(int done, int total) {
        int safeTotal = Math.max(total, 1);
        int filled = (int) ((long) BAR * Math.min(done, safeTotal) / safeTotal);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + done + "/" + total;
    }

    static String usd(@Nullable BigDecimal value) {
        if (value == null) {
            return "$0.00";
        }
        // Sub-cent costs (one offline step) keep their digits; larger ones read as money.
        int scale = value.signum() != 0 && value.abs().compareTo(CENT) < 0 ? 6 : 4;
        BigDecimal v = value.setScale(scale, RoundingMode.HALF_UP).stripTrailingZeros();
        return "$" + (v.scale() < 2 ? v.setScale(2) : v).toPlainString();
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String percent(JsonNode value) {
        double v = value.asDouble();
        return Math.round(v <= 1.0 ? v * 100 : v) + "%";
    }

    static @Nullable BigDecimal decimal(JsonNode value, @Nullable BigDecimal otherwise) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isString() && !value.asString().isBlank()) {
            try {
                return new BigDecimal(value.asString().strip());
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }
        return otherwise;
    }

    /** A tool's input on one line. */
    private String compact(JsonNode input) {
        return input.isMissingNode() || input.isNull() ? "" : json.writeValueAsString(input);
    }

    /** One line of at most {@value #LINE} characters; ASCII only, so any terminal's encoding shows it. */
    static String clip(String line) {
        String one = line.replaceAll("[\\r\\n\\t]+", " ");
        return one.length() <= LINE ? one : one.substring(0, LINE - 3) + "...";
    }
}
