package io.askexpert.cli;

import io.askexpert.runs.Sequenced;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows one mission to its end through any number of dropped connections: each reconnect asks
 * for the events after the last one seen ({@code Last-Event-ID}), so nothing is shown twice or
 * lost. Checkpoints are answered through the prompt as they arrive; at the end the report is saved.
 */
final class MissionFollower {

    /** The input ended while a checkpoint waited: the mission waits on, and this says how to go on. */
    static final class NoDecision extends RuntimeException {
        NoDecision(String message) {
            super(message);
        }
    }

    private static final long[] BACKOFF_MS = {250, 500, 1000, 2000, 4000, 8000, 8000, 8000};

    private final MissionClient client;
    private final MissionPrinter printer;
    private final CheckpointPrompt prompt;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Set<String> decided = new HashSet<>();
    private long lastId;

    MissionFollower(MissionClient client, MissionPrinter printer, CheckpointPrompt prompt) {
        this.client = client;
        this.printer = printer;
        this.prompt = prompt;
    }

    /** Streams until the terminal event; returns how it ended. */
    AnswerPrinter.Ending follow(String missionId) throws IOException, InterruptedException {
        int failures = 0;
        while (printer.ending() == null) {
            long before = lastId;
            try {
                client.stream(missionId, lastId, event -> handle(missionId, event));
            } catch (IOException e) {
                if (failures >= BACKOFF_MS.length) {
                    throw new IOException("lost the connection to " + client.base() + " and could not get it back: "
                            + e.getMessage() + " (the mission goes on: ask-expert mission follow " + missionId + ")", e);
                }
            } catch (UncheckedDecisionIo e) {
                throw e.getCause();
            }
            if (printer.ending() != null) {
                break;
            }
            failures = lastId > before ? 0 : failures + 1;
            if (failures > BACKOFF_MS.length) {
                printer.note("error: the stream keeps ending without news; the mission goes on on the server.");
                return AnswerPrinter.Ending.CUT;
            }
            printer.note("(connection lost after event " + lastId + "; reconnecting...)");
            Thread.sleep(BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)]);
        }
        return printer.ending();
    }

    private boolean handle(String missionId, Sequenced event) {
        if (event.id() <= lastId) {
            return false;
        }
        lastId = event.id();
        boolean ended = printer.accept(event);
        if (event.event().equals("checkpoint")) {
            try {
                decide(missionId, json.readTree(event.data()));
            } catch (IOException e) {
                throw new UncheckedDecisionIo(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NoDecision("interrupted while a checkpoint waited");
            }
        }
        return ended;
    }

    private void decide(String missionId, JsonNode checkpoint) throws IOException, InterruptedException {
        String id = checkpoint.path("id").asString();
        if (!decided.add(id) || !stillPending(missionId, id)) {
            return;
        }
        Optional<CheckpointPrompt.Answer> answer = prompt.ask(checkpoint);
        if (answer.isEmpty()) {
            throw new NoDecision("no decision for checkpoint " + id + " on standard input; the mission waits for it."
                    + " Decide it in the web app, or run: ask-expert mission follow " + missionId);
        }
        try {
            JsonNode result = client.decide(id, answer.get().decision(), answer.get().comment(), answer.get().option());
            printer.note("Checkpoint " + id + ": " + result.path("status").asString(answer.get().decision())
                    + "; the mission goes on.");
        } catch (MissionClient.Refused e) {
            if (!e.code.equals("CHECKPOINT_ALREADY_RESOLVED")) {
                throw e;
            }
            printer.note("Checkpoint " + id + " was already decided (" + e.getMessage() + ").");
        }
    }

    /** A checkpoint replayed after a reconnect may have been decided meanwhile (elsewhere, or it expired). */
    private boolean stillPending(String missionId, String checkpointId) throws IOException, InterruptedException {
        try {
            JsonNode status = client.status(missionId);
            JsonNode pending = status.path("pending_checkpoints");
            if (!pending.isArray()) {
                return true;
            }
            for (JsonNode p : pending) {
                if (p.path("id").asString().equals(checkpointId)) {
                    return true;
                }
            }
            printer.note("Checkpoint " + checkpointId + " is no longer pending.");
            return false;
        } catch (MissionClient.Refused e) {
            return true;
        }
    }

    /**
     * Saves the mission's report (the artifact of type {@code report}, else the last Markdown one)
     * to {@code output}; returns the path, or empty when the mission produced none.
     */
    Optional<Path> saveReport(String missionId, Path output) throws IOException, InterruptedException {
        List<JsonNode> artifacts = printer.artifacts();
        if (artifacts.isEmpty()) {
            artifacts = List.copyOf(toList(client.status(missionId).path("artifacts")));
        }
        Optional<JsonNode> report = pickReport(artifacts);
        if (report.isEmpty()) {
            return Optional.empty();
        }
        String url = report.get().path("download_url").asString("");
        if (url.isBlank()) {
            url = MissionClient.API + "/missions/" + missionId + "/artifacts/" + report.get().path("id").asString();
        }
        byte[] bytes = client.download(url);
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(output, bytes);
        return Optional.of(output.toAbsolutePath());
    }

    static Optional<JsonNode> pickReport(List<JsonNode> artifacts) {
        Optional<JsonNode> report = artifacts.stream().filter(a -> a.path("type").asString("").equals("report")).reduce((a, b) -> b);
        if (report.isPresent()) {
            return report;
        }
        return artifacts.stream().filter(a -> a.path("format").asString("").matches("(?i)md|markdown|text/markdown"))
                .reduce((a, b) -> b).or(() -> artifacts.stream().reduce((a, b) -> b));
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new java.util.ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    /** Carries an I/O failure of a decision out of the stream's callback. */
    private static final class UncheckedDecisionIo extends RuntimeException {
        UncheckedDecisionIo(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
