package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.RawHttp;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.KeylessDefault;
import io.askexpert.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Mode 1 on the zero-configuration default: no {@code DATABASE_URL} (the embedded PostgreSQL in
 * the data directory), no Redis, no LLM key, the JWT secret the service generated itself, the
 * starter catalogue and its primers. A question to a starter expert gets an extractive answer,
 * labelled offline, whose sentences cite the primers they come from.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // stops the embedded PostgreSQL before its data directory is deleted
class Mode1OfflineIT {

    static final String EXPERT = "fda-ind-specialist";
    static final String QUESTION = "When does an IND go into effect after FDA receives it?";
    static final String IND_PRIMER = "Investigational New Drug applications (21 CFR Part 312)";
    @TempDir static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        KeylessDefault.register(registry, dataDir);
    }

    @LocalServerPort int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    String bearer() {
        return TestTokens.fromDataDir(dataDir, "t-offline", "u1", false);
    }

    HttpResponse<String> post(String path, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", bearer()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @BeforeEach
    void starterPrimersLoaded() throws Exception {
        // No waiting: the primers are loaded before the service reports itself ready, so the
        // first question asked after the start-up banner already finds them.
        HttpResponse<String> r = post("/api/v1/expert/knowledge/search",
                Map.of("query", "IND 30 days clinical hold", "namespaces", List.of("regulatory-fda")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains(IND_PRIMER);
    }

    @Test
    void a_starter_expert_answers_offline_from_the_starter_primers_with_citations() throws Exception {
        List<StrictSse.Event> events;
        try (RawHttp response = RawHttp.send(port, "POST", "/api/v1/expert/mode1/stream",
                json.writeValueAsString(Map.of("query", QUESTION, "agent_id", EXPERT)), "Authorization", bearer())) {
            assertThat(response.status()).isEqualTo(200);
            events = StrictSse.reader(response.body()).finish();
        }
        String names = events.stream().map(StrictSse.Event::name).collect(Collectors.joining(" "));
        assertThat(names).matches("run agent_selected( reasoning)+ sources( token)+( citation)+ cost done");

        JsonNode agent = single(events, "agent_selected").get("agent");
        assertThat(agent.get("name").asString()).isEqualTo("FDA IND Specialist");
        assertThat(events).filteredOn(e -> e.name().equals("reasoning"))
                .extracting(e -> e.json().get("content").asString())
                .anySatisfy(c -> assertThat(c).startsWith("Offline answer"));

        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.name().equals("token")).forEach(e -> text.append(e.json().get("content").asString()));
        assertThat(text.toString()).startsWith("Offline answer (no LLM provider configured)")
                .contains("30 days after FDA receives it").containsPattern("\\[\\d]");

        JsonNode sources = single(events, "sources").get("items");
        Set<String> sourceTitles = new java.util.HashSet<>();
        sources.forEach(s -> sourceTitles.add(s.get("title").asString()));
        assertThat(sourceTitles).contains(IND_PRIMER);
        List<JsonNode> citations = events.stream().filter(e -> e.name().equals("citation")).map(StrictSse.Event::json).toList();
        assertThat(citations).allSatisfy(c -> assertThat(sources).contains(c));
        assertThat(citations).extracting(c -> c.get("title").asString()).contains(IND_PRIMER);
        // Every [n] in the answer is a passage that was cited.
        assertThat(java.util.regex.Pattern.compile("\\[(\\d+)]").matcher(text).results()
                .map(m -> Integer.parseInt(m.group(1))).collect(Collectors.toSet()))
                .isEqualTo(citations.stream().map(c -> c.get("index").asInt()).collect(Collectors.toSet()));

        JsonNode cost = single(events, "cost");
        assertThat(cost.get("outputTokens").asLong()).isPositive();
        assertThat(cost.get("estimatedCost").decimalValue()).as("an offline answer is free").isZero();
        JsonNode done = events.getLast().json();
        assertThat(done.get("success").asBoolean()).isTrue();

        HttpResponse<String> session = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/expert/sessions/" + done.get("session_id").asString())).header("Authorization", bearer())
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode messages = json.readTree(session.body()).get("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(1).get("content").asString()).isEqualTo(text.toString());
        assertThat(messages.get(1).get("citations").size()).isEqualTo(citations.size());
    }

    @Test
    void query_says_the_answer_is_offline() throws Exception {
        HttpResponse<String> response = post("/api/v1/expert/mode1/query", Map.of("query", QUESTION, "agent_id", EXPERT));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("offline").asBoolean()).isTrue();
        assertThat(body.get("response").asString()).startsWith("Offline answer").contains("30 days after FDA receives it");
        assertThat(body.get("citations").size()).isPositive();
        assertThat(body.get("cost").get("estimatedCost").decimalValue()).isZero();
    }

    static JsonNode single(List<StrictSse.Event> events, String name) {
        List<StrictSse.Event> found = events.stream().filter(e -> e.name().equals(name)).toList();
        assertThat(found).as(name).hasSize(1);
        return found.getFirst().json();
    }
}
