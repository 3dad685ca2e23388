package io.askexpert.cli;

import io.askexpert.auth.JwtSecret;
import io.askexpert.auth.TenantContext;
import io.askexpert.auth.TokenMinter;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.Mode;
import io.askexpert.interactive.InteractiveRequest;
import io.askexpert.interactive.InteractiveRunner;
import io.askexpert.interactive.Question;
import io.askexpert.knowledge.StarterKnowledgeLoader;
import io.askexpert.runs.RunHandle;
import io.askexpert.runs.RunRegistry;
import io.askexpert.runs.Sequenced;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ask --agent SLUG "question"} (mode 1) or {@code ask --auto "question"} (mode 2): the
 * answer streamed to the terminal with its citations and cost. It talks to the server at
 * {@code --url}; with no {@code --url} and nothing listening on this machine's port it answers
 * in-process on the same configuration the server would use.
 */
@Command(name = "ask", description = "Ask an expert (mode 1) or let the fusion engine pick the panel (mode 2, --auto).")
final class AskCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "QUESTION", description = "the question (words are joined with spaces)")
    List<String> words;
    @Option(names = "--agent", paramLabel = "SLUG", description = "the expert to ask: slug or id (mode 1)")
    String agent;
    @Option(names = "--auto", description = "let the fusion engine choose the experts (mode 2)")
    boolean auto;
    @Option(names = "--session", paramLabel = "ID", description = "continue this session (its history is sent to the model)")
    String session;
    @Option(names = "--no-rag", negatable = true, defaultValue = "true", description = "answer without retrieving passages")
    boolean rag;
    @Option(names = "--max-tokens", paramLabel = "N", description = "longest answer in tokens (1–8192)")
    Integer maxTokens;
    @Option(names = "--url", paramLabel = "URL", description = "server to ask (default http://localhost:$PORT, else in-process)")
    URI url;
    @Option(names = "--in-process", description = "answer in this process even when a server is running")
    boolean inProcess;
    @Option(names = "--token", paramLabel = "JWT", defaultValue = "${env:ASK_EXPERT_TOKEN}",
            description = "bearer token (default $ASK_EXPERT_TOKEN, else minted from the configured secret)")
    String token;
    @Option(names = "--tenant", defaultValue = "default", description = "tenant (default: ${DEFAULT-VALUE})")
    String tenant;
    @Option(names = "--user", defaultValue = "cli", description = "user (default: ${DEFAULT-VALUE})")
    String user;
    @Option(names = {"-v", "--verbose"}, description = "show the reasoning steps as they happen")
    boolean verbose;

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (auto == (agent != null)) {
            throw new IllegalArgumentException("give either --agent SLUG (mode 1) or --auto (mode 2)");
        }
        Mode mode = auto ? Mode.MODE2 : Mode.MODE1;
        String body = body();
        AnswerPrinter printer = new AnswerPrinter(System.out, System.err, verbose);
        AskExpertSettings settings = TokenCommand.settings();
        if (!inProcess) {
            URI base = url != null ? url : URI.create("http://localhost:" + port());
            String bearer = token != null && !token.isBlank() ? token.strip()
                    : new TokenMinter(JwtSecret.resolve(settings), settings.auth().audience(), Clock.systemUTC())
                            .mint(tenant, user, false, Duration.ofMinutes(15));
            try {
                new RemoteAnswers(base, bearer).stream(mode, body, printer::accept);
                return printer.ending().exitCode;
            } catch (ConnectException e) {
                if (url != null) {
                    throw new IllegalStateException("no server answers at " + base + ": " + e.getMessage());
                }
                System.err.println("No server at " + base + "; answering in-process (about 10 s to start)...");
            } catch (RemoteAnswers.Refused e) {
                System.err.println("error: " + e.getMessage());
                return AnswerPrinter.Ending.ERROR.exitCode;
            }
        }
        return answerInProcess(mode, body, printer, settings);
    }

    private int answerInProcess(Mode mode, String body, AnswerPrinter printer, AskExpertSettings settings)
            throws InterruptedException {
        Question question = json.readValue(body, InteractiveRequest.class).validated(mode);
        try (ConfigurableApplicationContext context = SpringLauncher.startInProcess()) {
            if (settings.database().embedded() && settings.knowledge().loadStarter()) {
                context.getBean(StarterKnowledgeLoader.class).load();
            }
            RunRegistry runs = context.getBean(RunRegistry.class);
            RunHandle run = context.getBean(InteractiveRunner.class)
                    .start(new TenantContext(tenant, user, false), question, "req-" + UUID.randomUUID());
            long after = 0;
            while (true) {
                for (Sequenced event : runs.read(run.runId(), after, 256, Duration.ofSeconds(1))) {
                    after = event.id();
                    if (printer.accept(event)) {
                        return printer.ending().exitCode;
                    }
                }
            }
        }
    }

    private String body() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("enable_rag", rag);
        if (maxTokens != null) {
            options.put("max_tokens", maxTokens);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("query", String.join(" ", words).strip());
        if (agent != null) {
            request.put("agent_id", agent);
        }
        if (session != null) {
            request.put("session_id", session);
        }
        request.put("options", options);
        return json.writeValueAsString(request);
    }

    private static String port() {
        String port = System.getenv("PORT");
        return port == null || port.isBlank() ? "8000" : port.strip();
    }
}
