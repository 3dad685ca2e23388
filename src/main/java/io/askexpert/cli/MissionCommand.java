package io.askexpert.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code mission "goal" --agent SLUG}: creates a mode 3 mission, follows it live (plan, steps with
 * a progress bar, tool calls, delegations, cost against the budget), asks the terminal at each
 * checkpoint and saves the report. It talks to the server at {@code --url}; with none given and
 * nothing listening on this machine's port it starts the service in-process for the mission.
 */
@Command(name = "mission", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Hand an expert a mission (mode 3): it plans, researches with tools, asks you at checkpoints "
                + "and writes a cited report.",
                "Quote the goal. Checkpoint answers are read from standard input, one line each: approve [comment], "
                        + "reject [comment], modify <comment>, or an option's number."},
        footer = {"", "Examples:",
                "  ask-expert mission \"Compile the EU and US SUSAR reporting rules\" \\",
                "      --agent pharmacovigilance-expert --checkpoint-types plan_approval",
                "  echo approve | ask-expert mission \"...\" --agent SLUG -o brief.md",
                "  ask-expert mission \"...\" --agent SLUG --detach   (then: mission follow ID)",
                "",
                "Exit status: 0 completed, 1 failed or refused, 2 cancelled, 3 the stream was lost."},
        subcommands = {MissionSubcommands.Status.class, MissionSubcommands.ListMissions.class,
                MissionSubcommands.Follow.class, MissionSubcommands.Control.Pause.class,
                MissionSubcommands.Control.Resume.class, MissionSubcommands.Control.Cancel.class})
final class MissionCommand implements Callable<Integer> {

    static final Set<String> CHECKPOINT_TYPES =
            Set.of("budget", "plan_approval", "step_review", "critical_decision", "external_action", "final_review");

    @Parameters(arity = "0..*", paramLabel = "GOAL", description = "what the mission must achieve (10-5,000 characters)")
    @Nullable List<String> words;
    @Option(names = "--agent", paramLabel = "SLUG", description = "the expert who runs the mission: slug or id")
    @Nullable String agent;
    @Option(names = "--max-steps", paramLabel = "N", description = "most steps the plan may have (1-50, default 10)")
    @Nullable Integer maxSteps;
    @Option(names = "--budget", paramLabel = "USD", description = "spending limit in US dollars (default 5.00)")
    @Nullable BigDecimal budget;
    @Option(names = "--no-checkpoints", description = "ask no questions (FF_HITL_STRICT still asks before critical actions)")
    boolean noCheckpoints;
    @Option(names = "--checkpoint-types", split = ",", paramLabel = "TYPE",
            description = "only these checkpoints: budget, plan_approval, step_review, critical_decision, "
                    + "external_action, final_review (comma-separated; default all)")
    @Nullable List<String> checkpointTypes;
    @Option(names = "--context", paramLabel = "KEY=VALUE", description = "context for the mission (repeatable)")
    @Nullable Map<String, String> context;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to save the report (default mission-<id>.md)")
    @Nullable Path output;
    @Option(names = "--detach", description = "print the mission id and return; the mission runs on the server")
    boolean detach;
    @Option(names = {"-y", "--yes"}, description = "approve every checkpoint without asking")
    boolean yes;
    @Option(names = "--in-process", description = "run the service in this process even when a server is running")
    boolean inProcess;
    @Option(names = {"-v", "--verbose"}, description = "also show reasoning, progress messages and tool results")
    boolean verbose;
    @Mixin ServerOptions server = new ServerOptions();

    @Override
    public Integer call() throws IOException, InterruptedException {
        Map<String, Object> body = body();
        if (!inProcess) {
            MissionClient client = new MissionClient(server.base(), server.bearer());
            try {
                return run(client, body);
            } catch (ConnectException e) {
                if (server.explicitUrl() || detach) {
                    throw new IllegalStateException("no server answers at " + server.base()
                            + (detach ? " (--detach needs a running server: start one with ./ask-expert)" : ""));
                }
                System.err.println("No server at " + server.base() + "; running the mission in-process "
                        + "(the service takes about 10 s to start)...");
            }
        }
        try (ConfigurableApplicationContext context = SpringLauncher.startServingQuietly()) {
            URI base = URI.create("http://127.0.0.1:" + SpringLauncher.localPort(context));
            MissionClient client = new MissionClient(base, server.bearer());
            MissionSubcommands.awaitHealthy(client);
            try {
                return run(client, body);
            } catch (MissionFollower.NoDecision e) {
                // The mission is stored and waits; it runs again when a server does.
                throw new IllegalStateException(e.getMessage() + " once a server runs (./ask-expert)");
            }
        }
    }

