package io.askexpert.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.testsupport.OpsTools;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestRedis;
import io.askexpert.testsupport.TestTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runbook's deployment, end to end, with real processes: release A (two API instances and a
 * worker) behind nginx on the machine's PostgreSQL and Redis; release B blue-green deployed while
 * users stream answers and read the catalogue; then rollback.sh back to A under the same load.
 * No request may fail and no stream may be cut, streams must be in flight at both switches, and
 * the backup taken before B must restore into a fresh database with the same row counts.
 * Releases A and B are two copies of this build under two labels: the procedure is what is tested.
 */
class BlueGreenDeployIT {

    static final Path ROOT = Path.of(System.getProperty("user.dir"));
    static final Pattern SWITCHED = Pattern.compile("traffic switched to (blue|green) at (\\d+) ms");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void deploys_b_beside_a_and_rolls_back_under_load_without_a_failed_request_or_a_cut_stream() throws Exception {
        for (String[] tool : new String[][] {{"nginx", "nginx"}, {"pg_dump", "postgresql-client"},
                {"pg_restore", "postgresql-client"}, {"psql", "postgresql-client"}, {"jq", "jq"}, {"curl", "curl"}}) {
            OpsTools.require(tool[0], tool[1]);
        }
        Assumptions.assumeTrue(TestPostgres.isLocalServer() || "true".equals(System.getenv("CI")),
                "needs the machine's PostgreSQL on 127.0.0.1:5432 (pg_dump reaches it)");
        Path jar = ROOT.resolve("target/ask-expert.jar");
        assertThat(jar).as("the packaged jar (failsafe runs after package)").exists();
        Path deployRoot = ROOT.resolve("target/blue-green-it/" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(deployRoot);
        int[] ports = freePorts(7);
        int proxy = ports[6];
        try (TestPostgres db = TestPostgres.create(); TestRedis redis = TestRedis.create();
             MockLlmServer mock = MockLlmServer.start(MockLlmConfig.forTests()
                     .withTiming(Duration.ofMillis(150), 40, 120))) {
            Files.writeString(deployRoot.resolve("deploy.env"), """
                    BLUE_API_PORTS="%d %d"
                    BLUE_WORKER_PORT=%d
                    GREEN_API_PORTS="%d %d"
                    GREEN_WORKER_PORT=%d
                    PROXY_LISTEN=127.0.0.1:%d
                    HEALTH_TIMEOUT=240
                    DRAIN_TIMEOUT=120
                    """.formatted(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], proxy));
            Files.writeString(deployRoot.resolve("ask-expert.env"), """
                    DATABASE_URL=%s
                    REDIS_URL=%s
                    JWT_SECRET=%s
                    ANTHROPIC_API_KEY=mock-key
                    ANTHROPIC_BASE_URL=%s
                    LANGFUSE_ENABLED=false
                    RATE_LIMITS_ENABLED=false
                    DATABASE_POOL_SIZE=3
                    ASK_EXPERT_JAVA_OPTS="-Xmx512m -XX:TieredStopAtLevel=1"
                    """.formatted(db.jdbcUrl(), redis.url(), TestTokens.SECRET, mock.baseUri()));
            List<String> timings = new ArrayList<>();
            try {
                Script a = run(deployRoot, "blue-green-deploy.sh", "--jar", jar.toString(), "--label", "release-a",
                        "--verify-watch", "5s");
                timings.add("deploy A " + a.seconds() + " s");
                Script health = run(deployRoot, "health-check.sh", "http://127.0.0.1:" + proxy);
                assertThat(health.output()).contains("All health checks passed!");

                TrafficDuringSwitch traffic = new TrafficDuringSwitch(proxy,
                        TestTokens.bearer("t-bluegreen", "u-load"), 6, 2, TimeUnit.MINUTES.toMillis(15));
                Script b = null;
                Script back = null;
                try {
                    b = run(deployRoot, false, "blue-green-deploy.sh", "--jar", jar.toString(), "--label", "release-b",
                            "--verify-watch", "15s");
                    timings.add("deploy B under load " + b.seconds() + " s");
                    if (b.exitCode() == 0) {
                        back = run(deployRoot, false, "rollback.sh");
                        timings.add("rollback to A under load " + back.seconds() + " s");
                    }
                } finally {
                    traffic.close();
                    System.out.printf("blue-green: %d requests, %d streams (%d resumed), %d failures, %d cut; %s%n",
                            traffic.requests.get(), traffic.streams.size(), traffic.resumed().size(),
                            traffic.failures.size(), traffic.cut.get(), String.join(", ", timings));
                }
                assertThat(b.exitCode()).as("blue-green-deploy.sh release-b:\n" + b.output()).isZero();
                assertThat(back).as("rollback.sh ran").isNotNull();
                assertThat(back.exitCode()).as("rollback.sh:\n" + back.output()).isZero();
                run(deployRoot, "post-deploy-tests.sh", "http://127.0.0.1:" + proxy);
                long toB = switchedAt(b.output(), "green");
                long backToA = switchedAt(back.output(), "blue");
                System.out.printf("blue-green: streams in flight at the switch to B %d, at the rollback to A %d%n",
                        traffic.inFlightAt(toB), traffic.inFlightAt(backToA));
                assertThat(traffic.failures).as("failed requests").isEmpty();
                assertThat(traffic.cut.get()).as("cut streams").isZero();
                assertThat(traffic.inFlightAt(toB)).as("streams open while traffic moved to B").isPositive();
                assertThat(traffic.inFlightAt(backToA)).as("streams open while traffic moved back to A").isPositive();
                assertThat(upstreamPortsServed(deployRoot)).as("both releases served requests")
                        .contains(ports[0], ports[1], ports[3], ports[4]);
                assertThat(Files.readString(deployRoot.resolve("state/active")).strip()).isEqualTo("blue release-a");

                backupRestoresWithTheSameRowCounts(Path.of(Files.readString(deployRoot.resolve("state/last-backup")).strip()));
            } finally {
                Script stop = run(deployRoot, false, "deployment.sh", "stop");
                killLeftovers(deployRoot);
                // The logs stay for a look after a failure; the two copies of the jar (about 290 MB each) go.
                org.springframework.util.FileSystemUtils.deleteRecursively(deployRoot.resolve("releases"));
                assertThat(stop.exitCode()).as(stop.output()).isZero();
            }
        }
    }

