package io.askexpert.missions;

import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.testsupport.FastJar;
import io.askexpert.testsupport.ServiceProcess;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestRedis;
import io.askexpert.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real processes for the mission fault tests: API instances ({@code api} role) and mission workers
 * ({@code worker} role) of the built jar, on one fresh PostgreSQL database and one Redis database,
 * with both LLM providers pointed at the test's mock server. Each process has its own data
 * directory (its own Lucene index); workers are known by the instance id they log when they start,
 * which is the {@code lease_owner} of the missions they run, so a test kills exactly the worker that
 * holds a mission ({@code kill -9} by pid).
 */
final class MissionCluster implements AutoCloseable {

    private static final Pattern WORKER_ID = Pattern.compile("Mission worker (inst_[0-9a-f]+) started");
    /** Small heap, client compiler only, serial GC: a start costs a few CPU seconds on a shared machine. */
    static final List<String> JVM = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:CICompilerCount=1", "-Xss512k");

    /** A worker process and the instance id its leases carry. */
    record Worker(String instanceId, ServiceProcess process) {
    }

    final TestPostgres db = TestPostgres.create();
    final TestRedis redis = TestRedis.create();
    final MockLlmServer mock;
    private final Path root;
    private final Map<String, String> env;
    private final Map<String, String> properties;
    private final List<ServiceProcess> apis = new CopyOnWriteArrayList<>();
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final List<ServiceProcess> killed = new CopyOnWriteArrayList<>();
    private final AtomicInteger started = new AtomicInteger();
    private final ExecutorService starter = Executors.newFixedThreadPool(4);
    private final FastJar.Launch launch;

    /**
     * @param workerEnv extra environment for every process (WORKERS, MISSION_LEASE_TTL,
     *                  TOOL_HTTP_ALLOWED_HOSTS...)
     */
    MissionCluster(MockLlmServer mock, Map<String, String> workerEnv, Map<String, String> extraProperties) {
        this.mock = mock;
        try {
            this.root = Files.createTempDirectory("ask-expert-mission-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> e = new LinkedHashMap<>();
        e.put("DATABASE_URL", db.jdbcUrl());
        e.put("REDIS_URL", redis.url());
        e.put("JWT_SECRET", TestTokens.SECRET);
        e.put("ANTHROPIC_API_KEY", "test-key");
        e.put("ANTHROPIC_BASE_URL", mock.baseUri().toString());
        e.put("OPENAI_API_KEY", "test-key");
        e.put("OPENAI_BASE_URL", mock.openAiBaseUri().toString());
        e.put("RATE_LIMITS_ENABLED", "false");
        e.put("ASK_EXPERT_STARTER_CATALOGUE", "false");
        e.put("DATABASE_POOL_SIZE", "4");
        e.put("LOG_LEVEL", "INFO");
        e.putAll(workerEnv);
        this.env = Map.copyOf(e);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ask-expert.knowledge.load-starter", "false");
        p.put("ask-expert.missions.sweep-interval", "200");
        p.put("ask-expert.missions.queued-grace", "10");
        p.put("ask-expert.runs.heartbeat-interval", "2s");
        p.putAll(extraProperties);
        this.properties = Map.copyOf(p);
        this.launch = fastLaunch(env);
    }

    /** The extracted jar with a class cache recorded on a scratch database (so it never touches the test's). */
    private static FastJar.Launch fastLaunch(Map<String, String> env) {
        try (TestPostgres scratch = TestPostgres.create()) {
            Map<String, String> training = new LinkedHashMap<>(env);
            training.remove("REDIS_URL");
            training.put("DATABASE_URL", scratch.jdbcUrl());
            return FastJar.prepare(JVM, training);
        }
    }

    /** Starts an API instance (the first one migrates the schema; start it before any worker). */
    ServiceProcess startApi() {
        ServiceProcess api = ServiceProcess.start("api", dir("api"), env, properties, launch.jvmOptions(),
                launch.jar());
        apis.add(api);
        return api;
    }

    /** Starts {@code n} workers at once; returns when all answer /health. */
    List<Worker> startWorkers(int n) {
        List<CompletableFuture<Worker>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(startWorkerAsync());
        }
        return all.stream().map(CompletableFuture::join).toList();
    }

    /** Starts one worker in the background; it joins the pool of live workers once it is up. */
    CompletableFuture<Worker> startWorkerAsync() {
        return CompletableFuture.supplyAsync(() -> {
            ServiceProcess p = ServiceProcess.start("worker", dir("worker"), env, properties, launch.jvmOptions(),
                    launch.jar());
            Worker w = new Worker(instanceId(p), p);
            workers.put(w.instanceId(), w);
            return w;
        }, starter);
    }

    private Path dir(String role) {
        return root.resolve(role + "-" + started.incrementAndGet());
    }

    private static String instanceId(ServiceProcess p) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Matcher m = WORKER_ID.matcher(Files.readString(p.log()));
                if (m.find()) {
                    return m.group(1);
                }
                Thread.sleep(100);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the worker did not log its instance id; its log ends:\n" + p.tail());
    }

    int liveWorkers() {
        return workers.size();
    }

    List<Worker> workers() {
        return List.copyOf(workers.values());
    }

    /** The live worker process whose instance id is {@code owner}, if it is one of ours and alive. */
    Optional<Worker> worker(String owner) {
        return Optional.ofNullable(workers.get(owner));
    }

    /** {@code kill -9} of that worker; it leaves the pool at once. */
    void kill(Worker w) {
        workers.remove(w.instanceId());
        w.process().kill9();
        killed.add(w.process());
    }

    /** The first column of each row, as text. */
    List<String> query(String sql, Object... params) {
        return rows(sql, params).stream().map(r -> r.getFirst()).toList();
    }

    /** Every row, each column as text (null stays null). */
    List<List<String>> rows(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl());
             java.sql.PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                List<List<String>> out = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getString(i));
                    }
                    out.add(row);
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    void execute(String sql) {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl()); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** ERROR lines of every process, for a failure message. */
    String errors() {
        StringBuilder out = new StringBuilder();
        List<ServiceProcess> all = new ArrayList<>(apis);
        workers.values().forEach(w -> all.add(w.process()));
        all.addAll(killed);
        for (ServiceProcess p : all) {
            String e = p.errors();
            if (!e.isBlank()) {
                out.append("--- ").append(p.log()).append('\n').append(e);
            }
        }
        return out.length() > 20_000 ? out.substring(0, 20_000) : out.toString();
    }

    @Override
    public void close() {
        starter.shutdownNow();
        // The test is over: no graceful drain is needed, and a drain of each process in turn takes long.
        List<ServiceProcess> all = new ArrayList<>(apis);
        workers.values().forEach(w -> all.add(w.process()));
        all.parallelStream().forEach(ServiceProcess::kill9);
        redis.close();
        db.close();
        if (!Boolean.getBoolean("askexpert.keepLogs")) {
            org.springframework.util.FileSystemUtils.deleteRecursively(root.toFile());
        }
    }
}
