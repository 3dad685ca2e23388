package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.RawExchange;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestService;
import io.askexpert.testsupport.TestTokens;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 17, item 4: a catalogue of 300 experts with their system prompts (over 1 MB of JSON, as a
 * real organisation's 319 experts are) imported over HTTP in one request is routable when the
 * import answers: the very next mode 2 selection, with no waiting, routes to experts that exist
 * only in that import, the first, middle and last of the batch alike. Above the import's limit the
 * answer is a 413 envelope, never a 500. Real PostgreSQL, the starter catalogue loaded beside it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CatalogueImportRoutingIT {

    static final TestPostgres DB = TestPostgres.create();
    static final String AGENTS = "/api/v1/expert/agents";
    static final String SELECT = "/api/v1/expert/mode2/fusion/select";
    static final String TENANT = "import-co";
    static final int EXPERTS = 300;
    @TempDir static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, dataDir);
        registry.add("ask-expert.rate-limits.enabled", () -> "false");
    }

    @AfterAll
    static void dropDatabase() {
        DB.close();
    }

    /** Experts whose subject no other expert (generated or starter) shares, and a question only each answers. */
    record Probe(int index, String slug, String name, String specialty, List<String> capabilities, String question) {
    }

    static final List<Probe> PROBES = List.of(
            new Probe(0, "cryogenic-shipping-lead", "Cryogenic Shipping Lead",
                    "liquid nitrogen dry shippers for cell therapy apheresis material",
                    List.of("dry_shipper_qualification", "liquid_nitrogen_logistics"),
                    "Who qualifies the liquid nitrogen dry shippers for our apheresis material?"),
            new Probe(EXPERTS / 2, "apiary-residue-analyst", "Apiary Residue Analyst",
                    "beehive pesticide residues in honey and beeswax exports",
                    List.of("honey_residue_testing", "beeswax_contaminant_screening"),
                    "Which pesticide residues must we test in honey before exporting it?"),
            new Probe(EXPERTS - 1, "hyperbaric-chamber-engineer", "Hyperbaric Chamber Engineer",
                    "hyperbaric oxygen chamber pressure vessel certification",
                    List.of("pressure_vessel_certification", "hyperbaric_oxygen_safety"),
                    "Who certifies our hyperbaric oxygen chamber as a pressure vessel?"));

    static final List<String> DEPARTMENTS = List.of("clinical operations", "regulatory affairs", "quality assurance",
            "pharmacovigilance", "medical affairs", "biostatistics", "manufacturing", "supply chain",
            "health economics", "medical writing");
    static final List<String> TOPICS = List.of("site monitoring", "protocol deviations", "CAPA management",
            "batch record review", "signal detection", "periodic safety reports", "label negotiations",
            "scientific advice", "statistical analysis plans", "sample size", "cleaning validation",
            "temperature excursions", "budget impact models", "clinical study reports", "investigator brochures",
            "audit readiness", "vendor qualification", "data integrity", "risk management plans",
            "advisory boards");

    @LocalServerPort int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    /** A catalogue shaped like a real one: snake_case capabilities, long roles, ~3.5 KB system prompts. */
    static List<Map<String, Object>> catalogue() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < EXPERTS; i++) {
            String department = DEPARTMENTS.get(i % DEPARTMENTS.size());
            String first = TOPICS.get(i % TOPICS.size());
            String second = TOPICS.get((i * 7 + 3) % TOPICS.size());
            records.add(agent("gen-" + i, "Specialist " + i + " in " + department, first + " and " + second,
                    List.of(first.replace(' ', '_'), second.replace(' ', '_')), department, i));
        }
        for (Probe p : PROBES) {
            records.set(p.index(), agent(p.slug(), p.name(), p.specialty(), p.capabilities(), "operations", p.index()));
        }
        return records;
    }

    static Map<String, Object> agent(String slug, String name, String specialty, List<String> capabilities,
                                     String department, int i) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("slug", slug);
        a.put("name", name);
        a.put("level", 3);
        a.put("specialty", specialty);
        a.put("description", "The " + department + " department's specialist for " + specialty
                + ". Works with the other departments on every question of " + specialty + ".");
        a.put("domains", List.of(department));
        a.put("capabilities", capabilities);
        StringBuilder prompt = new StringBuilder("You are " + name + ", " + specialty + ". ");
        while (prompt.length() < 3_500) {
            prompt.append("Answer as the ").append(department).append(" specialist number ").append(i)
                    .append(" would: cite the procedure, state the owner, and say what evidence is kept. ");
        }
        a.put("system_prompt", prompt.toString());
        return a;
    }

    HttpResponse<String> post(String path, String body, boolean admin) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofMinutes(10)).header("Content-Type", "application/json")
                .header("Authorization", TestTokens.bearer(TestTokens.SECRET, TENANT, "admin-1", admin))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void three_hundred_experts_over_one_megabyte_are_routed_to_as_soon_as_the_import_answers() throws Exception {
        String body = json.writeValueAsString(catalogue());
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).as("over the general 1 MiB limit")
                .isGreaterThan(1_048_576).isLessThan((int) BodySizeLimit.IMPORT_LIMIT);

        long started = System.nanoTime();
        HttpResponse<String> imported = post(AGENTS, body, true);
        long importMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        System.out.printf("CatalogueImportRoutingIT: %d experts, %,d bytes imported and routable in %d ms%n",
                EXPERTS, body.length(), importMillis);

        // No sleep, no retry: the first selection after the answer already sees the whole batch.
        for (Probe p : PROBES) {
            HttpResponse<String> selected = post(SELECT, json.writeValueAsString(Map.of("query", p.question())), false);
            assertThat(selected.statusCode()).as(selected.body()).isEqualTo(200);
            JsonNode result = json.readTree(selected.body());
            assertThat(result.path("fallback").asBoolean()).as(p.question()).isFalse();
            assertThat(result.path("selected_experts").get(0).path("slug").asString()).as(p.question())
                    .isEqualTo(p.slug());
        }
    }

    /**
     * {@code ask-expert agents import} (the jar, as an operator runs it) shows a bar for the writes
     * and one for embedding the new profiles, and says routable only after both finished.
     */
    @Test
    void the_cli_import_shows_the_writes_and_the_embedding_before_it_says_routable() throws Exception {
        Path file = dataDir.resolve("catalogue-cli.json");
        List<Map<String, Object>> records = catalogue();
        records.replaceAll(r -> {
            Map<String, Object> copy = new LinkedHashMap<>(r);
            copy.put("description", "Terminal import. " + r.get("description"));
            return copy;
        });
        java.nio.file.Files.writeString(file, json.writeValueAsString(records));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-jar", Path.of("target", "ask-expert.jar").toAbsolutePath().toString(),
                "agents", "import", file.toString(), "--tenant", "cli-co");
        Path out = dataDir.resolve("cli-import.out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("JAVA_HOME"));
        builder.environment().putAll(Map.of("HOME", dataDir.toString(), "ASK_EXPERT_DATA_DIR",
                dataDir.resolve("cli").toString(), "DATABASE_URL", DB.jdbcUrl(), "LANGFUSE_ENABLED", "false"));
        long started = System.nanoTime();
        Process process = builder.start();
        boolean ended = process.waitFor(10, java.util.concurrent.TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String printed = java.nio.file.Files.readString(out);
        assertThat(ended).as(printed).isTrue();
        System.out.printf("CatalogueImportRoutingIT: agents import of %d experts took %d ms (JVM start included)%n",
                EXPERTS, Duration.ofNanos(System.nanoTime() - started).toMillis());
        assertThat(process.exitValue()).as(printed).isZero();
        assertThat(printed).contains("written  [" + "#".repeat(30) + "] " + EXPERTS + "/" + EXPERTS)
                .containsPattern("embedded \\[#{30}] (\\d+)/\\1 ")
                .contains(EXPERTS + " created, 0 updated, 0 unchanged, 0 rejected");
        assertThat(printed.indexOf("embedded [")).isLessThan(printed.indexOf("routable"));
        assertThat(printed).doesNotContain("Exception");
    }

    @Test
    void an_import_over_its_limit_is_refused_with_413_whether_its_length_is_declared_or_not() throws Exception {
        Map<String, Object> huge = agent("too-big", "Too Big", "an oversized profile", List.of("x"), "none", 0);
        huge.put("system_prompt", "y".repeat((int) BodySizeLimit.IMPORT_LIMIT));
        byte[] body = json.writeValueAsBytes(List.of(huge));
        String bearer = TestTokens.bearer(TestTokens.SECRET, TENANT, "admin-1", true);

        RawExchange declared = RawExchange.send(port, new RawExchange.Request("POST",
                AGENTS.getBytes(StandardCharsets.US_ASCII), List.of(new String[] {"Content-Type", "application/json"},
                new String[] {"Authorization", bearer}), body), 60_000);
        assertThat(declared.status()).as(declared.text()).isEqualTo(413);
        assertThat(json.readTree(declared.text()).path("error").path("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");

        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + AGENTS))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json").header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(json.readTree(chunked.body()).path("error").path("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
    }
}
