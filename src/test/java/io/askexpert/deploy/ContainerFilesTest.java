package io.askexpert.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked of the Dockerfile, compose.yaml and the Kubernetes manifests without a
 * container engine: they parse, every variable they give the service is one it reads (README's
 * configuration table or application.properties), and ports and probes meet the service's
 * {@code PORT} and {@code /health}.
 */
class ContainerFilesTest {

    static final Path ROOT = Path.of(System.getProperty("user.dir"));
    static final int PORT = 8000;

    /** README's configuration table and every {@code ${NAME:…}} placeholder the service binds. */
    static Set<String> knownVariables() throws IOException {
        Set<String> known = new HashSet<>();
        String readme = Files.readString(ROOT.resolve("README.md"));
        String table = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("## Documentation"));
        Matcher cell = Pattern.compile("(?m)^\\| (.+?) \\|").matcher(table);
        while (cell.find()) {
            Matcher name = Pattern.compile("`([A-Z][A-Z0-9_]+)`").matcher(cell.group(1));
            while (name.find()) {
                known.add(name.group(1));
            }
        }
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]+):")
                .matcher(Files.readString(ROOT.resolve("src/main/resources/application.properties")));
        while (placeholder.find()) {
            known.add(placeholder.group(1));
        }
        return known;
    }

    @Test
    void the_service_port_default_is_the_one_the_files_use() throws IOException {
        assertThat(Files.readString(ROOT.resolve("src/main/resources/application.properties")))
                .contains("server.port=${PORT:" + PORT + "}");
    }

    @Test
    void dockerfile_is_layered_aot_cached_non_root_and_health_checked() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
        List<String> instructions = joinContinuations(lines);
        assertThat(instructions).filteredOn(i -> i.startsWith("FROM ")).hasSize(2)
                .allSatisfy(f -> assertThat(f).contains("eclipse-temurin:25"));
        assertThat(instructions).anySatisfy(i -> assertThat(i).contains("-Djarmode=tools").contains("extract --layers"));
        assertThat(instructions).filteredOn(i -> i.startsWith("COPY --from=build /extracted/")).hasSize(4);
        assertThat(instructions).anySatisfy(i -> assertThat(i).startsWith("RUN ").contains("-XX:AOTCacheOutput=app.aot")
                .contains("-Dspring.context.exit=onRefresh"));
        assertThat(instructions).anySatisfy(i -> assertThat(i).startsWith("ENTRYPOINT ").contains("-XX:AOTCache=app.aot")
                .contains("--add-modules jdk.incubator.vector"));
        String user = instructions.stream().filter(i -> i.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        assertThat(user.substring(5).strip()).isNotIn("root", "0");
        assertThat(instructions).anySatisfy(i -> assertThat(i).startsWith("HEALTHCHECK ")
                .contains("http://127.0.0.1:${PORT}/health"));
        assertThat(instructions).contains("EXPOSE " + PORT);
        Set<String> known = knownVariables();
        for (String env : instructions.stream().filter(i -> i.startsWith("ENV ")).toList()) {
            Matcher kv = Pattern.compile("([A-Z][A-Z0-9_]*)=(\\S+)").matcher(env);
            while (kv.find()) {
                assertThat(kv.group(1)).as("Dockerfile ENV").isIn(known);
                if (kv.group(1).equals("PORT")) {
                    assertThat(kv.group(2)).isEqualTo(String.valueOf(PORT));
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void compose_has_the_runbook_topology_and_only_known_variables() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("compose.yaml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).containsKeys("proxy", "api", "worker", "postgres", "redis");
        assertThat((Map<String, Object>) services.get("api").get("deploy")).containsEntry("replicas", 3);
        assertThat(services.get("api").get("command")).isEqualTo(List.of("api"));
        assertThat(services.get("worker").get("command")).isEqualTo(List.of("worker"));
        assertThat(services.get("api").get("image")).isEqualTo(services.get("worker").get("image"))
                .asString().contains("${IMAGE_TAG");
        assertThat((String) services.get("postgres").get("image")).contains("pgvector");
        assertThat((String) services.get("redis").get("image")).startsWith("redis:7");
        Set<String> known = knownVariables();
        for (String role : List.of("api", "worker")) {
            Map<String, Object> env = (Map<String, Object>) services.get(role).get("environment");
            assertThat(env.keySet()).as(role + " environment").isSubsetOf(known);
            assertThat(env).containsEntry("PORT", String.valueOf(PORT)).containsKeys("DATABASE_URL", "REDIS_URL", "JWT_SECRET");
        }
        assertThat((List<String>) services.get("proxy").get("ports")).containsExactly(PORT + ":" + PORT);
        String nginx = Files.readString(ROOT.resolve("deploy/compose/nginx.conf"));
        assertThat(nginx).contains("http://api:" + PORT).contains("listen " + PORT).contains("proxy_buffering off");
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetes_manifests_probe_health_on_the_service_port_and_read_config_from_a_secret() throws IOException {
        Path dir = ROOT.resolve("deploy/kubernetes");
        Map<String, Object> kustomization = new Yaml().load(Files.readString(dir.resolve("kustomization.yaml")));
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object resource : (List<Object>) kustomization.get("resources")) {
            assertThat(dir.resolve((String) resource)).exists();
            new Yaml().loadAll(Files.readString(dir.resolve((String) resource))).forEach(d -> docs.add((Map<String, Object>) d));
        }
        Map<String, Object> secret = new Yaml().load(Files.readString(dir.resolve("secret.example.yaml")));
        docs.add(secret);
        Set<String> known = knownVariables();
        Map<String, Map<String, Object>> byName = new java.util.HashMap<>();
        docs.forEach(d -> byName.put(d.get("kind") + "/" + ((Map<String, Object>) d.get("metadata")).get("name"), d));

        Map<String, Object> config = byName.get("ConfigMap/ask-expert-config");
        assertThat(((Map<String, Object>) config.get("data")).keySet()).isSubsetOf(known);
        assertThat((Map<String, Object>) config.get("data")).containsEntry("PORT", String.valueOf(PORT));
        assertThat(((Map<String, Object>) byName.get("Secret/ask-expert-secrets").get("stringData")).keySet())
                .isSubsetOf(known).contains("DATABASE_URL", "REDIS_URL", "JWT_SECRET");

        for (String role : List.of("api", "worker")) {
            Map<String, Object> deployment = byName.get("Deployment/ask-expert-" + role);
            assertThat(deployment).as(role).isNotNull();
            Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
            Map<String, Object> podLabels = (Map<String, Object>) ((Map<String, Object>)
                    ((Map<String, Object>) spec.get("template")).get("metadata")).get("labels");
            assertThat(podLabels).containsAllEntriesOf((Map<String, Object>)
                    ((Map<String, Object>) spec.get("selector")).get("matchLabels"));
            Map<String, Object> pdbSelector = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                    byName.get("PodDisruptionBudget/ask-expert-" + role).get("spec")).get("selector")).get("matchLabels");
            assertThat(podLabels).as("the PodDisruptionBudget selects the " + role + " pods")
                    .containsAllEntriesOf(pdbSelector);
            Map<String, Object> podSpec = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
            assertThat((Map<String, Object>) podSpec.get("securityContext")).containsEntry("runAsNonRoot", true);
            Map<String, Object> container = ((List<Map<String, Object>>) podSpec.get("containers")).getFirst();
            assertThat(container.get("args")).isEqualTo(List.of(role));
            List<Map<String, Object>> ports = (List<Map<String, Object>>) container.get("ports");
            assertThat(ports).singleElement().satisfies(p -> assertThat(p).containsEntry("containerPort", PORT)
                    .containsEntry("name", "http"));
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                Map<String, Object> get = (Map<String, Object>) ((Map<String, Object>) container.get(probe)).get("httpGet");
                assertThat(get).as(role + " " + probe).containsEntry("path", "/health").containsEntry("port", "http");
            }
            assertThat((List<Map<String, Object>>) container.get("envFrom")).extracting(e -> e.keySet().iterator().next())
                    .containsExactlyInAnyOrder("configMapRef", "secretRef");
            assertThat(container.get("env")).as("configuration comes from the ConfigMap and the Secret").isNull();
        }
        Map<String, Object> api = (Map<String, Object>) byName.get("Deployment/ask-expert-api").get("spec");
        assertThat(api).containsEntry("replicas", 3);
        long grace = ((Number) ((Map<String, Object>) ((Map<String, Object>) api.get("template")).get("spec"))
                .get("terminationGracePeriodSeconds")).longValue();
        assertThat(grace).as("streams of the longest mode finish before a pod is killed").isGreaterThan(600);
        Map<String, Object> service = (Map<String, Object>) byName.get("Service/ask-expert-api").get("spec");
        assertThat(((List<Map<String, Object>>) service.get("ports")).getFirst()).containsEntry("targetPort", "http");
    }

    /** Dockerfile instructions with their backslash continuations joined, comments dropped. */
    static List<String> joinContinuations(List<String> lines) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String l = line.strip();
            if (l.startsWith("#") || (l.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (l.endsWith("\\")) {
                current.append(l, 0, l.length() - 1).append(' ');
            } else {
                current.append(l);
                out.add(current.toString().replaceAll("\\s+", " ").strip());
                current.setLength(0);
            }
        }
        return out;
    }
}
