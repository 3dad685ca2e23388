package io.askexpert.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code mission status|list|follow|pause|resume|cancel}: a running server's missions. */
final class MissionSubcommands {

    private MissionSubcommands() {
    }

    /** A command that needs a running server; nothing is started in-process for it. */
    abstract static class Remote implements Callable<Integer> {
        @Mixin ServerOptions server = new ServerOptions();

        @Override
        public final Integer call() throws IOException, InterruptedException {
            MissionClient client = new MissionClient(server.base(), server.bearer());
            try {
                return run(client);
            } catch (ConnectException e) {
                throw new IllegalStateException("no server answers at " + server.base()
                        + " (start one with ./ask-expert, or pass --url)");
            }
        }

        abstract int run(MissionClient client) throws IOException, InterruptedException;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "A mission's state, plan, pending checkpoints, budget and artifacts.")
    static final class Status extends Remote {
        @Parameters(paramLabel = "MISSION_ID", description = "the mission")
        String id = "";
        @Option(names = "--json", description = "print the status as the API returns it")
        boolean raw;

        @Override
        int run(MissionClient client) throws IOException, InterruptedException {
            JsonNode status = client.status(id);
            if (raw) {
                System.out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(status));
            } else {
                printStatus(status, System.out);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Your missions, newest first.")
    static final class ListMissions extends Remote {
        @Option(names = "--limit", defaultValue = "20", description = "how many (default: ${DEFAULT-VALUE})")
        int limit;
        @Option(names = "--offset", defaultValue = "0", description = "skip this many")
        int offset;
        @Option(names = "--status", paramLabel = "STATUS", description = "only missions in this state (e.g. waiting_for_human)")
        @Nullable String status;

        @Override
        int run(MissionClient client) throws IOException, InterruptedException {
            if (limit < 1 || limit > 100) {
                throw new IllegalArgumentException("--limit must be 1 to 100");
            }
            JsonNode page = client.history(limit, Math.max(offset, 0), status);
            printHistory(page, System.out);
            return 0;
        }
    }

    @Command(name = "follow", mixinStandardHelpOptions = true, description = "Follow a mission (after --detach, or from another terminal) to its end, "
            + "answer its checkpoints and save its report.")
    static final class Follow extends Remote {
        @Parameters(paramLabel = "MISSION_ID", description = "the mission")
        String id = "";
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to save the report (default mission-<id>.md)")
        @Nullable Path output;
        @Option(names = {"-y", "--yes"}, description = "approve every checkpoint without asking")
        boolean yes;
        @Option(names = {"-v", "--verbose"}, description = "also show reasoning, progress messages and tool results")
        boolean verbose;

        @Override
        int run(MissionClient client) throws IOException, InterruptedException {
            return MissionCommand.follow(client, id, output, yes, verbose, System.out);
        }
    }

    /** pause, resume, cancel. */
    abstract static class Control extends Remote {
        @Parameters(paramLabel = "MISSION_ID", description = "the mission")
        String id = "";

        abstract String action();

        @Nullable String reason() {
            return null;
        }

        @Override
        int run(MissionClient client) throws IOException, InterruptedException {
            JsonNode result = client.control(id, action(), reason());
            System.out.println("Mission " + id + ": " + result.path("status").asString(action() + " requested"));
            return 0;
        }

        @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a mission; it holds no worker until resumed.")
        static final class Pause extends Control {
            @Override
            String action() {
                return "pause";
            }
        }

        @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused mission.")
        static final class Resume extends Control {
            @Override
            String action() {
                return "resume";
            }
        }

        @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a mission (stops its current call).")
        static final class Cancel extends Control {
            @Option(names = "--reason", description = "why (recorded with the mission)")
            @Nullable String why;

            @Override
            String action() {
                return "cancel";
            }

            @Override
            @Nullable String reason() {
                return why == null ? "cancelled from the command line" : why;
            }
        }
    }

    static void printStatus(JsonNode s, PrintStream out) {
        out.println("Mission " + s.path("mission_id").asString() + " | " + s.path("status").asString()
                + " | " + s.path("progress").asInt() + "%" + (s.path("offline").asBoolean(false) ? " | offline" : ""));
        out.println("Goal: " + s.path("goal").asString());
        out.println("Expert: " + s.path("agent").path("name").asString(s.path("agent").path("id").asString("")));
        JsonNode budget = s.path("budget");
        out.println("Budget: " + MissionPrinter.usd(MissionPrinter.decimal(budget.path("spent_usd"), null)) + " spent, "
                + MissionPrinter.usd(MissionPrinter.decimal(budget.path("reserved_usd"), null)) + " reserved, of "
                + MissionPrinter.usd(MissionPrinter.decimal(budget.path("limit_usd"), null)));
        JsonNode steps = s.path("plan").path("steps");
        if (steps.isArray() && !steps.isEmpty()) {
            out.println("Plan:");
            int n = 0;
            for (JsonNode step : steps) {
                out.println(MissionPrinter.clip("  " + (++n) + ". [" + step.path("status").asString("pending") + "] "
                        + step.path("name").asString()));
            }
        }
        boolean ended = Set.of("completed", "failed", "cancelled").contains(s.path("status").asString());
        for (JsonNode c : ended ? JsonMapper.builder().build().createArrayNode() : s.path("pending_checkpoints")) {
            out.println(MissionPrinter.clip("Waiting for you: checkpoint " + c.path("id").asString() + " ("
                    + c.path("type").asString() + "): " + c.path("question").asString(c.path("title").asString(""))));
        }
        for (JsonNode a : s.path("artifacts")) {
            out.println("Artifact: " + a.path("title").asString() + " (" + a.path("format").asString() + ") "
                    + a.path("download_url").asString());
        }
        JsonNode error = s.path("error");
        if (error.isObject()) {
            out.println("Error: " + error.path("code").asString() + ": " + error.path("message").asString());
        }
    }

    static void printHistory(JsonNode page, PrintStream out) {
        JsonNode missions = page.path("missions");
        if (!missions.isArray() || missions.isEmpty()) {
            out.println("No missions.");
            return;
        }
        out.printf("%-36s  %-17s  %-10s  %-19s  %s%n", "MISSION", "STATUS", "COST", "CREATED", "GOAL");
        for (JsonNode m : missions) {
            String created = m.path("created_at").asString("");
            out.println(MissionPrinter.clip(String.format("%-36s  %-17s  %-10s  %-19s  %s", m.path("mission_id").asString(),
                    m.path("status").asString(), MissionPrinter.usd(MissionPrinter.decimal(m.path("total_cost_usd"), null)),
                    created.length() > 19 ? created.substring(0, 19).replace('T', ' ') : created,
                    m.path("title").asString(m.path("goal").asString("")))));
        }
        out.println(missions.size() + " of " + page.path("total").asInt(missions.size()));
    }

    /** Waits until the service answers {@code /health} with 200 (start-up indexes the starter knowledge first). */
    static void awaitHealthy(MissionClient client) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!client.healthy()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the in-process service did not become healthy within 3 minutes");
            }
            Thread.sleep(250);
        }
    }
}
