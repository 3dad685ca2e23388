package io.askexpert.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.deploy.PrometheusText;
import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestRedis;
import io.askexpert.testsupport.TestService;
import io.askexpert.testsupport.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every series and label an alert rule or a dashboard panel reads is exported by a live service:
 * the test answers questions in modes 1 and 2 (one of them through a retry and the fallback
 * model), is refused once, then scrapes {@code /metrics} and checks each selector, each
 * equality-matched label value and each grouping label against the scrape.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Closed after the class: a cached context would keep its database connections for the whole suite.
@org.springframework.test.annotation.DirtiesContext
class MetricNamesIT {

    /**
     * The mission engine's series ({@code io.askexpert.missions}), with their labels, as agreed
     * before it lands. Until {@link #MISSION_SERVICE} is on the classpath an alert or panel may
     * read them unexported, but only with exactly these names and labels; from then on they are
     * checked against the scrape like everything else.
     */
    static final Map<String, Set<String>> MISSION_METRICS = Map.of(
            "ask_expert_queue_depth", Set.of(),
            "ask_expert_missions", Set.of("state"),
            "ask_expert_mission_step_duration_seconds", Set.of("mode", "outcome"),
            "ask_expert_tool_duration_seconds", Set.of("tool", "outcome"),
            "ask_expert_delegation_duration_seconds", Set.of("outcome"),
            "ask_expert_checkpoint_wait_seconds", Set.of("type", "outcome"),
            "ask_expert_mission_cost_usd_total", Set.of("mode"),
            "ask_expert_active_missions", Set.of());
    static final String MISSION_SERVICE = "io.askexpert.missions.MissionService";

    /** Added by Prometheus when it scrapes, never exported: the target labels and {@code up}. */
    static final Set<String> TARGET_LABELS = Set.of("instance", "job");
    static final Set<String> SYNTHETIC = Set.of("up");
    static final Pattern HISTOGRAM_SERIES = Pattern.compile("(.+_seconds)_(bucket|count|sum)");
    static final Path ROOT = Path.of(System.getProperty("user.dir"));

    static final TestPostgres DB = TestPostgres.create();
    static final TestRedis REDIS = TestRedis.create();
    static final MockLlmServer MOCK = startMock();
    static final Path DATA_DIR = tempDir();
    static final JsonMapper JSON = JsonMapper.builder().build();

    static MockLlmServer startMock() {
        try {
            return MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(20), 500, 20));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("ask-expert-metric-names-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, DATA_DIR);
        registry.add("ask-expert.database.pool-size", () -> "4");
        registry.add("ask-expert.redis.url", REDIS::url);
        registry.add("ask-expert.rate-limits.enabled", () -> "false");
        registry.add("ask-expert.llm.anthropic-api-key", () -> "test-key");
        registry.add("ask-expert.llm.anthropic-base-url", () -> MOCK.baseUri().toString());
        registry.add("ask-expert.llm.openai-api-key", () -> "test-key");
        registry.add("ask-expert.llm.openai-base-url", () -> MOCK.openAiBaseUri().toString());
        registry.add("ask-expert.llm.fallback-model", () -> "gpt-4o-mini");
        registry.add("ask-expert.llm.max-retries", () -> "1");
        registry.add("ask-expert.llm.retry-backoff", () -> "20");
    }