    /** Restores the dump into a fresh database and compares every table's rows with the backup's record. */
    static void backupRestoresWithTheSameRowCounts(Path dump) throws Exception {
        JsonNode meta = JSON.readTree(Path.of(dump.toString().replace(".dump", ".json")).toFile());
        assertThat(meta.get("verified").asBoolean()).isTrue();
        assertThat(meta.get("revision").asString()).isNotBlank();
        try (TestPostgres fresh = TestPostgres.create()) {
            OpsTools.Result restore = OpsTools.run(ROOT, "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                    "-d", "postgresql://127.0.0.1:5432/" + fresh.name() + "?user=postgres", dump.toString());
            assertThat(restore.exitCode()).as(restore.output()).isZero();
            Map<String, Long> expected = new TreeMap<>();
            meta.get("tables").properties().forEach(e -> expected.put(e.getKey(), e.getValue().asLong()));
            Map<String, Long> actual = new TreeMap<>();
            try (Connection c = DriverManager.getConnection(fresh.jdbcUrl())) {
                for (String table : expected.keySet()) {
                    try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
                        rs.next();
                        actual.put(table, rs.getLong(1));
                    }
                }
            }
            assertThat(actual).isEqualTo(expected);
            assertThat(expected.get("public.sessions")).as("the backup holds the users' sessions").isPositive();
        }
    }

    record Script(int exitCode, String output, long seconds) {
    }

    static Script run(Path deployRoot, String script, String... args) throws Exception {
        return run(deployRoot, true, script, args);
    }

    static Script run(Path deployRoot, boolean mustPass, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("scripts/" + script).toString()));
        command.addAll(List.of(args));
        Path log = deployRoot.resolve(script + "-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("DEPLOY_ROOT", deployRoot.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long started = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Script result = new Script(p.exitValue(), output, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        if (mustPass) {
            assertThat(result.exitCode()).as(script + " " + String.join(" ", args) + ":\n" + output).isZero();
        }
        return result;
    }

    static long switchedAt(String output, String color) {
        Matcher m = SWITCHED.matcher(output);
        long at = -1;
        while (m.find()) {
            if (m.group(1).equals(color)) {
                at = Long.parseLong(m.group(2));
            }
        }
        assertThat(at).as("a switch to " + color + " in:\n" + output).isPositive();
        return at;
    }

    static List<Integer> upstreamPortsServed(Path deployRoot) throws IOException {
        Pattern upstream = Pattern.compile("upstream=127\\.0\\.0\\.1:(\\d+)");
        try (Stream<String> lines = Files.lines(deployRoot.resolve("nginx/logs/access.log"))) {
            return lines.map(upstream::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
                    .distinct().toList();
        }
    }

    /** Whatever the stop script could not stop is killed by pid, so no process outlives the test. */
    static void killLeftovers(Path deployRoot) throws IOException {
        try (Stream<Path> files = Files.walk(deployRoot)) {
            for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                String pid = Files.readString(pidFile).strip();
                if (!pid.isEmpty()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }
}
