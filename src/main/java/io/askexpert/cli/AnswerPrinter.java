package io.askexpert.cli;

import io.askexpert.runs.Sequenced;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders a mode 1 or mode 2 event stream for a terminal: the answer's tokens on {@code out} as
 * they arrive, then the passages it cited; who answered, the cost and any failure on
 * {@code err}, so that {@code out} alone is the answer and can be piped.
 */
final class AnswerPrinter {

    /** How the stream ended, as an exit status. */
    enum Ending {
        DONE(0), ERROR(1), CANCELLED(2), CUT(3);

        final int exitCode;

        Ending(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final boolean verbose;
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<JsonNode> citations = new ArrayList<>();
    private boolean answered;
    private Ending ending;

    AnswerPrinter(PrintStream out, PrintStream err, boolean verbose) {
        this.out = out;
        this.err = err;
        this.verbose = verbose;
    }

    /** One event off the stream; returns true once the stream has ended. */
    boolean accept(Sequenced event) {
        JsonNode data = json.readTree(event.data());
        switch (event.event()) {
            case "agent_selected" -> err.println("Expert: " + describe(data.path("agent")));
            case "fusion" -> {
                List<String> team = new ArrayList<>();
                data.path("selectedExperts").forEach(e -> team.add(e.path("name").asString()
                        + " (" + e.path("confidence").asInt() + ")"));
                err.println("Panel: " + String.join(", ", team));
            }
            case "reasoning", "progress" -> {
                if (verbose) {
                    err.println("  · " + data.path("content").asString(data.path("message").asString()));
                }
            }
            case "token" -> {
                out.print(data.path("content").asString());
                out.flush();
                answered = true;
            }
            case "citation" -> citations.add(data);
            case "cost" -> {
                finishAnswer();
                printCost(data);
            }
            case "done" -> {
                finishAnswer();
                err.println("Session " + data.path("session_id").asString() + " · "
                        + data.path("response_time_ms").asLong() + " ms"
                        + " (continue it with --session " + data.path("session_id").asString() + ")");
                ending = Ending.DONE;
            }
            case "error" -> {
                finishAnswer();
                err.println("error: " + data.path("code").asString() + ": " + data.path("message").asString());
                ending = Ending.ERROR;
            }
            case "cancelled" -> {
                finishAnswer();
                err.println("cancelled: " + data.path("reason").asString());
                ending = Ending.CANCELLED;
            }
            default -> { }
        }
        return ending != null;
    }

    /** The ending, or {@link Ending#CUT} when the stream stopped without a terminal event. */
    Ending ending() {
        if (ending == null) {
            finishAnswer();
            err.println("error: the stream ended without a terminal event");
            return Ending.CUT;
        }
        return ending;
    }

    private void finishAnswer() {
        if (answered) {
            out.println();
            answered = false;
        }
        if (!citations.isEmpty()) {
            out.println();
            out.println("Sources:");
            for (JsonNode c : citations) {
                String url = c.path("url").asString("");
                out.println("  [" + c.path("index").asInt() + "] " + c.path("title").asString()
                        + (url.isBlank() ? "" : " — " + url));
            }
            citations.clear();
        }
    }

    private void printCost(JsonNode cost) {
        BigDecimal usd = new BigDecimal(cost.path("estimatedCost").asString("0"));
        err.println(String.format(Locale.ROOT, "Cost: %,d tokens (%,d in, %,d out), $%s",
                cost.path("totalTokens").asLong(), cost.path("inputTokens").asLong(),
                cost.path("outputTokens").asLong(), usd.stripTrailingZeros().toPlainString()));
    }

    private static String describe(JsonNode agent) {
        String specialty = agent.path("specialty").asString("");
        return agent.path("name").asString() + " (L" + agent.path("level").asInt() + ")"
                + (specialty.isBlank() ? "" : ": " + specialty);
    }
}