    static {
        // Not @AfterAll: the Spring context outlives the class and still holds connections.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            MOCK.close();
            REDIS.close();
            DB.close();
            org.springframework.util.FileSystemUtils.deleteRecursively(DATA_DIR.toFile());
        }));
    }

    @LocalServerPort int port;
    final HttpClient http = HttpClient.newHttpClient();

    /** One expression and where it came from, for messages. */
    record Use(String where, String expr) {
    }

    static List<Use> uses() throws IOException {
        List<Use> uses = new ArrayList<>();
        Map<String, Object> rules;
        try (InputStream in = Files.newInputStream(ROOT.resolve("alerts/ask-expert-alerts.yml"))) {
            rules = new Yaml().load(in);
        }
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> r = (Map<?, ?>) rule;
                uses.add(new Use("alert " + r.get("alert") + " (" + ((Map<?, ?>) r.get("labels")).get("severity") + ")",
                        String.valueOf(r.get("expr"))));
            }
        }
        try (Stream<Path> files = Files.list(ROOT.resolve("dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = JSON.readTree(file.toFile());
                for (JsonNode panel : dashboard.get("panels")) {
                    for (JsonNode target : panel.get("targets")) {
                        uses.add(new Use("dashboard " + file.getFileName() + " panel '" + panel.get("title").asString()
                                + "'", target.get("expr").asString()));
                    }
                }
            }
        }
        return uses;
    }

    @Test
    void every_series_and_label_used_by_an_alert_or_a_dashboard_is_exported() throws Exception {
        produceTraffic();
        boolean missions = missionEngineExists();
        if (missions) {
            produceMission();
        }
        Map<String, Map<String, Set<String>>> exported = labelsByMetric(scrape());
        List<String> problems = new ArrayList<>();
        List<Use> uses = uses();
        assertThat(uses).hasSizeGreaterThan(40);
        for (Use use : uses) {
            PromQl q = PromQl.parse(use.expr());
            assertThat(q.selectors()).as("%s reads no series: %s", use.where(), use.expr()).isNotEmpty();
            Set<String> available = new HashSet<>(TARGET_LABELS);
            for (PromQl.Selector s : q.selectors()) {
                String metric = s.metric();
                if (SYNTHETIC.contains(metric)) {
                    s.matchers().stream().filter(m -> !TARGET_LABELS.contains(m.label()))
                            .forEach(m -> problems.add(use.where() + ": " + metric + " has no label " + m.label()));
                    continue;
                }
                Map<String, Set<String>> labels = exported.get(metric);
                if (labels == null && !missions && pending(metric) != null) {
                    Set<String> allowed = new HashSet<>(pending(metric));
                    allowed.addAll(Set.of("service", "instance", "job"));
                    if (metric.endsWith("_bucket")) {
                        allowed.add("le");
                    }
                    available.addAll(allowed);
                    s.matchers().stream().filter(m -> !allowed.contains(m.label())).forEach(m -> problems.add(
                            use.where() + ": mission series " + metric + " is agreed without label " + m.label()));
                    continue;
                }
                if (labels == null) {
                    problems.add(use.where() + ": " + metric + " is not exported");
                    continue;
                }
                available.addAll(labels.keySet());
                for (PromQl.Matcher3 m : s.matchers()) {
                    if (TARGET_LABELS.contains(m.label())) {
                        continue;
                    }
                    if (!labels.containsKey(m.label())) {
                        problems.add(use.where() + ": " + metric + " has no label " + m.label() + " (it has "
                                + labels.keySet() + ")");
                    } else if (m.op().equals("=") && !labels.get(m.label()).contains(m.value())) {
                        problems.add(use.where() + ": " + metric + "{" + m.label() + "=\"" + m.value()
                                + "\"} is never exported (values seen: " + labels.get(m.label()) + ")");
                    }
                }
            }
            q.groupingLabels().stream().filter(l -> !available.contains(l)).forEach(l -> problems.add(
                    use.where() + ": groups by " + l + ", which none of its series has"));
        }
        assertThat(problems).as("alerts and dashboards against a live /metrics").isEmpty();
    }

    @Test
    void the_agreed_mission_series_follow_the_naming_scheme() {
        MISSION_METRICS.forEach((name, labels) -> {
            assertThat(name).matches("ask_expert_[a-z]+(_[a-z]+)*");
            assertThat(name).as("unit or counter suffix").doesNotEndWith("_bucket").doesNotEndWith("_count");
            labels.forEach(l -> assertThat(l).matches("[a-z]+(_[a-z]+)*").isNotIn("le", "service", "instance", "job"));
        });
        assertThat(MISSION_METRICS.keySet().stream().filter(n -> n.endsWith("_seconds")))
                .as("the four mission histograms").hasSize(4);
    }

    /** The agreed labels of a mission series (histogram series by their base name); null if not one. */
    static Set<String> pending(String series) {
        var m = HISTOGRAM_SERIES.matcher(series);
        String base = m.matches() ? m.group(1) : series;
        return MISSION_METRICS.get(base);
    }

    static boolean missionEngineExists() {
        try {
            Class.forName(MISSION_SERVICE);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static Map<String, Map<String, Set<String>>> labelsByMetric(List<PrometheusText.Sample> samples) {
        Map<String, Map<String, Set<String>>> out = new HashMap<>();
        for (PrometheusText.Sample s : samples) {
            Map<String, Set<String>> labels = out.computeIfAbsent(s.name(), n -> new HashMap<>());
            s.labels().forEach((k, v) -> labels.computeIfAbsent(k, x -> new HashSet<>()).add(v));
        }
        return out;
    }

    List<PrometheusText.Sample> scrape() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }

    void produceTraffic() throws Exception {
        MOCK.script("claude-sonnet-4-20250514", "500", "500");
        stream("/api/v1/expert/mode1/stream", "{\"agent_id\":\"fda-regulatory-expert\",\"query\":\"What must an IND contain?\"}");
        stream("/api/v1/expert/mode1/stream", "{\"agent_id\":\"fda-regulatory-expert\",\"query\":\"When is an IND safety report due?\"}");
        awaitFusionCatalogue();
        stream("/api/v1/expert/mode2/stream", "{\"query\":\"How fast must a fatal SUSAR be reported in the EU?\"}");
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri("/api/v1/expert/agents")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
    }

    /** api.md §6.1: a small mode 3 mission, followed to its end or its first checkpoint. */
    void produceMission() throws Exception {
        HttpResponse<String> created = post("/api/v1/expert/mode3/mission/create",
                "{\"goal\":\"List the sections an IND must contain, briefly.\",\"agent_id\":\"fda-regulatory-expert\","
                        + "\"options\":{\"max_steps\":2,\"budget_limit_usd\":0.5}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String missionId = JSON.readTree(created.body()).get("mission_id").asString();
        HttpResponse<InputStream> r = http.send(request("/api/v1/expert/mode3/stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mission_id\":\"" + missionId + "\"}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            StrictSse sse = StrictSse.reader(body);
            StrictSse.Event e;
            do {
                e = sse.next();
            } while (!e.terminal() && !e.name().equals("checkpoint"));
        }
    }

    /** Fusion loads the catalogue after the service answers; mode 2 selects no one until then. */
    void awaitFusionCatalogue() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> post(
                "/api/v1/expert/mode2/fusion/select", "{\"query\":\"Which expert reviews IND safety reports? "
                        + System.nanoTime() + "\"}").body().contains("\"selected_experts\":[{"));
    }

    void stream(String path, String body) throws Exception {
        HttpResponse<String> r = post(path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(StrictSse.parse(r.body()).getLast().name()).as(r.body()).isEqualTo("done");
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("Authorization", TestTokens.bearer("t-metrics", "u-metrics"));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