    private int run(MissionClient client, Map<String, Object> body) throws IOException, InterruptedException {
        JsonNode created = client.create(body);
        String id = created.path("mission_id").asString();
        if (detach) {
            client.start(id);
            System.out.println(id);
            return 0;
        }
        System.out.println("Mission " + id + " created for " + created.path("agent").path("name").asString(agent)
                + "; following it (Ctrl+C stops following, not the mission).");
        return follow(client, id, output, yes, verbose, System.out);
    }

    /** Follows a mission to its end and saves its report; the exit status says how it ended. */
    static int follow(MissionClient client, String id, @Nullable Path output, boolean yes, boolean verbose, PrintStream out)
            throws IOException, InterruptedException {
        MissionPrinter printer = new MissionPrinter(out, verbose);
        CheckpointPrompt prompt = new CheckpointPrompt(
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out, yes, System.console() == null);
        MissionFollower follower = new MissionFollower(client, printer, prompt);
        AnswerPrinter.Ending ending = follower.follow(id);
        if (ending == AnswerPrinter.Ending.DONE) {
            Path target = output != null ? output : Path.of("mission-" + id + ".md");
            Optional<Path> saved = follower.saveReport(id, target);
            out.println(saved.map(p -> "Report saved to " + p).orElse("The mission produced no report."));
        }
        return ending.exitCode;
    }

    /** The create body of api.md §6.1, checked here so a typo fails at once rather than after the service starts. */
    Map<String, Object> body() {
        String goal = words == null ? "" : String.join(" ", words).strip();
        if (goal.isEmpty()) {
            throw new IllegalArgumentException("give the mission's goal, in quotes: ask-expert mission \"...\" --agent SLUG"
                    + " (ask-expert mission --help)");
        }
        if (goal.length() < 10 || goal.length() > 5000) {
            throw new IllegalArgumentException("the goal must be 10 to 5,000 characters (got " + goal.length() + ")");
        }
        if (agent == null || agent.isBlank()) {
            throw new IllegalArgumentException("--agent SLUG is required: the expert who runs the mission"
                    + " (ask-expert agents list shows them)");
        }
        Map<String, Object> options = new LinkedHashMap<>();
        if (maxSteps != null) {
            if (maxSteps < 1 || maxSteps > 50) {
                throw new IllegalArgumentException("--max-steps must be 1 to 50 (got " + maxSteps + ")");
            }
            options.put("max_steps", maxSteps);
        }
        if (budget != null) {
            if (budget.signum() <= 0) {
                throw new IllegalArgumentException("--budget must be more than 0 US dollars (got " + budget.toPlainString() + ")");
            }
            options.put("budget_limit_usd", budget);
        }
        options.put("require_checkpoints", !noCheckpoints);
        if (checkpointTypes != null && !checkpointTypes.isEmpty()) {
            if (noCheckpoints) {
                throw new IllegalArgumentException("--checkpoint-types and --no-checkpoints contradict each other");
            }
            List<String> types = checkpointTypes.stream().map(t -> t.strip().toLowerCase(Locale.ROOT).replace('-', '_')).toList();
            for (String t : types) {
                if (!CHECKPOINT_TYPES.contains(t)) {
                    throw new IllegalArgumentException("unknown checkpoint type '" + t + "': use "
                            + String.join(", ", CHECKPOINT_TYPES.stream().sorted().toList()));
                }
            }
            options.put("checkpoint_types", types);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("goal", goal);
        request.put("agent_id", agent.strip());
        request.put("options", options);
        if (context != null && !context.isEmpty()) {
            request.put("context", context);
        }
        return request;
    }
}
